import type { BatchScheduler } from '../../lib/batch-scheduler';
import { groupLoader, prime, rowLoader, scheduledLoader } from '../../lib/loader-utils';
import { childConnections } from '../../lib/paged-loader';
import type { PageArgs } from '../../lib/pagination';
import { rootConnection } from '../../lib/top-level';
import { agencyAssignmentOrdering, planOrdering, planTaskOrdering, type PlanRepository } from './plan.repository';

/** The loaders of plans, their sections, tasks and assignments. */
export function planLoaders(scheduler: BatchScheduler, plans: PlanRepository) {
  const planById = rowLoader(
    scheduler,
    (ids: readonly number[]) => plans.plansByIds(ids),
    (row) => row.id,
  );
  const sectionById = rowLoader(
    scheduler,
    (ids: readonly number[]) => plans.sectionsByIds(ids),
    (row) => row.id,
  );
  const taskById = rowLoader(
    scheduler,
    (ids: readonly number[]) => plans.tasksByIds(ids),
    (row) => row.id,
  );
  const planByCode = rowLoader(
    scheduler,
    async (codes: readonly string[]) => prime(planById, await plans.plansByCodes(codes)),
    (row) => row.code,
  );
  const sectionsByPlanId = groupLoader(
    scheduler,
    async (ids: readonly number[]) => prime(sectionById, await plans.sectionsByPlanIds(ids)),
    (row) => row.planId,
  );
  const tasksByPlanId = groupLoader(
    scheduler,
    async (ids: readonly number[]) => prime(taskById, await plans.tasksByPlanIds(ids)),
    (row) => row.planId,
  );
  const taskByPlanAndCode = scheduledLoader<
    { planId: number; code: string },
    Awaited<ReturnType<typeof taskById.load>>,
    string
  >(
    scheduler,
    async (pairs) => {
      const rows = prime(taskById, await plans.tasksByPlanAndCodes(pairs));
      const map = new Map(rows.map((row) => [`${row.planId}|${row.code}`, row]));
      return pairs.map((pair) => map.get(`${pair.planId}|${pair.code}`) ?? null);
    },
    { cacheKeyFn: (pair) => `${pair.planId}|${pair.code}` },
  );
  return {
    planById,
    planByCode,
    sectionById,
    taskById,
    sectionsByPlanId,
    tasksByPlanId,
    taskByPlanAndCode,
    legalBasisByPlanId: groupLoader(
      scheduler,
      (ids: readonly number[]) => plans.legalBasesByPlanIds(ids),
      (row) => row.planId,
    ),
    targetsByPlanId: groupLoader(
      scheduler,
      (ids: readonly number[]) => plans.targetsByPlanIds(ids),
      (row) => row.planId,
    ),
    sectionAssignmentsByPlanId: groupLoader(
      scheduler,
      (ids: readonly number[]) => plans.sectionAssignmentsByPlanIds(ids),
      (row) => row.planId,
    ),
    taskAssignmentsByTaskId: groupLoader(
      scheduler,
      (ids: readonly number[]) => plans.taskAssignmentsByTaskIds(ids),
      (row) => row.taskId,
    ),
    tasksByPlan: childConnections(scheduler, {
      ordering: planTaskOrdering,
      fetchPages: async (ids, request) => prime(taskById, await plans.taskPagesByPlanIds(ids, request)),
      countByParent: (ids) => plans.countTasksByPlanIds(ids),
    }),
    assignmentsByAgency: childConnections(scheduler, {
      ordering: agencyAssignmentOrdering,
      fetchPages: (ids, request) => plans.assignmentPagesByAgencyIds(ids, request),
      countByParent: (ids) => plans.countAssignmentsByAgencyIds(ids),
    }),
    /** `Query.plans`. */
    plans: (args: PageArgs) =>
      rootConnection(
        scheduler,
        args,
        planOrdering,
        planById,
        (request) => plans.plansPage(request),
        () => plans.countPlans(),
      ),
    /** After a plan was written: its rows and everything read by code are read again. */
    forgetPlan(planId: number) {
      for (const loader of [planById, sectionsByPlanId, tasksByPlanId]) loader.clear(planId);
      planByCode.clearAll();
      taskByPlanAndCode.clearAll();
    },
  };
}
