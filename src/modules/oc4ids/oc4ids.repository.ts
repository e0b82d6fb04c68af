import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { intArray } from '../../db/sql';
import {
  agencies,
  fundingAllocations,
  fundingSources,
  plans,
  planTasks,
  projectLocations,
  projects,
  projectStatusChanges,
  projectTasks,
} from '../../db/schema';
import { MAX_RELATED_PROJECTS, type ExportProject, type ExportSource, type ProjectBundle } from './mapping';

/** The project columns the OC4IDS mapping reads. */
export const exportColumns = {
  id: projects.id,
  code: projects.code,
  name: projects.name,
  description: projects.description,
  sector: projects.sector,
  type: projects.type,
  status: projects.status,
  statusChangedOn: projects.statusChangedOn,
  plannedStart: projects.plannedStart,
  plannedCompletion: projects.plannedCompletion,
  totalInvestmentAmount: projects.totalInvestmentAmount,
  totalInvestmentCurrency: projects.totalInvestmentCurrency,
  totalInvestmentNote: projects.totalInvestmentNote,
  updatedAt: projects.updatedAt,
  ownerAgencyId: projects.ownerAgencyId,
};

const notArchived = isNull(projects.archivedAt);

export interface FundingSourceRef {
  id: number;
  code: string;
  nameEn: string;
  nameVi: string;
}

/** A project as the import finds it, locked for the rest of the transaction. */
export interface ExistingProject extends ExportProject {
  archivedAt: string | null;
  version: number;
}

/** The reads of the OC4IDS export, and those the import makes inside its transaction. */
export class Oc4idsRepository {
  constructor(private readonly db: Db) {}

  // ---- Export ----

  /** Up to `limit` non-archived projects the filter selects, after `afterId` in id order (a keyset page). */
  exportPage(filter: SQL | undefined, afterId: number, limit: number): Promise<ExportProject[]> {
    return this.db
      .select(exportColumns)
      .from(projects)
      .where(and(notArchived, filter, gt(projects.id, afterId)))
      .orderBy(asc(projects.id))
      .limit(limit);
  }

