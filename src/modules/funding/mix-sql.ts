import { sql, type SQL } from 'drizzle-orm';
import type { FundingGroupBy } from '../../__generated__/graphql';
import { agencies, fundingAllocations, fundingSources, plans, planTasks, projectTasks } from '../../db/schema';

/**
 * The SQL of funding mixes, shared by every mix the API answers: a project's, a task's or a plan's, a list's
 * aggregate, and `Query.fundingMix`'s groups. Sums and shares are exact `numeric` arithmetic in PostgreSQL.
 */

/** One funding source's part of one group's mix. */
export interface FundingMixRow {
  sourceId: number;
  /** Sum of known VND amounts of this source. */
  amount: string;
  share: string | null;
  allocationCount: number;
  unknownCount: number;
  /** Sum of known VND amounts of all sources of the group. */
  total: string;
}

/** A group of `Query.fundingMix`: its identity, its projects and its mix. */
export interface FundingGroupRow {
  key: string;
  label: string | null;
  /** Database id of the plan, task, agency or project the group stands for. */
  refId: number | null;
  projectCount: number;
  mix: FundingMixRow[];
}

/**
 * The mix of each group in one statement. `members` yields `gid` (the group), `key`, `label`, `ref_id` and
 * `project_id`, each (group, project) once; with `byAllocation` it also yields `allocation_id`, and a group holds
 * only those allocations (a financier's), else all of its projects' allocations.
 */
export function mixStatement(
  members: SQL,
  options: { prelude?: SQL; byAllocation?: boolean; inline?: boolean; singleGroup?: string } = {},
): SQL {
  // With one group, its allocations are a semi-join on the members, which PostgreSQL answers with the allocations'
  // project index (a filtered set of 1,263 projects over 100,657 allocations: 12 ms, where the join hashed every
  // allocation in 28 ms).
  const bySource =
    options.singleGroup !== undefined
      ? sql`select ${options.singleGroup}::text as gid, fa.source_id, sum(fa.amount_vnd) as amount, count(*) as allocation_count,
               count(*) filter (where fa.amount_vnd is null) as unknown_count
        from ${fundingAllocations} fa where fa.project_id in (select project_id from members) group by fa.source_id`
      : null;
  const allocations = options.byAllocation
    ? sql`select m.gid, fa.source_id, fa.amount_vnd from members m join ${fundingAllocations} fa on fa.id = m.allocation_id`
    : sql`select m.gid, fa.source_id, fa.amount_vnd from members m join ${fundingAllocations} fa on fa.project_id = m.project_id`;
  // Members that are a plain projection of the projects are inlined, so the planner joins the projects straight to
  // their allocations (by sector over 20,000 projects: 75-90 ms materialized, 60 ms inlined); members built with
  // joins and DISTINCT are computed once.
  return sql`with ${options.prelude ? sql`${options.prelude}, ` : sql``}members as ${sql.raw(options.inline ? 'not materialized' : 'materialized')} (${members}),
    groups as (
      select gid, min(key) as key, min(label) as label, min(ref_id) as ref_id,
             ${options.byAllocation ? sql`count(distinct project_id)` : sql`count(*)`} as project_count
      from members group by gid
    ),
    by_source as (
      ${
        bySource ??
        sql`select a.gid, a.source_id, sum(a.amount_vnd) as amount, count(*) as allocation_count,
             count(*) filter (where a.amount_vnd is null) as unknown_count
      from (${allocations}) a group by a.gid, a.source_id`
      }
    ),
    totals as (select gid, coalesce(sum(amount), 0) as total from by_source group by gid)
    select g.gid, g.key, g.label, g.ref_id::int as ref_id, g.project_count::int as project_count,
           s.source_id::int as source_id,
           coalesce(s.amount, 0)::text as amount,
           case when t.total > 0 then round(coalesce(s.amount, 0) / t.total, 6)::text end as share,
           coalesce(s.allocation_count, 0)::int as allocation_count,
           coalesce(s.unknown_count, 0)::int as unknown_count,
           coalesce(t.total, 0)::text as total
    from groups g
    left join by_source s on s.gid = g.gid
    left join totals t on t.gid = g.gid
    left join ${fundingSources} fs on fs.id = s.source_id
    order by coalesce(t.total, 0) desc, g.key, g.gid, coalesce(s.amount, 0) desc, fs.position`;
}

