import { preparedRead, preparedSql } from '../../db/prepared';
import { and, asc, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { FundingGroupBy } from '../../__generated__/graphql';
import { queryRows, type Db } from '../../db/client';
import { fundingAllocations, fundingSources, projects } from '../../db/schema';
import { selectedMembers, type ProjectScope } from '../project/list/members';
import {
  groupMembers,
  mixGroups,
  mixRow,
  mixStatement,
  parentMixStatement,
  type FundingGroupRow,
  type FundingMixRow,
  type MixStatementRow,
} from './mix-sql';

export type { FundingGroupRow, FundingMixRow };

/** The mix of each of a list of projects: the same sums, shares and order as `mixStatement`, without its groups. */
const projectMixes = preparedSql<{
  project_id: number;
  source_id: number;
  amount: string;
  share: string | null;
  allocation_count: number;
  unknown_count: number;
  total: string;
}>(sql`with by_source as (
         select fa.project_id, fa.source_id, sum(fa.amount_vnd) as amount, count(*) as allocation_count,
                count(*) filter (where fa.amount_vnd is null) as unknown_count
         from ${fundingAllocations} fa where fa.project_id = any(${sql.placeholder('ids')}::int[])
         group by fa.project_id, fa.source_id
       ),
       totals as (select project_id, coalesce(sum(amount), 0) as total from by_source group by project_id)
       select s.project_id::int as project_id, s.source_id::int as source_id,
              coalesce(s.amount, 0)::text as amount,
              case when t.total > 0 then round(coalesce(s.amount, 0) / t.total, 6)::text end as share,
              s.allocation_count::int as allocation_count, s.unknown_count::int as unknown_count,
              t.total::text as total
       from by_source s join totals t on t.project_id = s.project_id join ${fundingSources} fs on fs.id = s.source_id
       order by s.project_id, coalesce(s.amount, 0) desc, fs.position`);

const allFundingSources = preparedRead((db) => db.select().from(fundingSources).orderBy(asc(fundingSources.position)));

/** All SQL of funding sources, allocations and funding mixes. Sums and shares are exact `numeric` arithmetic. */
export class FundingRepository {
  constructor(private readonly db: Db) {}

  fundingSources() {
    return allFundingSources(this.db, {});
  }

  allocationsByProjectIds(projectIds: readonly number[]) {
    return this.db
      .select()
      .from(fundingAllocations)
      .where(inArray(fundingAllocations.projectId, [...projectIds]))
      .orderBy(asc(fundingAllocations.projectId), asc(fundingAllocations.position), asc(fundingAllocations.id));
  }

  allocationsByIds(ids: readonly number[]) {
    return this.db
      .select()
      .from(fundingAllocations)
      .where(inArray(fundingAllocations.id, [...ids]));
  }

  /** Mixes of many parents in one statement; `members` yields (parent_id, project_id), `single` when one parent. */
  private async mixesByParent(members: SQL, single?: number): Promise<Map<number, FundingMixRow[]>> {
    const rows = await queryRows<MixStatementRow>(this.db, parentMixStatement(members, single));
    return new Map([...mixGroups(rows)].map(([gid, group]) => [Number(gid), group.mix]));
  }

  /** Each project's own mix (archived or not); a project without allocations has none. */
  async fundingMixesByProjectIds(projectIds: readonly number[]): Promise<Map<number, FundingMixRow[]>> {
    const rows = await projectMixes(this.db, { ids: [...projectIds] });
    const mixes = new Map<number, FundingMixRow[]>();
    for (const row of rows) {
      let mix = mixes.get(row.project_id);
      if (!mix) mixes.set(row.project_id, (mix = []));
      mix.push(mixRow(row));
    }
    return mixes;
  }

  /** Mixes of the projects under each parent (a task's, a plan's: each project once per parent). */
  fundingMixesByScope(scope: Exclude<ProjectScope, 'all'>, parentIds: readonly number[]) {
    return this.mixesByParent(selectedMembers(scope, parentIds, undefined));
  }

  /** Mixes of the projects a query selects under each parent. */
  fundingMixesOfSelection(scope: ProjectScope, parentIds: readonly number[], filter: SQL | undefined) {
    return this.mixesByParent(
      selectedMembers(scope, parentIds, filter),
      parentIds.length === 1 ? parentIds[0] : undefined,
    );
  }

  /** `selected` of `Query.fundingMix`: the projects the filter selects, with what groups need. */
  private selected(filter: SQL | undefined): SQL {
    return sql`select ${projects.id} as project_id, ${projects.sector} as sector, ${projects.status} as status,
                      ${projects.code} as code, ${projects.name} as name
               from ${projects} where ${and(isNull(projects.archivedAt), filter)}`;
  }

  /** `Query.fundingMix`: groups of the selected projects, each with its mix, in one statement. */
  async groupedMixes(
    groupBy: FundingGroupBy,
    filter: SQL | undefined,
    currentAgencies: boolean,
  ): Promise<FundingGroupRow[]> {
    const rows = await queryRows<MixStatementRow>(
      this.db,
      mixStatement(groupMembers(groupBy, currentAgencies), {
        prelude: sql`selected as not materialized (${this.selected(filter)})`,
        byAllocation: groupBy === 'FINANCIER',
        inline: groupBy === 'SECTOR' || groupBy === 'STATUS' || groupBy === 'PROJECT',
      }),
    );
    return [...mixGroups(rows).values()];
  }
}
