import type { FundingGroupBy, ProjectSector, ProjectStatus, Resolvers } from '../../__generated__/graphql';
import type { Loaders } from '../../graphql/loaders';
import type { NodeModel } from '../../graphql/models';
import { asNode } from '../node/resolvers';
import { projectFilterSql } from '../project/list/filter';
import { SECTOR_LABELS, STATUS_LABELS, UNRECORDED_FINANCIER } from './labels';

const NODE_OF: Partial<Record<FundingGroupBy, (loaders: Loaders, id: number) => Promise<NodeModel | null>>> = {
  PLAN: (loaders, id) => loaders.planById.load(id).then((row) => asNode('Plan', row)),
  TASK: (loaders, id) => loaders.taskById.load(id).then((row) => asNode('PlanTask', row)),
  AGENCY: (loaders, id) => loaders.agencyById.load(id).then((row) => asNode('Agency', row)),
  PROJECT: (loaders, id) => loaders.projectById.load(id).then((row) => asNode('Project', row)),
};

export const portfolioResolvers: Resolvers = {
  Query: {
    fundingMix: async (_, { groupBy, filter, currentAgencies }, { repos, loaders }) => {
      loaders.noteFilter(filter);
      const { where } = projectFilterSql(filter);
      const rows = await repos.funding.groupedMixes(groupBy, where, currentAgencies !== false);
      return rows.map((row) => ({ groupBy, row }));
    },
  },
  FundingMixGroup: {
    key: ({ groupBy, row }) => (groupBy === 'FINANCIER' && row.key === '' ? UNRECORDED_FINANCIER : row.key),
    label: ({ groupBy, row }) => {
      if (groupBy === 'SECTOR') return SECTOR_LABELS[row.key as ProjectSector];
      if (groupBy === 'STATUS') return STATUS_LABELS[row.key as ProjectStatus];
      if (groupBy === 'FINANCIER' && row.key === '') return 'Financier not recorded';
      return row.label ?? row.key;
    },
    node: ({ groupBy, row }, _, { loaders }) => {
      const load = NODE_OF[groupBy];
      return load && row.refId !== null ? load(loaders, row.refId) : null;
    },
    projectCount: ({ row }) => row.projectCount,
    mix: ({ row }) => ({ rows: row.mix }),
  },
};
