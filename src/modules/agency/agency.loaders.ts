import type { BatchScheduler } from '../../lib/batch-scheduler';
import { groupLoader, prime, rowLoader, scheduledLoader } from '../../lib/loader-utils';
import type { PageArgs } from '../../lib/pagination';
import { rootConnection } from '../../lib/top-level';
import { agencyOrdering, type AgencyRepository } from './agency.repository';

/** The loaders of agencies and their successions. */
export function agencyLoaders(scheduler: BatchScheduler, agencies: AgencyRepository) {
  const agencyById = rowLoader(
    scheduler,
    (ids: readonly number[]) => agencies.agenciesByIds(ids),
    (row) => row.id,
  );
  const agencyByCode = rowLoader(
    scheduler,
    async (codes: readonly string[]) => prime(agencyById, await agencies.agenciesByCodes(codes)),
    (row) => row.code,
  );
  const successionsByPredecessorId = groupLoader(
    scheduler,
    (ids: readonly number[]) => agencies.successionsByPredecessorIds(ids),
    (row) => row.predecessorId,
  );
  const successionsBySuccessorId = groupLoader(
    scheduler,
    (ids: readonly number[]) => agencies.successionsBySuccessorIds(ids),
    (row) => row.successorId,
  );
  const currentAgencyIdByAgencyId = scheduledLoader<number, number>(scheduler, async (ids) => {
    const map = await agencies.currentAgencyIds(ids);
    return ids.map((id) => map.get(id) ?? id);
  });
  return {
    agencyById,
    agencyByCode,
    successionsByPredecessorId,
    successionsBySuccessorId,
    currentAgencyIdByAgencyId,
    /** `Query.agencies`. */
    agencies: (args: PageArgs) =>
      rootConnection(
        scheduler,
        args,
        agencyOrdering,
        agencyById,
        (request) => agencies.agenciesPage(request),
        () => agencies.countAgencies(),
      ),
    /** After an agency or a succession was written: what it touches is read again. */
    forgetAgencies() {
      for (const loader of [
        agencyById,
        agencyByCode,
        successionsByPredecessorId,
        successionsBySuccessorId,
        currentAgencyIdByAgencyId,
      ])
        loader.clearAll();
    },
  };
}
