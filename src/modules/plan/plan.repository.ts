import { anyInt, anyText, preparedRead } from '../../db/prepared';
import { and, asc, count, eq, getTableColumns, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  planLegalBases,
  plans,
  planSections,
  planTargets,
  planTasks,
  sectionAssignments,
  taskAssignments,
  type PlanRow,
  type PlanTaskRow,
  type TaskAssignmentRow,
} from '../../db/schema';
import type { WithParent } from '../../lib/paged-loader';
import { cursorCondition, orderByTerms, type Ordering, type PageRequest } from '../../lib/pagination';

export const planOrdering: Ordering<PlanRow> = {
  tag: 'Plan:issuedOn',
  keys: [
    { expr: sql`${plans.issuedOn}`, direction: 'DESC', type: 'date', value: (row) => row.issuedOn },
    { expr: sql`${plans.id}`, direction: 'DESC', type: 'int', value: (row) => row.id },
  ],
};

export const planTaskOrdering: Ordering<PlanTaskRow> = {
  tag: 'PlanTask:document',
  keys: [
    { expr: sql`${planTasks.sortOrder}`, direction: 'ASC', type: 'int', value: (row) => row.sortOrder },
    { expr: sql`${planTasks.id}`, direction: 'ASC', type: 'int', value: (row) => row.id },
  ],
};

const plansByIds = preparedRead((db) => db.select().from(plans).where(anyInt(plans.id, 'ids')));
const plansByCodes = preparedRead((db) => db.select().from(plans).where(anyText(plans.code, 'codes')));
const sectionsByIds = preparedRead((db) => db.select().from(planSections).where(anyInt(planSections.id, 'ids')));
const sectionsByPlanIds = preparedRead((db) =>
  db
    .select()
    .from(planSections)
    .where(anyInt(planSections.planId, 'ids'))
    .orderBy(asc(planSections.planId), asc(planSections.position)),
);
const tasksByIds = preparedRead((db) => db.select().from(planTasks).where(anyInt(planTasks.id, 'ids')));
const tasksByPlanIds = preparedRead((db) =>
  db
    .select()
    .from(planTasks)
    .where(anyInt(planTasks.planId, 'ids'))
    .orderBy(asc(planTasks.planId), asc(planTasks.sortOrder)),
);
const assignmentsByTaskIds = preparedRead((db) =>
  db
    .select()
    .from(taskAssignments)
    .where(anyInt(taskAssignments.taskId, 'ids'))
    .orderBy(asc(taskAssignments.taskId), asc(taskAssignments.position)),
);

/** All SQL of plans, their sections, tasks and assignments. */
export class PlanRepository {
  constructor(private readonly db: Db) {}

  async plansPage(request: PageRequest): Promise<PlanRow[]> {
    return this.db
      .select()
      .from(plans)
      .where(cursorCondition(planOrdering, request))
      .orderBy(...orderByTerms(planOrdering, request.backward))
      .limit(request.limit + 1);
  }

  async countPlans(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(plans);
    return Number(row.n);
  }

  plansByIds(ids: readonly number[]) {
    return plansByIds(this.db, { ids: [...ids] });
  }

  plansByCodes(codes: readonly string[]) {
    return plansByCodes(this.db, { codes: [...codes] });
  }

  legalBasesByPlanIds(planIds: readonly number[]) {
    return this.db
      .select()
      .from(planLegalBases)
      .where(inArray(planLegalBases.planId, [...planIds]))
      .orderBy(asc(planLegalBases.planId), asc(planLegalBases.position));
  }

  targetsByPlanIds(planIds: readonly number[]) {
    return this.db
      .select()
      .from(planTargets)
      .where(inArray(planTargets.planId, [...planIds]))
      .orderBy(asc(planTargets.planId), asc(planTargets.position));
  }

  sectionsByPlanIds(planIds: readonly number[]) {
    return sectionsByPlanIds(this.db, { ids: [...planIds] });
  }

  sectionsByIds(ids: readonly number[]) {
    return sectionsByIds(this.db, { ids: [...ids] });
  }

  /** Every task of each plan in document order: a plan's tree is read in one statement at any depth. */
  tasksByPlanIds(planIds: readonly number[]) {
    return tasksByPlanIds(this.db, { ids: [...planIds] });
  }

  /** Every section assignment of each plan, with the plan it belongs to. */
  sectionAssignmentsByPlanIds(planIds: readonly number[]) {
    return this.db
      .select({ ...getTableColumns(sectionAssignments), planId: planSections.planId })
      .from(sectionAssignments)
      .innerJoin(planSections, eq(planSections.id, sectionAssignments.sectionId))
      .where(inArray(planSections.planId, [...planIds]))
      .orderBy(asc(sectionAssignments.sectionId), asc(sectionAssignments.position));
  }

