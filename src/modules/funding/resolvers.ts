import type { Resolvers } from '../../__generated__/graphql';
import type { Loaders } from '../../graphql/loaders';
import { toGlobalId } from '../../lib/global-id';

function fundingSource(loaders: Loaders, id: number) {
  return loaders.fundingSourceById(id);
}

/** `known / all` as a decimal string with six places, from whole numbers. */
function ratio(known: number, all: number): string {
  if (all === 0) return '0';
  const millionths = Math.round((known * 1_000_000) / all);
  const whole = Math.floor(millionths / 1_000_000);
  const fraction = String(millionths % 1_000_000).padStart(6, '0');
  return `${whole}.${fraction}`;
}

export const fundingResolvers: Resolvers = {
  Query: {
    fundingSources: (_, __, { loaders }) => loaders.fundingSources.load('all'),
  },
  FundingAllocation: {
    id: (allocation) => toGlobalId('FundingAllocation', allocation.id),
    source: (allocation, _, { loaders }) => fundingSource(loaders, allocation.sourceId),
    amount: (allocation) =>
      allocation.amount === null ? null : { amount: allocation.amount, currency: allocation.currency },
    sources: (allocation, _, { loaders }) => loaders.sourcesByAllocationId.load(allocation.id),
  },
  FundingMix: {
    total: ({ rows }) => ({ amount: rows[0]?.total ?? '0', currency: 'VND' }),
    shares: ({ rows }) => rows,
    allocationCount: ({ rows }) => rows.reduce((sum, row) => sum + row.allocationCount, 0),
    unknownCount: ({ rows }) => rows.reduce((sum, row) => sum + row.unknownCount, 0),
    knownShare: ({ rows }) => {
      const all = rows.reduce((sum, row) => sum + row.allocationCount, 0);
      const unknown = rows.reduce((sum, row) => sum + row.unknownCount, 0);
      return ratio(all - unknown, all);
    },
  },
  FundingShare: {
    source: (share, _, { loaders }) => fundingSource(loaders, share.sourceId),
    amount: (share) => ({ amount: share.amount, currency: 'VND' }),
  },
};
