import { and, asc, count, eq, getTableColumns, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  planTasks,
  projectLocations,
  projects,
  projectStatusChanges,
  projectTasks,
  type ProjectRow,
} from '../../db/schema';
import type { WithParent } from '../../shared/paged-loader';
import { cursorCondition, orderByTerms, type Ordering, type PageRequest } from '../../shared/pagination';

export const projectOrdering: Ordering<ProjectRow> = {
  tag: 'Project:code',
  keys: [
    { expr: sql`${projects.code}`, direction: 'ASC', type: 'text', value: (row) => row.code },
    { expr: sql`${projects.id}`, direction: 'ASC', type: 'int', value: (row) => row.id },
  ],
};

const notArchived = isNull(projects.archivedAt);

/** All SQL of projects, their task links, locations and status history. */
export class ProjectRepository {
  constructor(private readonly db: Db) {}

  projectsPage(request: PageRequest): Promise<ProjectRow[]> {
    return this.db
      .select()
      .from(projects)
      .where(and(notArchived, cursorCondition(projectOrdering, request)))
      .orderBy(...orderByTerms(projectOrdering, request.backward))
      .limit(request.limit + 1);
  }

  async countProjects(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(projects).where(notArchived);
    return Number(row.n);
  }

  projectsByIds(ids: readonly number[]) {
    return this.db.select().from(projects).where(inArray(projects.id, [...ids]));
  }

  projectsByCodes(codes: readonly string[]) {
    return this.db.select().from(projects).where(inArray(projects.code, [...codes]));
  }

  taskLinksByProjectIds(projectIds: readonly number[]) {
    return this.db
      .select({ projectId: projectTasks.projectId, taskId: projectTasks.taskId })
      .from(projectTasks)
      .innerJoin(planTasks, eq(planTasks.id, projectTasks.taskId))
      .where(inArray(projectTasks.projectId, [...projectIds]))
      .orderBy(asc(projectTasks.projectId), asc(planTasks.planId), asc(planTasks.sortOrder));
  }

  locationsByProjectIds(projectIds: readonly number[]) {
    return this.db
      .select()
      .from(projectLocations)
      .where(inArray(projectLocations.projectId, [...projectIds]))
      .orderBy(asc(projectLocations.projectId), asc(projectLocations.position));
  }

  statusChangesByProjectIds(projectIds: readonly number[]) {
    return this.db
      .select()
      .from(projectStatusChanges)
      .where(inArray(projectStatusChanges.projectId, [...projectIds]))
      .orderBy(asc(projectStatusChanges.projectId), asc(projectStatusChanges.effectiveOn), asc(projectStatusChanges.id));
  }

  statusChangesByIds(ids: readonly number[]) {
    return this.db.select().from(projectStatusChanges).where(inArray(projectStatusChanges.id, [...ids]));
  }

  /** One page of projects per parent, in one statement. `parent` is the parent's key and the join condition. */
  private async pages(parentKey: ReturnType<typeof sql<number>>, join: 'task' | 'plan' | 'owner', parentIds: number[], request: PageRequest) {
    const order = sql.join(orderByTerms(projectOrdering, request.backward), sql`, `);
    const rn = sql<number>`row_number() over (partition by ${parentKey} order by ${order})`.as('rn');
    const columns = { ...getTableColumns(projects), parentId: sql<number>`${parentKey}`.as('parent_id'), rn };
    const cursor = cursorCondition(projectOrdering, request);
    const base =
      join === 'task'
        ? this.db
            .select(columns)
            .from(projects)
            .innerJoin(projectTasks, eq(projectTasks.projectId, projects.id))
            .where(and(inArray(projectTasks.taskId, parentIds), notArchived, cursor))
        : join === 'owner'
          ? this.db
              .select(columns)
              .from(projects)
              .where(and(inArray(projects.ownerAgencyId, parentIds), notArchived, cursor))
          : this.db
              .select(columns)
              .from(projects)
              .innerJoin(sql`(select distinct t.plan_id, pt.project_id from ${projectTasks} pt join ${planTasks} t on t.id = pt.task_id where t.plan_id in (${sql.join(parentIds.map((id) => sql`${id}`), sql`, `)})) as plan_projects`, sql`plan_projects.project_id = ${projects.id}`)
              .where(and(notArchived, cursor));
    const inner = base.as('page');
    const rows = await this.db.select().from(inner).where(lte(inner.rn, request.limit + 1)).orderBy(asc(inner.parentId), asc(inner.rn));
    return rows.map(({ rn: _rn, ...row }) => row as WithParent<ProjectRow>);
  }

  projectPagesByTaskIds(taskIds: number[], request: PageRequest) {
    return this.pages(sql<number>`${projectTasks.taskId}`, 'task', taskIds, request);
  }

  projectPagesByOwnerIds(agencyIds: number[], request: PageRequest) {
    return this.pages(sql<number>`${projects.ownerAgencyId}`, 'owner', agencyIds, request);
  }

  projectPagesByPlanIds(planIds: number[], request: PageRequest) {
    return this.pages(sql<number>`plan_projects.plan_id`, 'plan', planIds, request);
  }

  async countByTaskIds(taskIds: number[]): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ parentId: projectTasks.taskId, n: count() })
      .from(projectTasks)
      .innerJoin(projects, eq(projects.id, projectTasks.projectId))
      .where(and(inArray(projectTasks.taskId, taskIds), notArchived))
      .groupBy(projectTasks.taskId);
    return new Map(rows.map((row) => [row.parentId, Number(row.n)]));
  }

  async countByOwnerIds(agencyIds: number[]): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ parentId: projects.ownerAgencyId, n: count() })
      .from(projects)
      .where(and(inArray(projects.ownerAgencyId, agencyIds), notArchived))
      .groupBy(projects.ownerAgencyId);
    return new Map(rows.map((row) => [row.parentId!, Number(row.n)]));
  }

  async countByPlanIds(planIds: number[]): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ parentId: planTasks.planId, n: sql<number>`count(distinct ${projects.id})` })
      .from(planTasks)
      .innerJoin(projectTasks, eq(projectTasks.taskId, planTasks.id))
      .innerJoin(projects, eq(projects.id, projectTasks.projectId))
      .where(and(inArray(planTasks.planId, planIds), notArchived))
      .groupBy(planTasks.planId);
    return new Map(rows.map((row) => [row.parentId, Number(row.n)]));
  }
}

