import type { Resolvers } from '../../__generated__/graphql';
import { toGlobalId } from '../../shared/global-id';
import { ROOT } from './project.repository';
import { OC4IDS_PROJECT_STATUS } from './status';

export const projectResolvers: Resolvers = {
  Query: {
    project: (_, { code }, { loaders }) => loaders.projectByCode.load(code.normalize('NFC')),
    projects: (_, args, { loaders }) => loaders.projects(ROOT, args),
  },
  Project: {
    id: (project) => toGlobalId('Project', project.id),
    statusHistory: (project, _, { loaders }) => loaders.statusChangesByProjectId.load(project.id),
    locations: (project, _, { loaders }) => loaders.locationsByProjectId.load(project.id),
    ownerAgency: (project, _, { loaders }) => (project.ownerAgencyId === null ? null : loaders.agencyById.load(project.ownerAgencyId)),
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
};
