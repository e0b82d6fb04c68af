import { and, asc, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  agencies,
  allocationSources,
  fundingAllocations,
  fundingSources,
  plans,
  planTasks,
  projectLocations,
  projects,
  projectSources,
  projectStatusChanges,
  projectTasks,
  statusChangeSources,
  type ProjectRow,
} from '../../db/schema';
import { SourceWriter, type SourceFields } from '../source/source.writer';

type Citation = typeof projectSources | typeof allocationSources | typeof statusChangeSources;

/** A row a replacement keeps, at its new position. */
export interface Kept {
  id: number;
  position: number;
}

export interface NewAllocation {
  sourceId: number;
  financier: string | null;
  amount: string | null;
  currency: string;
  rateToVnd: string | null;
  rateDate: string | null;
  rateNote: string | null;
  status: (typeof fundingAllocations.$inferInsert)['status'];
  fiscalYear: number | null;
  note: string | null;
  position: number;
  sources?: readonly SourceFields[] | null;
}

export interface NewLocation {
  name: string;
  level: (typeof projectLocations.$inferInsert)['level'];
  description: string | null;
  geometry: unknown;
  position: number;
}

/** All SQL of writes to projects. Every method runs inside the caller's transaction. */
export class ProjectWriter {
  constructor(private readonly tx: Db) {}

  /** The project, locked until the transaction ends, so concurrent writes to it queue up. */
  async lock(id: number): Promise<ProjectRow | null> {
    const [row] = await this.tx.select().from(projects).where(eq(projects.id, id)).for('update');
    return row ?? null;
  }

  /** The code of another project that has `code` without regard to case, or null. */
  async codeTaken(code: string, exceptId?: number): Promise<string | null> {
    const rows = await this.tx
      .select({ code: projects.code })
      .from(projects)
      .where(
        and(
          sql`lower(${projects.code}) = lower(${code})`,
          exceptId === undefined ? undefined : ne(projects.id, exceptId),
        ),
      );
    return rows[0]?.code ?? null;
  }

  async agencyId(code: string): Promise<number | null> {
    const [row] = await this.tx.select({ id: agencies.id }).from(agencies).where(eq(agencies.code, code));
    return row?.id ?? null;
  }

  async fundingSourceIds(codes: string[]): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const rows = await this.tx
      .select({ id: fundingSources.id, code: fundingSources.code })
      .from(fundingSources)
      .where(inArray(fundingSources.code, codes));
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /** Tasks by code, in the named plan or in any plan; several matches for a code means it is ambiguous. */
  async tasksByCode(
    codes: string[],
    planCode: string | null,
  ): Promise<{ code: string; id: number; planCode: string }[]> {
    if (codes.length === 0) return [];
    return this.tx
      .select({ code: planTasks.code, id: planTasks.id, planCode: plans.code })
      .from(planTasks)
      .innerJoin(plans, eq(plans.id, planTasks.planId))
      .where(and(inArray(planTasks.code, codes), planCode === null ? undefined : eq(plans.code, planCode)));
  }

  async planExists(code: string): Promise<boolean> {
    return (await this.tx.select({ id: plans.id }).from(plans).where(eq(plans.code, code))).length > 0;
  }

  async taskExists(id: number): Promise<boolean> {
    return (await this.tx.select({ id: planTasks.id }).from(planTasks).where(eq(planTasks.id, id))).length > 0;
  }

  async isLinked(projectId: number, taskId: number): Promise<boolean> {
    const rows = await this.tx
      .select({ p: projectTasks.projectId })
      .from(projectTasks)
      .where(and(eq(projectTasks.projectId, projectId), eq(projectTasks.taskId, taskId)));
    return rows.length > 0;
  }

  async insert(values: typeof projects.$inferInsert): Promise<ProjectRow> {
    const [row] = await this.tx.insert(projects).values(values).returning();
    return row;
  }

  /** Applies `changes`, bumps the version and the change time. */
  async update(id: number, changes: Partial<typeof projects.$inferInsert>): Promise<ProjectRow> {
    const [row] = await this.tx
      .update(projects)
      .set({ ...changes, version: sql`${projects.version} + 1`, updatedAt: sql`now()` })
      .where(eq(projects.id, id))
      .returning();
    return row;
  }

  async replaceTaskLinks(projectId: number, taskIds: number[]): Promise<void> {
    await this.tx.delete(projectTasks).where(eq(projectTasks.projectId, projectId));
    await this.link(projectId, taskIds);
  }

  async link(projectId: number, taskIds: number[]): Promise<void> {
    if (taskIds.length > 0)
      await this.tx
        .insert(projectTasks)
        .values([...new Set(taskIds)].map((taskId) => ({ projectId, taskId })))
        .onConflictDoNothing();
  }

  async unlink(projectId: number, taskId: number): Promise<void> {
    await this.tx
      .delete(projectTasks)
      .where(and(eq(projectTasks.projectId, projectId), eq(projectTasks.taskId, taskId)));
  }

