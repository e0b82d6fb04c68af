import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import {
  agencies,
  agencySuccessions,
  legalDocuments,
  successionSources,
  type AgencyRow,
  type AgencySuccessionRow,
} from '../../db/schema';
import { SourceWriter, type SourceFields } from '../source/source.writer';

/** All SQL of writes to agencies and their successions. Every method runs inside the caller's transaction. */
export class AgencyWriter {
  constructor(private readonly tx: Db) {}

  /** The code of an agency that has `code` without regard to case, or null. */
  async codeTaken(code: string): Promise<string | null> {
    const [row] = await this.tx
      .select({ code: agencies.code })
      .from(agencies)
      .where(sql`lower(${agencies.code}) = lower(${code})`);
    return row?.code ?? null;
  }

  async insert(values: typeof agencies.$inferInsert): Promise<AgencyRow> {
    const [row] = await this.tx.insert(agencies).values(values).returning();
    return row;
  }

  /** The agency with this code, locked until the transaction ends (with `lock`), or null. */
  async byCode(code: string, options: { lock?: boolean } = {}): Promise<AgencyRow | null> {
    const query = this.tx.select().from(agencies).where(eq(agencies.code, code));
    const [row] = options.lock ? await query.for('update') : await query;
    return row ?? null;
  }

  async legalDocumentId(code: string): Promise<number | null> {
    const [row] = await this.tx
      .select({ id: legalDocuments.id })
      .from(legalDocuments)
      .where(eq(legalDocuments.code, code));
    return row?.id ?? null;
  }

  async successionExists(predecessorId: number, successorId: number, effectiveOn: string): Promise<boolean> {
    const rows = await this.tx
      .select({ id: agencySuccessions.id })
      .from(agencySuccessions)
      .where(
        and(
          eq(agencySuccessions.predecessorId, predecessorId),
          eq(agencySuccessions.successorId, successorId),
          eq(agencySuccessions.effectiveOn, effectiveOn),
        ),
      );
    return rows.length > 0;
  }

  /** True when `from`, through its later successions, leads to `to`. */
  async leadsTo(from: number, to: number): Promise<boolean> {
    const [row] = await queryRows<{ n: number }>(
      this.tx,
      sql`with recursive later(id) as (
            select ${from}::int union select s.successor_id from ${agencySuccessions} s join later on s.predecessor_id = later.id
          ) select count(*)::int as n from later where id = ${to}`,
    );
    return Number(row.n) > 0;
  }

  async insertSuccession(
    values: typeof agencySuccessions.$inferInsert,
    sources: readonly SourceFields[] | null | undefined,
  ): Promise<AgencySuccessionRow> {
    const [succession] = await this.tx.insert(agencySuccessions).values(values).returning();
    await new SourceWriter(this.tx).cite(successionSources, succession.id, sources);
    return succession;
  }

  async close(agencyId: number, validTo: string): Promise<AgencyRow> {
    const [row] = await this.tx
      .update(agencies)
      .set({ validTo, updatedAt: sql`now()` })
      .where(eq(agencies.id, agencyId))
      .returning();
    return row;
  }
}
