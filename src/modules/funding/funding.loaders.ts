import type { BatchScheduler } from '../../lib/batch-scheduler';
import { groupLoader, rowLoader, scheduledLoader } from '../../lib/loader-utils';
import type { FundingMixRow, FundingRepository } from './funding.repository';

type FundingSourceRow = Awaited<ReturnType<FundingRepository['fundingSources']>>[number];

/** The loaders of funding sources, allocations and mixes. */
export function fundingLoaders(scheduler: BatchScheduler, funding: FundingRepository) {
  const mixLoader = (fetch: (ids: readonly number[]) => Promise<Map<number, FundingMixRow[]>>) =>
    scheduledLoader<number, FundingMixRow[]>(scheduler, async (ids) => {
      const mixes = await fetch(ids);
      return ids.map((id) => mixes.get(id) ?? []);
    });
  const fundingSources = scheduledLoader<'all', FundingSourceRow[]>(scheduler, async (keys) => {
    const rows = await funding.fundingSources();
    return keys.map(() => rows);
  });
  let sourcesById: Map<number, FundingSourceRow> | null = null;
  const allocationById = rowLoader(
    scheduler,
    (ids: readonly number[]) => funding.allocationsByIds(ids),
    (row) => row.id,
  );
  const allocationsByProjectId = groupLoader(
    scheduler,
    (ids: readonly number[]) => funding.allocationsByProjectIds(ids),
    (row) => row.projectId,
  );
  const fundingMixByProjectId = mixLoader((ids) => funding.fundingMixesByProjectIds(ids));
  const fundingMixByTaskId = mixLoader((ids) => funding.fundingMixesByScope('task', ids));
  const fundingMixByPlanId = mixLoader((ids) => funding.fundingMixesByScope('plan', ids));
  return {
    allocationById,
    allocationsByProjectId,
    fundingSources,
    /**
     * A funding source by database id: synchronous once the request has read the (seven) sources, so the thousands
     * of shares of a plan tree resolve their source without a promise each.
     */
    fundingSourceById(id: number): FundingSourceRow | Promise<FundingSourceRow> {
      if (sourcesById) return sourcesById.get(id)!;
      return fundingSources.load('all').then((rows) => {
        sourcesById ??= new Map(rows.map((row) => [row.id, row]));
        return sourcesById.get(id)!;
      });
    },
    fundingMixByProjectId,
    fundingMixByTaskId,
    fundingMixByPlanId,
    /** After a project's funding was written: its allocations and every mix are read again. */
    forgetFunding(projectId: number) {
      allocationsByProjectId.clear(projectId);
      allocationById.clearAll();
      for (const loader of [fundingMixByProjectId, fundingMixByTaskId, fundingMixByPlanId]) loader.clearAll();
    },
  };
}