  tasksByIds(ids: readonly number[]) {
    return tasksByIds(this.db, { ids: [...ids] });
  }

  /** Keys are `${planId}|${code}`. */
  tasksByPlanAndCodes(pairs: readonly { planId: number; code: string }[]) {
    const planIds = [...new Set(pairs.map((p) => p.planId))];
    const codes = [...new Set(pairs.map((p) => p.code))];
    return this.db
      .select()
      .from(planTasks)
      .where(and(inArray(planTasks.planId, planIds), inArray(planTasks.code, codes)));
  }

  taskAssignmentsByTaskIds(taskIds: readonly number[]): Promise<TaskAssignmentRow[]> {
    return assignmentsByTaskIds(this.db, { ids: [...taskIds] });
  }

  async taskPagesByPlanIds(planIds: number[], request: PageRequest): Promise<WithParent<PlanTaskRow>[]> {
    const rn =
      sql<number>`row_number() over (partition by ${planTasks.planId} order by ${sql.join(orderByTerms(planTaskOrdering, request.backward), sql`, `)})`.as(
        'rn',
      );
    const inner = this.db
      .select({ ...getTableColumns(planTasks), parentId: sql<number>`${planTasks.planId}`.as('parent_id'), rn })
      .from(planTasks)
      .where(and(inArray(planTasks.planId, planIds), cursorCondition(planTaskOrdering, request)))
      .as('page');
    const rows = await this.db
      .select()
      .from(inner)
      .where(lte(inner.rn, request.limit + 1))
      .orderBy(asc(inner.parentId), asc(inner.rn));
    return rows.map(({ rn: _rn, ...row }) => row);
  }

  async countTasksByPlanIds(planIds: number[]): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ planId: planTasks.planId, n: count() })
      .from(planTasks)
      .where(inArray(planTasks.planId, planIds))
      .groupBy(planTasks.planId);
    return new Map(rows.map((row) => [row.planId, Number(row.n)]));
  }

  /** Tasks an agency is assigned, in plan and document order. */
  async assignmentPagesByAgencyIds(
    agencyIds: number[],
    request: PageRequest,
  ): Promise<WithParent<AgencyAssignmentRow>[]> {
    const order = orderByTerms(agencyAssignmentOrdering, request.backward);
    const rn =
      sql<number>`row_number() over (partition by ${taskAssignments.agencyId} order by ${sql.join(order, sql`, `)})`.as(
        'rn',
      );
    const inner = this.db
      .select({
        parentId: sql<number>`${taskAssignments.agencyId}`.as('parent_id'),
        taskId: taskAssignments.taskId,
        role: taskAssignments.role,
        sectionId: taskAssignments.sectionId,
        planId: sql<number>`${planTasks.planId}`.as('plan_id'),
        sortOrder: sql<number>`${planTasks.sortOrder}`.as('sort_order'),
        roleRank: sql<number>`${roleRank}`.as('role_rank'),
        rn,
      })
      .from(taskAssignments)
      .innerJoin(planTasks, eq(planTasks.id, taskAssignments.taskId))
      .where(and(inArray(taskAssignments.agencyId, agencyIds), cursorCondition(agencyAssignmentOrdering, request)))
      .as('page');
    const rows = await this.db
      .select()
      .from(inner)
      .where(lte(inner.rn, request.limit + 1))
      .orderBy(asc(inner.parentId), asc(inner.rn));
    return rows.map(({ rn: _rn, ...row }) => row);
  }

  async countAssignmentsByAgencyIds(agencyIds: number[]): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ agencyId: taskAssignments.agencyId, n: count() })
      .from(taskAssignments)
      .where(inArray(taskAssignments.agencyId, agencyIds))
      .groupBy(taskAssignments.agencyId);
    return new Map(rows.map((row) => [row.agencyId, Number(row.n)]));
  }
}

const roleRank = sql`case ${taskAssignments.role} when 'LEAD' then 1 when 'COORDINATING' then 2 else 3 end`;

export interface AgencyAssignmentRow {
  parentId: number;
  taskId: number;
  role: TaskAssignmentRow['role'];
  sectionId: number | null;
  planId: number;
  sortOrder: number;
  roleRank: number;
}

export const agencyAssignmentOrdering: Ordering<AgencyAssignmentRow> = {
  tag: 'AgencyAssignment:document',
  keys: [
    { expr: sql`${planTasks.planId}`, direction: 'ASC', type: 'int', value: (row) => row.planId },
    { expr: sql`${planTasks.sortOrder}`, direction: 'ASC', type: 'int', value: (row) => row.sortOrder },
    { expr: sql`${taskAssignments.taskId}`, direction: 'ASC', type: 'int', value: (row) => row.taskId },
    { expr: roleRank, direction: 'ASC', type: 'int', value: (row) => row.roleRank },
  ],
};