/** The mix of each parent: `members` yields (parent_id, project_id); `single` is the parent's id when there is one. */
export function parentMixStatement(members: SQL, single?: number): SQL {
  return mixStatement(
    sql`select m.parent_id::text as gid, m.parent_id::text as key, null::text as label, null::int as ref_id, m.project_id from (${members}) m`,
    { singleGroup: single === undefined ? undefined : String(single) },
  );
}

export interface MixStatementRow {
  gid: string;
  key: string;
  label: string | null;
  ref_id: number | null;
  project_count: number;
  source_id: number | null;
  amount: string;
  share: string | null;
  allocation_count: number;
  unknown_count: number;
  total: string;
}

/** One source's part of a mix, from a row of a mix statement. */
export function mixRow(
  row: Pick<MixStatementRow, 'amount' | 'share' | 'allocation_count' | 'unknown_count' | 'total'> & {
    source_id: number;
  },
): FundingMixRow {
  return {
    sourceId: Number(row.source_id),
    amount: row.amount,
    share: row.share,
    allocationCount: Number(row.allocation_count),
    unknownCount: Number(row.unknown_count),
    total: row.total,
  };
}

export function mixGroups(rows: MixStatementRow[]): Map<string, FundingGroupRow> {
  const groups = new Map<string, FundingGroupRow>();
  for (const row of rows) {
    let group = groups.get(row.gid);
    if (!group) {
      group = {
        key: row.key,
        label: row.label,
        refId: row.ref_id === null ? null : Number(row.ref_id),
        projectCount: Number(row.project_count),
        mix: [],
      };
      groups.set(row.gid, group);
    }
    if (row.source_id !== null) group.mix.push(mixRow(row as MixStatementRow & { source_id: number }));
  }
  return groups;
}

/**
 * Members of `Query.fundingMix` groups over the projects in `selected` (a CTE of the statement with the project's
 * id, sector, status, code and name), each (group, project) once.
 */
export function groupMembers(groupBy: FundingGroupBy, currentAgencies: boolean): SQL {
  switch (groupBy) {
    case 'PLAN':
      return sql`select distinct pl.id::text as gid, pl.code as key, pl.title as label, pl.id as ref_id, s.project_id
                 from selected s join ${projectTasks} pt on pt.project_id = s.project_id
                 join ${planTasks} t on t.id = pt.task_id join ${plans} pl on pl.id = t.plan_id`;
    case 'TASK':
      return sql`select t.id::text as gid, t.code as key, t.text as label, t.id as ref_id, s.project_id
                 from selected s join ${projectTasks} pt on pt.project_id = s.project_id join ${planTasks} t on t.id = pt.task_id`;
    case 'SECTOR':
      return sql`select s.sector::text as gid, s.sector::text as key, null::text as label, null::int as ref_id, s.project_id from selected s`;
    case 'STATUS':
      return sql`select s.status::text as gid, s.status::text as key, null::text as label, null::int as ref_id, s.project_id from selected s`;
    case 'AGENCY':
      return sql`select distinct a.id::text as gid, a.code as key, a.name as label, a.id as ref_id, s.project_id
                 from selected s join ${projectTasks} pt on pt.project_id = s.project_id
                 join task_lead_agencies tla on tla.task_id = pt.task_id
                 ${currentAgencies ? sql`join agency_current ac on ac.agency_id = tla.agency_id join ${agencies} a on a.id = ac.current_id` : sql`join ${agencies} a on a.id = tla.agency_id`}`;
    case 'PROJECT':
      return sql`select s.project_id::text as gid, s.code as key, s.name as label, s.project_id as ref_id, s.project_id from selected s`;
    case 'FINANCIER':
      return sql`select coalesce(fa.financier, '') as gid, coalesce(fa.financier, '') as key, fa.financier as label, null::int as ref_id,
                        s.project_id, fa.id as allocation_id
                 from selected s join ${fundingAllocations} fa on fa.project_id = s.project_id`;
  }
}
