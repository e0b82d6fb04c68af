import { listOptions } from './list/loaders';
import type { Resolvers } from '../../__generated__/graphql';
import { toGlobalId } from '../../lib/global-id';
import { payload, writeRequest } from '../../graphql/payload';
import { ROOT } from './list/members';
import { projectService } from './project.service';
import { OC4IDS_PROJECT_STATUS } from './status';

const vnd = (amount: string) => ({ amount, currency: 'VND' });

export const projectResolvers: Resolvers = {
  Mutation: {
    createProject: async (_, { input }, context) =>
      payload(
        context,
        input,
        await projectService.create(writeRequest(context), input),
        async (row) => ({ project: await context.loaders.projectById.load(row.id) }),
        { project: null },
      ),
    updateProject: async (_, { input }, context) =>
      payload(
        context,
        input,
        await projectService.update(writeRequest(context), input),
        async (row) => ({ project: await context.loaders.projectById.load(row.id) }),
        { project: null },
      ),
    archiveProject: async (_, { input }, context) =>
      payload(
        context,
        input,
        await projectService.archive(writeRequest(context), input),
        async (row) => ({ project: await context.loaders.projectById.load(row.id) }),
        { project: null },
      ),
    changeProjectStatus: async (_, { input }, context) =>
      payload(
        context,
        input,
        await projectService.changeStatus(writeRequest(context), input),
        async ({ project, change }) => ({
          project: await context.loaders.projectById.load(project.id),
          statusChange: await context.loaders.statusChangeById.load(change.id),
        }),
        { project: null, statusChange: null },
      ),
    setProjectFunding: async (_, { input }, context) =>
      payload(
        context,
        input,
        await projectService.setFunding(writeRequest(context), input),
        async (row) => ({ project: await context.loaders.projectById.load(row.id) }),
        { project: null },
      ),
    linkProjectToTask: async (_, { input }, context) =>
      payload(
        context,
        input,
        await projectService.link(writeRequest(context), input, 'linkProjectToTask'),
        async ({ project, taskId }) => ({
          project: await context.loaders.projectById.load(project.id),
          task: await context.loaders.taskById.load(taskId),
        }),
        { project: null, task: null },
      ),
    unlinkProjectFromTask: async (_, { input }, context) =>
      payload(
        context,
        input,
        await projectService.link(writeRequest(context), input, 'unlinkProjectFromTask'),
        async ({ project, taskId }) => ({
          project: await context.loaders.projectById.load(project.id),
          task: await context.loaders.taskById.load(taskId),
        }),
        { project: null, task: null },
      ),
  },
  Query: {
    project: (_, { code }, { loaders }) => loaders.projectByCode.load(code.normalize('NFC')),
    projects: (_, args, { loaders }, info) => loaders.projects(ROOT, args, listOptions(info)),
  },
  Project: {
    id: (project) => toGlobalId('Project', project.id),
    statusHistory: (project, _, { loaders }) => loaders.statusChangesByProjectId.load(project.id),
    locations: (project, _, { loaders }) => loaders.locationsByProjectId.load(project.id),
    ownerAgency: (project, _, { loaders }) =>
      project.ownerAgencyId === null ? null : loaders.agencyById.load(project.ownerAgencyId),
    tasks: async (project, _, { loaders }) => {
      const links = await loaders.taskIdsByProjectId.load(project.id);
      const tasks = await Promise.all(links.map((link) => loaders.taskById.load(link.taskId)));
      return tasks.filter((task) => task !== null);
    },
    totalInvestment: (project) =>
      project.totalInvestmentAmount === null || project.totalInvestmentCurrency === null
        ? null
        : { amount: project.totalInvestmentAmount, currency: project.totalInvestmentCurrency },
    funding: (project, _, { loaders }) => loaders.allocationsByProjectId.load(project.id),
    fundingMix: async (project, _, { loaders }) => ({ rows: await loaders.fundingMixByProjectId.load(project.id) }),
    sources: (project, _, { loaders }) => loaders.sourcesByProjectId.load(project.id),
  },
  ProjectStatusChange: {
    id: (change) => toGlobalId('ProjectStatusChange', change.id),
    oc4idsStatus: (change) => OC4IDS_PROJECT_STATUS[change.status],
    sources: (change, _, { loaders }) => loaders.sourcesByStatusChangeId.load(change.id),
  },
  ProjectLocation: {
    geometry: (location) => (location.geometry as Record<string, unknown> | null) ?? null,
  },
  ProjectAggregate: {
    count: async (aggregate) => (await aggregate.summary()).find((row) => row.grouping === 'all')?.count ?? 0,
    totalInvestment: async (aggregate) =>
      vnd((await aggregate.summary()).find((row) => row.grouping === 'all')?.totalInvestment ?? '0'),
    investmentKnownCount: async (aggregate) =>
      (await aggregate.summary()).find((row) => row.grouping === 'all')?.investmentKnownCount ?? 0,
    byStatus: async (aggregate) => (await aggregate.summary()).filter((row) => row.grouping === 'status'),
    bySector: async (aggregate) => (await aggregate.summary()).filter((row) => row.grouping === 'sector'),
    byYear: async (aggregate) => (await aggregate.summary()).filter((row) => row.grouping === 'year'),
    byFundingSource: (aggregate) => aggregate.mix(),
    fundingMix: async (aggregate) => ({ rows: await aggregate.mix() }),
  },
  StatusBucket: {
    status: (row) => row.status!,
    totalInvestment: (row) => vnd(row.totalInvestment),
  },
  SectorBucket: {
    sector: (row) => row.sector!,
    totalInvestment: (row) => vnd(row.totalInvestment),
  },
  YearBucket: {
    totalInvestment: (row) => vnd(row.totalInvestment),
  },
};
