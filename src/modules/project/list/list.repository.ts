import { and, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../../db/client';
import { runSelect, runSelectWithin } from '../../../db/prepared';
import { projects, type ProjectRow } from '../../../db/schema';
import { intArray, textArray } from '../../../db/sql';
import type { WithParent } from '../../../lib/paged-loader';
import { cursorCondition, orderByTerms } from '../../../lib/pagination';
import { mixGroups, parentMixStatement, type FundingMixRow, type MixStatementRow } from '../../funding/mix-sql';
import { projectColumns } from '../project.repository';
import type { CodeField } from './filter';
import { membersOf, notArchived, ROOT, selectedMembers, type ProjectScope } from './members';
import type { RankedProjectRow } from './order';
import type { ProjectQuery } from './query';

export interface ProjectSummaryRow {
  parentId: number;
  /** Which grouping the row is: 'all', 'status', 'sector' or 'year'. */
  grouping: 'all' | 'status' | 'sector' | 'year';
  status: ProjectRow['status'] | null;
  sector: ProjectRow['sector'] | null;
  year: number | null;
  count: number;
  /** Sum of known total investments in VND. */
  totalInvestment: string;
  investmentKnownCount: number;
}

const GROUPING: Record<number, ProjectSummaryRow['grouping']> = { 7: 'all', 3: 'status', 5: 'sector', 6: 'year' };

interface SummaryStatementRow {
  parent_id: number;
  g: number;
  status: string | null;
  sector: string | null;
  year: number | null;
  n: number;
  total: string | null;
  known: number;
}

/** The summary rows of the projects in `selected` (`selectedMembers` with its facts), each parent on its own. */
const summarySelect = sql`
  select parent_id::int as parent_id, grouping(status, sector, year)::int as g,
         status::text as status, sector::text as sector, year,
         count(*)::int as n, coalesce(sum(investment), 0)::text as total, count(investment)::int as known
  from (
    select s.parent_id, s.status, s.sector, extract(year from s.planned_completion)::int as year, s.total_investment_vnd as investment
    from selected s
  ) m
  group by grouping sets ((parent_id), (parent_id, status), (parent_id, sector), (parent_id, year))`;

function toSummaryRow(row: SummaryStatementRow): ProjectSummaryRow {
  return {
    parentId: Number(row.parent_id),
    grouping: GROUPING[Number(row.g)],
    status: row.status as ProjectRow['status'] | null,
    sector: row.sector as ProjectRow['sector'] | null,
    year: row.year === null ? null : Number(row.year),
    count: Number(row.n),
    totalInvestment: row.total ?? '0',
    investmentKnownCount: Number(row.known),
  };
}

/** All SQL of project lists: filtered keyset pages, counts, summaries and funding mixes for any scope. */
export class ProjectListRepository {
  constructor(private readonly db: Db) {}

  /**
   * One page per parent, in one statement. The root list reads its page directly; child lists page by a lateral
   * join per parent. With `only`, the rows hold just those columns (and the rank): enough for the fields the query
   * selects, not a whole project.
   */
  async pages(
    scope: ProjectScope,
    parentIds: number[],
    query: ProjectQuery,
    only: (keyof typeof projectColumns)[] | null = null,
  ): Promise<WithParent<RankedProjectRow>[]> {
    const where = and(notArchived, query.filter, cursorCondition(query.ordering, query.request));
    const order = orderByTerms(query.ordering, query.request.backward);
    const read = only
      ? (Object.fromEntries(only.map((name) => [name, projectColumns[name]])) as typeof projectColumns)
      : projectColumns;
    const columns = { ...read, ...(query.rank ? { rank: sql<number>`${query.rank}`.as('rank') } : {}) };
    if (scope === 'all') {
      const rows = await runSelect(
        this.db,
        this.db
          .select(columns)
          .from(projects)
          .where(where)
          .orderBy(...order)
          .limit(query.request.limit + 1),
      );
      return rows.map((row) => ({ ...(row as RankedProjectRow), parentId: ROOT }));
    }
    // Each parent's page by a lateral join: its members by index, then ordered and cut to the page. A window over
    // every parent's members hashed the whole projects table (a plan tree's 527 tasks: 20 ms over three parallel
    // workers; the lateral pages: 9 ms on one).
    const page = this.db
      .select({ ...columns, rn: sql<number>`row_number() over (order by ${sql.join(order, sql`, `)})`.as('rn') })
      .from(projects)
      .where(and(where, sql`${projects.id} in (${membersOf(scope, sql`parent.id`)})`))
      .orderBy(...order)
      .limit(query.request.limit + 1);
    const rows = await runSelectWithin(
      this.db,
      page,
      (inner) => sql`select page.*, parent.id from unnest(${intArray(parentIds)}) with ordinality as parent(id, ord)
                     cross join lateral (${inner}) page order by parent.ord, page.rn`,
      ['parentId'],
    );
    // Rows keep their `rn` (no field reads it): copying thousands of rows to drop it costs more than it is worth.
    return rows as unknown as WithParent<RankedProjectRow>[];
  }

  async counts(scope: ProjectScope, parentIds: number[], query: ProjectQuery): Promise<Map<number, number>> {
    const rows = await queryRows<{ parent_id: number; n: number }>(
      this.db,
      sql`select s.parent_id::int as parent_id, count(*)::int as n from (${selectedMembers(scope, parentIds, query.filter)}) s group by s.parent_id`,
    );
    return new Map(rows.map((row) => [Number(row.parent_id), Number(row.n)]));
  }

  /** Count, investment, and breakdowns by status, sector and completion year for every parent: one statement. */
  async summaries(scope: ProjectScope, parentIds: number[], query: ProjectQuery): Promise<ProjectSummaryRow[]> {
    const rows = await queryRows<SummaryStatementRow>(
      this.db,
      sql`with selected as (${selectedMembers(scope, parentIds, query.filter, true)}) ${summarySelect} order by parent_id, g, status, sector, year nulls last`,
    );
    return rows.map(toSummaryRow);
  }

  /**
   * Summaries and funding mixes of every parent in one statement: the selection (a search, say) is evaluated once
   * for both. Each part comes back as one JSON array.
   */
  async summariesAndMixes(
    scope: ProjectScope,
    parentIds: number[],
    query: ProjectQuery,
  ): Promise<Map<number, { summary: ProjectSummaryRow[]; mix: FundingMixRow[] }>> {
    const [row] = await queryRows<{ summary: SummaryStatementRow[]; mix: MixStatementRow[] }>(
      this.db,
      sql`with selected as materialized (${selectedMembers(scope, parentIds, query.filter, true)})
          select (select coalesce(json_agg(s order by s.parent_id, s.g, s.status, s.sector, s.year nulls last), '[]'::json)
                  from (${summarySelect}) s) as summary,
                 (select coalesce(json_agg(x order by x.ord), '[]'::json)
                  from (select mix.*, row_number() over () as ord
                        from (${parentMixStatement(sql`select parent_id, project_id from selected`, parentIds.length === 1 ? parentIds[0] : undefined)}) mix) x) as mix`,
    );
    const result = new Map<number, { summary: ProjectSummaryRow[]; mix: FundingMixRow[] }>();
    const entry = (parentId: number) => {
      let value = result.get(parentId);
      if (!value) result.set(parentId, (value = { summary: [], mix: [] }));
      return value;
    };
    for (const summary of row.summary) entry(Number(summary.parent_id)).summary.push(toSummaryRow(summary));
    for (const [gid, group] of mixGroups(row.mix)) entry(Number(gid)).mix.push(...group.mix);
    return result;
  }

  /** The codes of each field that no record has (one statement for every field). */
  async unknownCodes(codes: Record<CodeField, readonly string[]>): Promise<{ field: CodeField; code: string }[]> {
    const missing = (field: CodeField, table: SQL, values: readonly string[]) =>
      sql`select ${field}::text as field, c as code from unnest(${textArray(values)}) c
          where not exists (select 1 from ${table} x where x.code = c)`;
    const parts = [
      codes.agency.length ? missing('agency', sql`agencies`, codes.agency) : null,
      codes.planCode.length ? missing('planCode', sql`plans`, codes.planCode) : null,
      codes.taskCode.length ? missing('taskCode', sql`plan_tasks`, codes.taskCode) : null,
      codes.fundingSource.length ? missing('fundingSource', sql`funding_sources`, codes.fundingSource) : null,
    ].filter((part): part is SQL => part !== null);
    if (parts.length === 0) return [];
    return queryRows<{ field: CodeField; code: string }>(this.db, sql.join(parts, sql` union all `));
  }
}