  /** How many non-archived projects the filter selects, and when the newest of them changed. */
  async exportSummary(filter: SQL | undefined): Promise<{ count: number; lastUpdated: string | null }> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int`, lastUpdated: sql<string | null>`max(${projects.updatedAt})::text` })
      .from(projects)
      .where(and(notArchived, filter));
    return { count: Number(row.count), lastUpdated: row.lastUpdated ?? null };
  }

  /** Projects by code, archived ones included. */
  projectsByCodes(codes: readonly string[]): Promise<ExportProject[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.db
      .select(exportColumns)
      .from(projects)
      .where(inArray(projects.code, [...codes]));
  }

  projectsByIds(projectIds: readonly number[]): Promise<ExportProject[]> {
    if (projectIds.length === 0) return Promise.resolve([]);
    return this.db
      .select(exportColumns)
      .from(projects)
      .where(inArray(projects.id, [...projectIds]));
  }

  /**
   * Everything the OC4IDS objects of these projects need, in seven statements whatever their number: owners,
   * allocations, locations, status histories, plan tasks, sources and related projects. Bundles come in the
   * order of `rows`.
   */
  async bundles(rows: readonly ExportProject[]): Promise<ProjectBundle[]> {
    if (rows.length === 0) return [];
    const projectIds = rows.map((r) => r.id);
    const ownerIds = [...new Set(rows.map((r) => r.ownerAgencyId).filter((id): id is number => id !== null))];

    const [owners, allocations, locations, changes, tasks, sources, related] = await Promise.all([
      ownerIds.length === 0
        ? Promise.resolve([])
        : this.db
            .select({ id: agencies.id, code: agencies.code, name: agencies.name })
            .from(agencies)
            .where(inArray(agencies.id, ownerIds)),
      this.db
        .select({
          projectId: fundingAllocations.projectId,
          id: fundingAllocations.id,
          position: fundingAllocations.position,
          sourceCode: fundingSources.code,
          sourceName: fundingSources.nameEn,
          financier: fundingAllocations.financier,
          amount: fundingAllocations.amount,
          currency: fundingAllocations.currency,
          amountVnd: fundingAllocations.amountVnd,
          fiscalYear: fundingAllocations.fiscalYear,
          note: fundingAllocations.note,
        })
        .from(fundingAllocations)
        .innerJoin(fundingSources, eq(fundingSources.id, fundingAllocations.sourceId))
        .where(inArray(fundingAllocations.projectId, projectIds))
        .orderBy(asc(fundingAllocations.projectId), asc(fundingAllocations.position), asc(fundingAllocations.id)),
      this.db
        .select({
          projectId: projectLocations.projectId,
          id: projectLocations.id,
          position: projectLocations.position,
          name: projectLocations.name,
          level: projectLocations.level,
          description: projectLocations.description,
          geometry: projectLocations.geometry,
        })
        .from(projectLocations)
        .where(inArray(projectLocations.projectId, projectIds))
        .orderBy(asc(projectLocations.projectId), asc(projectLocations.position), asc(projectLocations.id)),
      this.db
        .select({
          projectId: projectStatusChanges.projectId,
          status: projectStatusChanges.status,
          effectiveOn: projectStatusChanges.effectiveOn,
          note: projectStatusChanges.note,
        })
        .from(projectStatusChanges)
        .where(inArray(projectStatusChanges.projectId, projectIds))
        .orderBy(
          asc(projectStatusChanges.projectId),
          asc(projectStatusChanges.effectiveOn),
          asc(projectStatusChanges.id),
        ),
      this.db
        .select({
          projectId: projectTasks.projectId,
          planCode: plans.code,
          taskCode: planTasks.code,
          text: planTasks.text,
        })
        .from(projectTasks)
        .innerJoin(planTasks, eq(planTasks.id, projectTasks.taskId))
        .innerJoin(plans, eq(plans.id, planTasks.planId))
        .where(inArray(projectTasks.projectId, projectIds))
        .orderBy(asc(projectTasks.projectId), asc(plans.code), asc(planTasks.sortOrder), asc(planTasks.id)),
      this.sources(projectIds),
      this.related(projectIds),
    ]);

    const group = <T extends { projectId: number }>(list: T[]): Map<number, Omit<T, 'projectId'>[]> => {
      const map = new Map<number, Omit<T, 'projectId'>[]>();
      for (const { projectId, ...rest } of list) {
        const items = map.get(projectId);
        if (items) items.push(rest);
        else map.set(projectId, [rest]);
      }
      return map;
    };
    const ownerById = new Map(owners.map((o) => [o.id, o]));
    const allocationsBy = group(allocations);
    const locationsBy = group(locations);
    const changesBy = group(changes);
    const tasksBy = group(tasks);
    const sourcesBy = group(sources);
    const relatedBy = group(related);
    return rows.map((project) => ({
      project,
      owner: project.ownerAgencyId === null ? null : (ownerById.get(project.ownerAgencyId) ?? null),
      allocations: allocationsBy.get(project.id) ?? [],
      locations: locationsBy.get(project.id) ?? [],
      statusChanges: changesBy.get(project.id) ?? [],
      tasks: tasksBy.get(project.id) ?? [],
      sources: sourcesBy.get(project.id) ?? [],
      related: relatedBy.get(project.id) ?? [],
    }));
  }

  /** The sources of each project, its status changes and its allocations, each source once, in that order. */
  private async sources(projectIds: number[]): Promise<(ExportSource & { projectId: number })[]> {
    const rows = await queryRows<{
      project_id: number;
      id: number;
      url: string | null;
      title: string;
      publisher: string | null;
      quote: string | null;
      published_on: string | null;
      document_url: string | null;
    }>(
      this.db,
      sql`with cited as (
            select ps.project_id, 0 as kind, 0 as k1, ''::text as k2, 0 as k3, ps.position, ps.source_id
            from project_sources ps where ps.project_id = any(${intArray(projectIds)})
            union all
            select sc.project_id, 1, 0, sc.effective_on::text, sc.id, scs.position, scs.source_id
            from status_change_sources scs join project_status_changes sc on sc.id = scs.status_change_id
            where sc.project_id = any(${intArray(projectIds)})
            union all
            select fa.project_id, 2, fa.position, '', fa.id, als.position, als.source_id
            from allocation_sources als join funding_allocations fa on fa.id = als.allocation_id
            where fa.project_id = any(${intArray(projectIds)})
          ),
          firsts as (
            select distinct on (c.project_id, c.source_id) c.*
            from cited c order by c.project_id, c.source_id, c.kind, c.k1, c.k2, c.k3, c.position
          )
          select f.project_id::int as project_id, s.id::int as id, s.url, s.title, s.publisher, s.quote,
                 s.published_on::text as published_on, d.url as document_url
          from firsts f join source_references s on s.id = f.source_id
          left join legal_documents d on d.id = s.document_id
          order by f.project_id, f.kind, f.k1, f.k2, f.k3, f.position, s.id`,
    );
    return rows.map((r) => ({
      projectId: Number(r.project_id),
      id: Number(r.id),
      url: r.url,
      title: r.title,
      publisher: r.publisher,
      quote: r.quote,
      publishedOn: r.published_on,
      documentUrl: r.document_url,
    }));
  }

  /** For each project, the other non-archived projects serving any of its plan tasks, most shared tasks first. */
  private async related(projectIds: number[]): Promise<{ projectId: number; code: string; name: string }[]> {
    const rows = await queryRows<{ project_id: number; code: string; name: string }>(
      this.db,
      // The batch's task links first, then the other projects of those tasks through the task index, then their
      // rows by primary key: the planner cannot start from all task links (331 ms a batch at 20,000 projects).
      sql`with mine as materialized (
            select project_id, task_id from project_tasks where project_id = any(${intArray(projectIds)})
          ),
          pairs as materialized (
            select m.project_id, b.project_id as other, count(*) as shared
            from mine m join project_tasks b on b.task_id = m.task_id and b.project_id <> m.project_id
            group by m.project_id, b.project_id
          )
          select r.project_id::int as project_id, r.code, r.name from (
            select x.project_id, p.code, p.name, row_number() over (partition by x.project_id order by x.shared desc, p.code) as rn
            from pairs x join projects p on p.id = x.other
            where p.archived_at is null
          ) r where r.rn <= ${MAX_RELATED_PROJECTS}
          order by r.project_id, r.rn`,
    );
    return rows.map((r) => ({ projectId: Number(r.project_id), code: r.code, name: r.name }));
  }
}
