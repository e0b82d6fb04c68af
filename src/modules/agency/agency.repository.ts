import { asc, count, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { agencies, agencySuccessions, type AgencyRow, type AgencySuccessionRow } from '../../db/schema';
import { cursorCondition, orderByTerms, type Ordering, type PageRequest } from '../../shared/pagination';

export const agencyOrdering: Ordering<AgencyRow> = {
  tag: 'Agency:code',
  keys: [
    { expr: sql`${agencies.code}`, direction: 'ASC', type: 'text', value: (row) => row.code },
    { expr: sql`${agencies.id}`, direction: 'ASC', type: 'int', value: (row) => row.id },
  ],
};

/** All SQL of agencies and their succession. */
export class AgencyRepository {
  constructor(private readonly db: Db) {}

  agenciesPage(request: PageRequest): Promise<AgencyRow[]> {
    return this.db
      .select()
      .from(agencies)
      .where(cursorCondition(agencyOrdering, request))
      .orderBy(...orderByTerms(agencyOrdering, request.backward))
      .limit(request.limit + 1);
  }

  async countAgencies(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(agencies);
    return Number(row.n);
  }

  agenciesByIds(ids: readonly number[]) {
    return this.db.select().from(agencies).where(inArray(agencies.id, [...ids]));
  }

  agenciesByCodes(codes: readonly string[]) {
    return this.db.select().from(agencies).where(inArray(agencies.code, [...codes]));
  }

  successionsByPredecessorIds(ids: readonly number[]): Promise<AgencySuccessionRow[]> {
    return this.db
      .select()
      .from(agencySuccessions)
      .where(inArray(agencySuccessions.predecessorId, [...ids]))
      .orderBy(asc(agencySuccessions.effectiveOn), asc(agencySuccessions.id));
  }

  successionsBySuccessorIds(ids: readonly number[]): Promise<AgencySuccessionRow[]> {
    return this.db
      .select()
      .from(agencySuccessions)
      .where(inArray(agencySuccessions.successorId, [...ids]))
      .orderBy(asc(agencySuccessions.effectiveOn), asc(agencySuccessions.id));
  }

  /**
   * The agency holding each agency's duties today: follow successions forward, taking the latest one where an
   * agency has several (a split), until an agency with no successor. Cycles stop after 50 steps.
   */
  async currentAgencyIds(ids: readonly number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await queryRows<{ start_id: number; current_id: number }>(
      this.db,
      sql`with recursive chain(start_id, agency_id, depth) as (
            select a.id, a.id, 0 from ${agencies} a where a.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
            union all
            select c.start_id, next.successor_id, c.depth + 1
            from chain c
            cross join lateral (
              select s.successor_id from ${agencySuccessions} s
              where s.predecessor_id = c.agency_id
              order by s.effective_on desc, s.id desc limit 1
            ) next
            where c.depth < 50
          )
          select distinct on (start_id) start_id::int as start_id, agency_id::int as current_id
          from chain order by start_id, depth desc`,
    );
    return new Map(rows.map((row) => [Number(row.start_id), Number(row.current_id)]));
  }
}
