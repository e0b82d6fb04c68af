import { asc, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  agencySources,
  allocationSources,
  legalDocuments,
  projectSources,
  sourceReferences,
  statusChangeSources,
  successionSources,
  type SourceReferenceRow,
} from '../../db/schema';

/** A source as cited by one record: the source, and which of the record's figures it backs. */
export type CitationRow = SourceReferenceRow & { ownerId: number; supports: string };

const citationTables = {
  project: projectSources,
  allocation: allocationSources,
  statusChange: statusChangeSources,
  succession: successionSources,
  agency: agencySources,
};
export type CitationOwner = keyof typeof citationTables;

/** All SQL of sources and legal documents. */
export class SourceRepository {
  constructor(private readonly db: Db) {}

  citations(owner: CitationOwner, ownerIds: readonly number[]): Promise<CitationRow[]> {
    const link = citationTables[owner];
    return this.db
      .select({ ...getTableColumns(sourceReferences), ownerId: link.ownerId, supports: link.supports })
      .from(link)
      .innerJoin(sourceReferences, eq(sourceReferences.id, link.sourceId))
      .where(inArray(link.ownerId, [...ownerIds]))
      .orderBy(asc(link.ownerId), asc(link.position));
  }

  sourcesByIds(ids: readonly number[]) {
    return this.db
      .select()
      .from(sourceReferences)
      .where(inArray(sourceReferences.id, [...ids]));
  }

  documentsByIds(ids: readonly number[]) {
    return this.db
      .select()
      .from(legalDocuments)
      .where(inArray(legalDocuments.id, [...ids]));
  }
}
