import { listOptions } from '../project/list/loaders';
import type { Resolvers } from '../../__generated__/graphql';
import type { AssignmentModel } from '../../graphql/models';
import { toGlobalId } from '../../lib/global-id';
import { payload, writeRequest } from '../../graphql/payload';
import { planService } from './plan.service';

export const planResolvers: Resolvers = {
  Mutation: {
    createPlan: async (_, { input }, context) =>
      payload(
        context,
        input,
        await planService.create(writeRequest(context), input),
        async (row) => ({ plan: await context.loaders.planById.load(row.id) }),
        { plan: null },
      ),
  },
  Query: {
    plans: (_, args, { loaders }) => loaders.plans(args),
    plan: (_, { code }, { loaders }) => loaders.planByCode.load(code),
  },
  Plan: {
    id: (plan) => toGlobalId('Plan', plan.id),
    issuer: async (plan, _, { loaders }) => (await loaders.agencyById.load(plan.issuerId))!,
    legalBasis: (plan, _, { loaders }) => loaders.legalBasisByPlanId.load(plan.id),
    targets: (plan, _, { loaders }) => loaders.targetsByPlanId.load(plan.id),
    sections: async (plan, _, { loaders }) =>
      (await loaders.sectionsByPlanId.load(plan.id)).filter((s) => s.parentId === null),
    section: async (plan, { number }, { loaders }) =>
      (await loaders.sectionsByPlanId.load(plan.id)).find((s) => s.number === number.normalize('NFC')) ?? null,
    task: (plan, { code }, { loaders }) =>
      loaders.taskByPlanAndCode.load({ planId: plan.id, code: code.normalize('NFC') }),
    tasks: (plan, args, { loaders }) => loaders.tasksByPlan(plan.id, args),
    projects: (plan, args, { loaders }, info) => loaders.projectsByPlan(plan.id, args, listOptions(info)),
    fundingMix: async (plan, _, { loaders }) => ({ rows: await loaders.fundingMixByPlanId.load(plan.id) }),
  },
  PlanLegalBasis: {
    document: async (basis, _, { loaders }) => (await loaders.legalDocumentById.load(basis.documentId))!,
  },
  PlanSection: {
    id: (section) => toGlobalId('PlanSection', section.id),
    plan: async (section, _, { loaders }) => (await loaders.planById.load(section.planId))!,
    parent: (section, _, { loaders }) =>
      section.parentId === null ? null : loaders.sectionById.load(section.parentId),
    children: async (section, _, { loaders }) =>
      (await loaders.sectionsByPlanId.load(section.planId)).filter((s) => s.parentId === section.id),
    // A plan's tasks and assignments are read whole, once, so sections at every depth share one statement.
    tasks: async (section, _, { loaders }) =>
      (await loaders.tasksByPlanId.load(section.planId)).filter((task) => task.sectionId === section.id),
    assignments: async (section, _, { loaders }) =>
      (await loaders.sectionAssignmentsByPlanId.load(section.planId))
        .filter((row) => row.sectionId === section.id)
        .map((row): AssignmentModel => ({
          role: row.role,
          agencyId: row.agencyId,
          basis: 'SECTION',
          sectionId: section.id,
        })),
  },
  PlanTask: {
    id: (task) => toGlobalId('PlanTask', task.id),
    section: async (task, _, { loaders }) => (await loaders.sectionById.load(task.sectionId))!,
    plan: async (task, _, { loaders }) => (await loaders.planById.load(task.planId))!,
    assignments: (task, _, context) => taskAssignments(task, context),
    leadAgency: async (task, _, context) => {
      const assignments = await taskAssignments(task, context);
      const lead =
        assignments.find((a) => a.role === 'LEAD') ??
        assignments.find((a) => a.role === 'IMPLEMENTING') ??
        assignments[0];
      return (await context.loaders.agencyById.load(lead.agencyId))!;
    },
    projects: (task, args, { loaders }, info) => loaders.projectsByTask(task.id, args, listOptions(info)),
    fundingMix: async (task, _, { loaders }) => ({ rows: await loaders.fundingMixByTaskId.load(task.id) }),
  },
  Assignment: {
    agency: async (assignment, _, { loaders }) => (await loaders.agencyById.load(assignment.agencyId))!,
    section: (assignment, _, { loaders }) =>
      assignment.sectionId === null ? null : loaders.sectionById.load(assignment.sectionId),
  },
};

/** The task's assignments as the text makes them; none named means the plan's issuer leads. */
async function taskAssignments(
  task: { id: number; planId: number },
  { loaders }: { loaders: import('../../graphql/loaders').Loaders },
): Promise<AssignmentModel[]> {
  const rows = await loaders.taskAssignmentsByTaskId.load(task.id);
  if (rows.length > 0) {
    return rows.map((row) => ({ role: row.role, agencyId: row.agencyId, basis: 'SECTION', sectionId: row.sectionId }));
  }
  const plan = (await loaders.planById.load(task.planId))!;
  return [{ role: 'LEAD', agencyId: plan.issuerId, basis: 'PLAN_ISSUER', sectionId: null }];
}
