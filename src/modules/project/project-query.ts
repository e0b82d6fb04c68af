import { createHash } from 'node:crypto';
import { and, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { ProjectFilter, ProjectOrder } from '../../__generated__/graphql';
import {
  agencies,
  agencySuccessions,
  fundingAllocations,
  fundingSources,
  plans,
  projectStatus,
  planTasks,
  projects,
  projectTasks,
  type ProjectRow,
} from '../../db/schema';
import { badUserInput } from '../../lib/errors';
import { pageRequest, type OrderKey, type Ordering, type PageArgs, type PageRequest } from '../../lib/pagination';

export const MAX_FILTER_VALUES = 100;
export const MAX_FILTER_DEPTH = 5;
export const MAX_SEARCH_LENGTH = 200;
export const MAX_SEARCH_WORDS = 32;
export const MAX_ORDER_KEYS = 6;

/** A project row, with its search relevance when the list is searched. */
export type RankedProjectRow = ProjectRow & { rank?: number };

/** A validated request for a list of projects: which rows, in which order, which page. */
export interface ProjectQuery {
  filter: SQL | undefined;
  ordering: Ordering<RankedProjectRow>;
  /** Relevance expression when searching, selected as `rank`. */
  rank: SQL | undefined;
  request: PageRequest;
  /** Identifies filter and ordering (without the page): equal keys share statements. */
  setKey: string;
  /** Identifies filter, ordering and page. */
  pageKey: string;
}

export interface ProjectListArgs extends PageArgs {
  filter?: ProjectFilter | null;
  orderBy?: ProjectOrder[] | null;
}

/** Words of a search, folded on the database side; LIKE wildcards in them are taken literally. */
function searchWords(search: string): string[] {
  if (search.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`"search" is longer than ${MAX_SEARCH_LENGTH} characters.`, { argument: 'filter.search', maximum: MAX_SEARCH_LENGTH });
  }
  if (search.includes('\u0000') || !search.isWellFormed()) throw badUserInput('"search" contains characters that are not text.', { argument: 'filter.search' });
  const words = search
    .normalize('NFC')
    .split(/[\s,;:.!?()"'\[\]{}]+/u)
    .filter((word) => word.length > 0);
  if (words.length > MAX_SEARCH_WORDS) {
    throw badUserInput(`"search" has ${words.length} words; at most ${MAX_SEARCH_WORDS} are allowed.`, { argument: 'filter.search', maximum: MAX_SEARCH_WORDS });
  }
  return words;
}

/** A list of bound parameters, for `in (...)` over an aliased table. */
const values = (list: readonly string[]): SQL => sql.join(list.map((value) => sql`${value}`), sql`, `);

const likeEscape = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

function list<T>(name: string, values: readonly T[] | null | undefined): T[] | null {
  if (values === null || values === undefined) return null;
  if (values.length > MAX_FILTER_VALUES) {
    throw badUserInput(`"filter.${name}" has ${values.length} values; at most ${MAX_FILTER_VALUES} are allowed.`, {
      argument: `filter.${name}`,
      maximum: MAX_FILTER_VALUES,
    });
  }
  return [...values];
}

/** Agencies matching the codes, and with `includeSuccessors` every agency before or after them in succession. */
function agencyIds(codes: string[], includeSuccessors: boolean): SQL {
  const start = sql`select ${agencies.id} from ${agencies} where ${inArray(agencies.code, codes)}`;
  if (!includeSuccessors) return start;
  return sql`with recursive
      later(id) as (${start} union select s.successor_id from ${agencySuccessions} s join later on s.predecessor_id = later.id),
      earlier(id) as (${start} union select s.predecessor_id from ${agencySuccessions} s join earlier on s.successor_id = earlier.id)
    select id from later union select id from earlier`;
}

/** The SQL condition for a filter, over the `projects` table, and the words results are ranked by. */
export function projectFilterSql(filter: ProjectFilter | null | undefined, depth = 0): { where: SQL | undefined; search: string[] } {
  if (!filter) return { where: undefined, search: [] };
  if (depth > MAX_FILTER_DEPTH) throw badUserInput(`Filters nest at most ${MAX_FILTER_DEPTH} levels deep.`, { argument: 'filter', maximum: MAX_FILTER_DEPTH });
  const conditions: (SQL | undefined)[] = [];
  const search: string[] = [];

  const status = list('status', filter.status);
  if (status) conditions.push(status.length ? inArray(projects.status, status) : sql`false`);
  const sector = list('sector', filter.sector);
  if (sector) conditions.push(sector.length ? inArray(projects.sector, sector) : sql`false`);
  const type = list('type', filter.type);
  if (type) conditions.push(type.length ? inArray(projects.type, type) : sql`false`);

  const fundingSource = list('fundingSource', filter.fundingSource);
  if (fundingSource) {
    conditions.push(
      fundingSource.length
        ? sql`exists (select 1 from ${fundingAllocations} fa join ${fundingSources} fs on fs.id = fa.source_id
                      where fa.project_id = ${projects.id} and fs.code in (${values(fundingSource)}))`
        : sql`false`,
    );
  }
  const financier = list('financier', filter.financier);
  if (financier) {
    const names = financier.map((name) => name.trim().toLowerCase());
    conditions.push(
      names.length
        ? sql`exists (select 1 from ${fundingAllocations} fa where fa.project_id = ${projects.id}
                      and lower(fa.financier) in (${values(names)}))`
        : sql`false`,
    );
  }
  const agency = list('agency', filter.agency);
  if (agency) {
    conditions.push(
      agency.length
        ? sql`${projects.id} in (select l.project_id from agency_project_links l
                                  where l.agency_id in (${agencyIds(agency, filter.includeSuccessors === true)}))`
        : sql`false`,
    );
  } else if (filter.includeSuccessors != null) {
    throw badUserInput('"includeSuccessors" goes with "agency".', { argument: 'filter.includeSuccessors' });
  }
  const planCode = list('planCode', filter.planCode);
  if (planCode) {
    conditions.push(
      planCode.length
        ? sql`${projects.id} in (select pt.project_id from ${projectTasks} pt join ${planTasks} t on t.id = pt.task_id
                                  join ${plans} pl on pl.id = t.plan_id where pl.code in (${values(planCode)}))`
        : sql`false`,
    );
  }
  const taskCode = list('taskCode', filter.taskCode);
  if (taskCode) {
    conditions.push(
      taskCode.length
        ? sql`${projects.id} in (select pt.project_id from ${projectTasks} pt join ${planTasks} t on t.id = pt.task_id
                                  where t.code in (${values(taskCode.map((c) => c.normalize('NFC')))}))`
        : sql`false`,
    );
  }
  if (filter.search != null) {
    const words = searchWords(filter.search);
    search.push(...words);
    for (const word of words) {
      conditions.push(sql`${projects.searchText} like ('%' || registry_fold(${likeEscape(word)}) || '%')`);
    }
  }
  if (filter.minInvestment != null) conditions.push(sql`${projects.totalInvestmentVnd} >= cast(${filter.minInvestment} as numeric)`);
  if (filter.maxInvestment != null) conditions.push(sql`${projects.totalInvestmentVnd} <= cast(${filter.maxInvestment} as numeric)`);
  if (filter.plannedCompletion) {
    const { from, to } = filter.plannedCompletion;
    if (from != null && to != null && from > to) {
      throw badUserInput('"plannedCompletion.from" is after "plannedCompletion.to".', { argument: 'filter.plannedCompletion' });
    }
    if (from != null) conditions.push(sql`${projects.plannedCompletion} >= cast(${from} as date)`);
    if (to != null) conditions.push(sql`${projects.plannedCompletion} <= cast(${to} as date)`);
    if (from == null && to == null) conditions.push(isNotNull(projects.plannedCompletion));
  }
  if (filter.updatedSince != null) conditions.push(sql`${projects.updatedAt} >= cast(${filter.updatedSince} as timestamptz)`);

  const nested = (name: 'and' | 'or', filters: readonly ProjectFilter[] | null | undefined) => {
    const items = list(name, filters);
    if (!items) return undefined;
    const parts = items.map((item) => {
      const part = projectFilterSql(item, depth + 1);
      // Only words every result must contain rank results: those of `and`, not of `or` or `not`.
      if (name === 'and') search.push(...part.search);
      return part.where ?? sql`true`;
    });
    if (parts.length === 0) return name === 'and' ? sql`true` : sql`false`;
    return name === 'and' ? and(...parts) : or(...parts);
  };
  conditions.push(nested('and', filter.and), nested('or', filter.or));
  if (filter.not) {
    const negated = projectFilterSql(filter.not, depth + 1);
    conditions.push(negated.where ? sql`not coalesce(${negated.where}, false)` : sql`false`);
  }
  const present = conditions.filter((c): c is SQL => c !== undefined);
  return { where: present.length ? and(...present) : undefined, search };
}

const ORDER_KEYS: Record<ProjectOrder['field'], Omit<OrderKey<RankedProjectRow>, 'direction'>> = {
  CODE: { expr: sql`${projects.code}`, type: 'text', value: (row) => row.code },
  NAME: { expr: sql`${projects.name}`, type: 'text', value: (row) => row.name },
  TOTAL_INVESTMENT: { expr: sql`${projects.totalInvestmentVnd}`, type: 'numeric', nullable: true, value: (row) => row.totalInvestmentVnd },
  STATUS: { expr: sql`${projects.status}`, type: 'project_status', values: projectStatus.enumValues, value: (row) => row.status },
  PLANNED_COMPLETION: { expr: sql`${projects.plannedCompletion}`, type: 'date', nullable: true, value: (row) => row.plannedCompletion },
  STATUS_CHANGED_AT: { expr: sql`${projects.statusChangedOn}`, type: 'date', nullable: true, value: (row) => row.statusChangedOn },
};

const idKey: OrderKey<RankedProjectRow> = { expr: sql`${projects.id}`, direction: 'ASC', type: 'int', value: (row) => row.id };

function ordering(orderBy: ProjectOrder[] | null | undefined, rank: SQL | undefined, search: string[]): Ordering<RankedProjectRow> {
  if (orderBy && orderBy.length > MAX_ORDER_KEYS) {
    throw badUserInput(`"orderBy" has ${orderBy.length} keys; at most ${MAX_ORDER_KEYS} are allowed.`, { argument: 'orderBy', maximum: MAX_ORDER_KEYS });
  }
  if (orderBy && orderBy.length > 0) {
    const fields = orderBy.map((o) => o.field);
    if (new Set(fields).size !== fields.length) throw badUserInput('"orderBy" names a field twice.', { argument: 'orderBy' });
    return {
      tag: `Project:${orderBy.map((o) => `${o.field}.${o.direction}`).join(',')}`,
      keys: [...orderBy.map((o) => ({ ...ORDER_KEYS[o.field], direction: o.direction })), idKey],
    };
  }
  if (rank) {
    // Relevance depends on the words: a cursor is good only for the same search.
    const digest = createHash('sha1').update(search.join(' ')).digest('base64url').slice(0, 10);
    return {
      tag: `Project:RELEVANCE.${digest}`,
      keys: [{ expr: rank, direction: 'DESC', type: 'float8', value: (row) => row.rank ?? 0 }, idKey],
    };
  }
  return { tag: 'Project:CODE.ASC', keys: [{ ...ORDER_KEYS.CODE, direction: 'ASC' }, idKey] };
}

/** Checks and compiles a project list's arguments. */
export function projectQuery(args: ProjectListArgs): ProjectQuery {
  const { where, search } = projectFilterSql(args.filter);
  // Relevance: the whole phrase beats scattered words, and an earlier match beats a later one (the document starts
  // with code and names, then description, then places). Two strpos calls a row; trigram similarity cost 50 times
  // more on long descriptions (2,000 matches of 20,000 projects: 107 ms against 2 ms).
  const rank =
    search.length > 0
      ? sql`(case when strpos(${projects.searchText}, registry_fold(${search.join(' ')})) > 0
               then 2 + 1.0 / strpos(${projects.searchText}, registry_fold(${search.join(' ')}))
               when strpos(${projects.searchText}, registry_fold(${search[0]})) > 0
               then 1.0 / (1 + strpos(${projects.searchText}, registry_fold(${search[0]})))
               else 0 end)::float8`
      : undefined;
  const order = ordering(args.orderBy, rank, search);
  const request = pageRequest(args, order);
  const setKey = JSON.stringify([args.filter ?? null, order.tag]);
  return { filter: where, ordering: order, rank: args.orderBy?.length ? undefined : rank, request, setKey, pageKey: JSON.stringify([setKey, request]) };
}

