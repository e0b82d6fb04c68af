import { createHash } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import {
  agencySources,
  allocationSources,
  legalDocuments,
  projectSources,
  sourceReferences,
  statusChangeSources,
  successionSources,
} from '../../db/schema';

import { fail, type UserErrors } from '../../lib/user-errors';

export type CitationTable =
  | typeof projectSources
  | typeof allocationSources
  | typeof statusChangeSources
  | typeof successionSources
  | typeof agencySources;

/** A source as both the seed files and the write API give it. */
export interface SourceFields {
  url?: string | null;
  documentCode?: string | null;
  title: string;
  publisher?: string | null;
  quote?: string | null;
  publishedOn?: string | null;
  retrievedOn: string;
  confidence: 'HIGH' | 'MEDIUM' | 'LOW';
  supports?: string | null;
  note?: string | null;
}

/** The same citation is stored once: its identity is its URL, document, title, quote and date. */
export function sourceFingerprint(source: SourceFields): string {
  return createHash('md5')
    .update(
      JSON.stringify([
        source.url ?? null,
        source.documentCode ?? null,
        source.title,
        source.quote ?? null,
        source.publishedOn ?? null,
      ]),
    )
    .digest('hex');
}

/** Checks sources given to a write; documents are checked when stored. */
export function checkSources(
  sources: readonly SourceFields[] | null | undefined,
  field: (string | number)[],
  errors: UserErrors,
): void {
  if (!sources) return;
  if (sources.length > 50) errors.add(field, 'At most 50 sources.');
  sources.forEach((source, i) => {
    const at = [...field, i];
    if (!source.url && !source.documentCode) errors.add(at, 'A source needs a url or a documentCode.');
    if (source.url) {
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(source.url).protocol);
      } catch {
        ok = false;
      }
      if (!ok || source.url.length > 2000)
        errors.add([...at, 'url'], 'Must be an http(s) URL of at most 2000 characters.');
    }
    errors.text(source.title, [...at, 'title'], { max: 500, required: true });
    errors.text(source.publisher, [...at, 'publisher'], { max: 200 });
    errors.text(source.quote, [...at, 'quote'], { max: 5000 });
    errors.text(source.supports, [...at, 'supports'], { max: 100 });
    if (source.publishedOn && source.publishedOn > source.retrievedOn)
      errors.add([...at, 'publishedOn'], 'May not be after retrievedOn.');
  });
}

/** All SQL of writes to sources and citations. Every method runs inside the caller's transaction (or seeding's). */
export class SourceWriter {
  constructor(private readonly db: Db) {}

  /** Stores sources (once each) and answers their ids in input order; null where a document code is unknown. */
  async store(sources: readonly SourceFields[]): Promise<(number | null)[]> {
    const db = this.db;
    if (sources.length === 0) return [];
    const codes = [...new Set(sources.map((s) => s.documentCode).filter((c): c is string => !!c))];
    const documents = codes.length
      ? new Map(
          (
            await db
              .select({ id: legalDocuments.id, code: legalDocuments.code })
              .from(legalDocuments)
              .where(inArray(legalDocuments.code, codes))
          ).map((d) => [d.code, d.id]),
        )
      : new Map<string, number>();
    const rows = new Map<string, SourceFields>();
    for (const source of sources) {
      if (source.documentCode && !documents.has(source.documentCode)) continue;
      rows.set(sourceFingerprint(source), source);
    }
    if (rows.size > 0) {
      await db
        .insert(sourceReferences)
        .values(
          [...rows].map(([fingerprint, s]) => ({
            fingerprint,
            url: s.url ?? null,
            documentId: s.documentCode ? documents.get(s.documentCode)! : null,
            title: s.title,
            publisher: s.publisher ?? null,
            quote: s.quote ?? null,
            publishedOn: s.publishedOn ?? null,
            retrievedOn: s.retrievedOn,
            confidence: s.confidence,
            note: s.note ?? null,
          })),
        )
        .onConflictDoNothing({ target: sourceReferences.fingerprint });
    }
    const stored = rows.size
      ? new Map(
          (
            await db
              .select({ id: sourceReferences.id, fingerprint: sourceReferences.fingerprint })
              .from(sourceReferences)
              .where(inArray(sourceReferences.fingerprint, [...rows.keys()]))
          ).map((r) => [r.fingerprint, r.id]),
        )
      : new Map<string, number>();
    return sources.map((s) => stored.get(sourceFingerprint(s)) ?? null);
  }

  /** Cites `sources` on a record (after its existing citations, which are kept). */
  async cite(
    table: CitationTable,
    ownerId: number,
    sources: readonly SourceFields[] | null | undefined,
    field: (string | number)[] = ['input', 'sources'],
  ): Promise<void> {
    const db = this.db;
    if (!sources || sources.length === 0) return;
    const ids = await this.store(sources);
    ids.forEach((id, i) => {
      if (id === null)
        fail(
          [...field, i, 'documentCode'],
          `No legal document has the code "${sources[i].documentCode}".`,
          'NOT_FOUND',
        );
    });
    const [{ next }] = await queryRows<{ next: number }>(
      db,
      sql`select coalesce(max(position), 0)::int + 1 as next from ${table} where ${table.ownerId} = ${ownerId}`,
    );
    const rows = sources
      .map((s, i) => ({ ownerId, sourceId: ids[i], supports: s.supports ?? '', position: Number(next) + i }))
      .filter((r): r is typeof r & { sourceId: number } => r.sourceId !== null);
    if (rows.length > 0) await db.insert(table).values(rows).onConflictDoNothing();
  }
}