  async lastStatusChange(projectId: number) {
    const [row] = await this.tx
      .select()
      .from(projectStatusChanges)
      .where(eq(projectStatusChanges.projectId, projectId))
      .orderBy(sql`${projectStatusChanges.effectiveOn} desc, ${projectStatusChanges.id} desc`)
      .limit(1);
    return row ?? null;
  }

  async addStatusChange(values: typeof projectStatusChanges.$inferInsert) {
    const [row] = await this.tx.insert(projectStatusChanges).values(values).returning();
    return row;
  }

  cite(
    table: Citation,
    ownerId: number,
    sources: readonly SourceFields[] | null | undefined,
    field?: (string | number)[],
  ): Promise<void> {
    return new SourceWriter(this.tx).cite(table, ownerId, sources, field);
  }

  /**
   * Replaces a project's allocations: those `keep` names stay (with their citations, moved to their new
   * positions), the others go, `add` comes in. VND equivalents are computed by PostgreSQL from the exact decimals:
   * a VND amount is its own, a foreign amount needs its rate (without one it has none until a rate is recorded).
   */
  async replaceAllocations(
    projectId: number,
    change: { keep?: readonly Kept[]; add: readonly NewAllocation[] },
  ): Promise<void> {
    const keep = change.keep ?? [];
    const kept = keep.map((k) => k.id);
    await this.tx
      .delete(fundingAllocations)
      .where(
        and(
          eq(fundingAllocations.projectId, projectId),
          kept.length ? notInArray(fundingAllocations.id, kept) : undefined,
        ),
      );
    for (const k of keep)
      await this.tx.update(fundingAllocations).set({ position: k.position }).where(eq(fundingAllocations.id, k.id));
    if (change.add.length === 0) return;
    const inserted = await this.tx
      .insert(fundingAllocations)
      .values(
        change.add.map((a) => ({
          projectId,
          sourceId: a.sourceId,
          financier: a.financier,
          amount: a.amount,
          currency: a.currency,
          rateToVnd: a.currency === 'VND' ? null : a.rateToVnd,
          rateDate: a.currency === 'VND' ? null : a.rateDate,
          rateNote: a.rateNote,
          amountVnd: vndEquivalent(a.amount, a.currency, a.rateToVnd) as never,
          status: a.status,
          fiscalYear: a.fiscalYear,
          note: a.note,
          position: a.position,
        })),
      )
      .returning({ id: fundingAllocations.id });
    for (const [i, allocation] of change.add.entries()) {
      await this.cite(allocationSources, inserted[i].id, allocation.sources, ['input', 'allocations', i, 'sources']);
    }
  }

  /** Keeps the locations `keep` names (moved to their new positions), deletes the others, inserts `add`. */
  async replaceLocations(projectId: number, keep: readonly Kept[], add: readonly NewLocation[]): Promise<void> {
    const kept = keep.map((k) => k.id);
    await this.tx
      .delete(projectLocations)
      .where(
        and(eq(projectLocations.projectId, projectId), kept.length ? notInArray(projectLocations.id, kept) : undefined),
      );
    for (const k of keep)
      await this.tx.update(projectLocations).set({ position: k.position }).where(eq(projectLocations.id, k.id));
    if (add.length > 0) {
      await this.tx.insert(projectLocations).values(
        add.map((l) => ({
          projectId,
          name: l.name,
          level: l.level,
          description: l.description,
          geometry: l.geometry ?? null,
          position: l.position,
        })),
      );
    }
  }

  /** The project as the audit log records it: its own fields, its task links and its funding. */
  async snapshot(id: number): Promise<Record<string, unknown>> {
    const [project] = await this.tx.select().from(projects).where(eq(projects.id, id));
    const tasks = await this.tx
      .select({ plan: plans.code, task: planTasks.code })
      .from(projectTasks)
      .innerJoin(planTasks, eq(planTasks.id, projectTasks.taskId))
      .innerJoin(plans, eq(plans.id, planTasks.planId))
      .where(eq(projectTasks.projectId, id))
      .orderBy(asc(plans.code), asc(planTasks.sortOrder));
    const funding = await this.tx
      .select({
        source: fundingSources.code,
        financier: fundingAllocations.financier,
        amount: fundingAllocations.amount,
        currency: fundingAllocations.currency,
        rateToVnd: fundingAllocations.rateToVnd,
        rateDate: fundingAllocations.rateDate,
        amountVnd: fundingAllocations.amountVnd,
        status: fundingAllocations.status,
        fiscalYear: fundingAllocations.fiscalYear,
      })
      .from(fundingAllocations)
      .innerJoin(fundingSources, eq(fundingSources.id, fundingAllocations.sourceId))
      .where(eq(fundingAllocations.projectId, id))
      .orderBy(asc(fundingAllocations.position));
    const { searchText: _searchText, ...fields } = project;
    return { ...fields, tasks: tasks.map((t) => `${t.plan} ${t.task}`), funding };
  }
}

export function vndEquivalent(amount: string | null, currency: string, rate: string | null) {
  if (amount === null) return null;
  if (currency === 'VND') return amount;
  if (rate === null) return null;
  return sql`round(cast(${amount} as numeric) * cast(${rate} as numeric), 2)`;
}
