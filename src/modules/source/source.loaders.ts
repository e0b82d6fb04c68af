import type { BatchScheduler } from '../../lib/batch-scheduler';
import { groupLoader, rowLoader } from '../../lib/loader-utils';
import type { CitationOwner, CitationRow, SourceRepository } from './source.repository';

/** The loaders of sources, citations and legal documents. */
export function sourceLoaders(scheduler: BatchScheduler, sources: SourceRepository) {
  const citationLoader = (owner: CitationOwner) =>
    groupLoader<number, CitationRow>(
      scheduler,
      (ids) => sources.citations(owner, ids),
      (row) => row.ownerId,
    );
  const loaders = {
    legalDocumentById: rowLoader(
      scheduler,
      (ids: readonly number[]) => sources.documentsByIds(ids),
      (row) => row.id,
    ),
    sourceById: rowLoader(
      scheduler,
      (ids: readonly number[]) => sources.sourcesByIds(ids),
      (row) => row.id,
    ),
    sourcesByProjectId: citationLoader('project'),
    sourcesByAllocationId: citationLoader('allocation'),
    sourcesByStatusChangeId: citationLoader('statusChange'),
    sourcesBySuccessionId: citationLoader('succession'),
    sourcesByAgencyId: citationLoader('agency'),
  };
  return {
    ...loaders,
    /** After a write that cited sources: citations are read again. */
    forgetCitations() {
      for (const loader of Object.values(loaders)) loader.clearAll();
    },
  };
}
