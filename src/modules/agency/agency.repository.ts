import { anyInt, anyText, preparedRead } from '../../db/prepared';
import { asc, count, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { agencies, agencySuccessions, type AgencyRow, type AgencySuccessionRow } from '../../db/schema';
import { cursorCondition, orderByTerms, type Ordering, type PageRequest } from '../../lib/pagination';

export const agencyOrdering: Ordering<AgencyRow> = {
  tag: 'Agency:code',
  keys: [
    { expr: sql`${agencies.code}`, direction: 'ASC', type: 'text', value: (row) => row.code },
    { expr: sql`${agencies.id}`, direction: 'ASC', type: 'int', value: (row) => row.id },
  ],
};

const agenciesByIds = preparedRead((db) => db.select().from(agencies).where(anyInt(agencies.id, 'ids')));
const agenciesByCodes = preparedRead((db) => db.select().from(agencies).where(anyText(agencies.code, 'codes')));

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
    return agenciesByIds(this.db, { ids: [...ids] });
  }

  agenciesByCodes(codes: readonly string[]) {
    return agenciesByCodes(this.db, { codes: [...codes] });
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

  /** The agency holding each agency's duties today (the `agency_current` view follows the successions). */
  async currentAgencyIds(ids: readonly number[]): Promise<Map<number, number>> {
    const rows = await queryRows<{ agency_id: number; current_id: number }>(
      this.db,
      sql`select agency_id::int as agency_id, current_id::int as current_id from agency_current
          where agency_id in (${sql.join(
            ids.map((id) => sql`${id}`),
            sql`, `,
          )})`,
    );
    return new Map(rows.map((row) => [Number(row.agency_id), Number(row.current_id)]));
  }
}
