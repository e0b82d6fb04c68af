import { and, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { ProjectFilter } from '../../../__generated__/graphql';
import type { Limits } from '../../../config';
import {
  agencies,
  agencySuccessions,
  fundingAllocations,
  fundingSources,
  plans,
  planTasks,
  projects,
  projectTasks,
} from '../../../db/schema';
import { badUserInput } from '../../../lib/errors';

/**
 * The project filter (`ProjectFilter` in schema/project.graphql): its bounds, checked before anything runs, and its
 * SQL, one condition over `projects`.
 */

/** The bounds a filter must keep (from the configuration's limits). */
export type FilterLimits = Pick<
  Limits,
  'maxFilterDepth' | 'maxFilterValues' | 'maxFilterTerms' | 'maxSearchLength' | 'maxSearchWords'
>;

/** Filter fields that hold a list of values; each value is one term. */
export const LIST_FIELDS = [
  'status',
  'sector',
  'type',
  'fundingSource',
  'financier',
  'agency',
  'planCode',
  'taskCode',
] as const;
type ListField = (typeof LIST_FIELDS)[number];

/** Filter fields whose values are codes of records: a code nothing has matches nothing, and the answer says so. */
export const CODE_FIELDS = ['fundingSource', 'agency', 'planCode', 'taskCode'] as const;
export type CodeField = (typeof CODE_FIELDS)[number];

function tooLarge(message: string, argument: string, limit: number, setting: string) {
  return badUserInput(message, { argument, limit, setting });
}

/** Words of a search; checks its length and word count. */
function searchWords(
  search: string,
  limits: Pick<FilterLimits, 'maxSearchLength' | 'maxSearchWords'>,
  argument = 'filter.search',
): string[] {
  if (search.length > limits.maxSearchLength) {
    throw tooLarge(
      `"search" is longer than ${limits.maxSearchLength} characters.`,
      argument,
      limits.maxSearchLength,
      'MAX_SEARCH_LENGTH',
    );
  }
  if (search.includes('\u0000') || !search.isWellFormed())
    throw badUserInput('"search" contains characters that are not text.', { argument });
  const words = splitWords(search);
  if (words.length > limits.maxSearchWords) {
    throw tooLarge(
      `"search" has ${words.length} words; at most ${limits.maxSearchWords} are allowed.`,
      argument,
      limits.maxSearchWords,
      'MAX_SEARCH_WORDS',
    );
  }
  return words;
}

export function splitWords(search: string): string[] {
  return search
    .normalize('NFC')
    .split(/[\s,;:.!?()"'[\]{}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * Checks a filter against the limits before anything runs, and counts its terms: each list value, each search word
 * and each other condition is one. Throws BAD_USER_INPUT naming the limit (`limit`, `setting`) when one is passed.
 * The walk stops at the depth limit, so a filter nested a thousand levels costs a few steps.
 */
export function checkProjectFilter(filter: ProjectFilter | null | undefined, limits: FilterLimits): number {
  let terms = 0;
  const count = (n: number) => {
    terms += n;
    if (terms > limits.maxFilterTerms) {
      throw tooLarge(
        `The filter has more than ${limits.maxFilterTerms} terms (list values, search words and conditions together). Narrow it, or split it into several requests.`,
        'filter',
        limits.maxFilterTerms,
        'MAX_FILTER_TERMS',
      );
    }
  };
  const list = (name: string, values: readonly unknown[] | null | undefined) => {
    if (values == null) return;
    if (values.length > limits.maxFilterValues) {
      throw tooLarge(
        `"filter.${name}" has ${values.length} values; at most ${limits.maxFilterValues} are allowed.`,
        `filter.${name}`,
        limits.maxFilterValues,
        'MAX_FILTER_VALUES',
      );
    }
  };
  const walk = (f: ProjectFilter, depth: number) => {
    if (depth > limits.maxFilterDepth) {
      throw tooLarge(
        `Filters nest at most ${limits.maxFilterDepth} levels deep.`,
        'filter',
        limits.maxFilterDepth,
        'MAX_FILTER_DEPTH',
      );
    }
    for (const name of LIST_FIELDS) {
      const values = f[name] as readonly unknown[] | null | undefined;
      list(name, values);
      if (values != null) count(Math.max(values.length, 1));
    }
    if (f.includeSuccessors != null && f.agency == null) {
      throw badUserInput('"includeSuccessors" goes with "agency".', { argument: 'filter.includeSuccessors' });
    }
    if (f.search != null) count(Math.max(searchWords(f.search, limits).length, 1));
    if (f.minInvestment != null) count(1);
    if (f.maxInvestment != null) count(1);
    if (f.plannedCompletion) {
      const { from, to } = f.plannedCompletion;
      if (from != null && to != null && from > to) {
        throw badUserInput('"plannedCompletion.from" is after "plannedCompletion.to".', {
          argument: 'filter.plannedCompletion',
        });
      }
      count(1);
    }
    if (f.updatedSince != null) count(1);
    for (const name of ['and', 'or'] as const) {
      const items = f[name];
      list(name, items);
      if (items == null) continue;
      if (items.length === 0) count(1);
      for (const item of items) walk(item, depth + 1);
    }
    if (f.not) walk(f.not, depth + 1);
  };
  if (filter) walk(filter, 0);
  return terms;
}

/** The codes a (checked) filter names, by field, each once. */
export function filterCodes(filter: ProjectFilter | null | undefined): Record<CodeField, string[]> {
  const found: Record<CodeField, Set<string>> = {
    fundingSource: new Set(),
    agency: new Set(),
    planCode: new Set(),
    taskCode: new Set(),
  };
  const walk = (f: ProjectFilter) => {
    for (const name of CODE_FIELDS)
      for (const code of f[name] ?? []) found[name].add(name === 'taskCode' ? code.normalize('NFC') : code);
    for (const item of [...(f.and ?? []), ...(f.or ?? []), ...(f.not ? [f.not] : [])]) walk(item);
  };
  if (filter) walk(filter);
  return Object.fromEntries(CODE_FIELDS.map((name) => [name, [...found[name]].sort()])) as Record<CodeField, string[]>;
}

/**
 * The same filter with each list's values once, and an `or` of one-field branches on the same list field merged
 * into one branch (`or: [{ financier: [a] }, { financier: [b] }]` selects what `financier: [a, b]` selects):
 * one array parameter and one condition instead of one per branch.
 */
export function normalizeFilter(filter: ProjectFilter): ProjectFilter {
  const out: ProjectFilter = { ...filter };
  for (const name of LIST_FIELDS) {
    const values = filter[name] as string[] | null | undefined;
    if (values) (out as Record<string, unknown>)[name] = [...new Set(values)];
  }
  if (filter.and) out.and = filter.and.map(normalizeFilter);
  if (filter.not) out.not = normalizeFilter(filter.not);
  if (filter.or) {
    const merged = new Map<ListField, Set<string>>();
    const rest: ProjectFilter[] = [];
    for (const item of filter.or.map(normalizeFilter)) {
      const keys = Object.keys(item).filter((key) => (item as Record<string, unknown>)[key] != null);
      const field = keys.length === 1 ? (keys[0] as ListField) : null;
      if (field && (LIST_FIELDS as readonly string[]).includes(field)) {
        const values = merged.get(field) ?? new Set<string>();
        for (const value of (item as Record<string, string[]>)[field]) values.add(value);
        merged.set(field, values);
      } else rest.push(item);
    }
    out.or = [...[...merged].map(([field, values]) => ({ [field]: [...values] }) as ProjectFilter), ...rest];
  }
  return out;
}

/**
 * `expr = any($values::text[])`: one parameter for the whole list; an empty list matches nothing. The parameter is
 * a text array on both drivers (PGlite cannot send an enum array it has not seen), cast to `type` in SQL.
 */
function anyOf(expr: SQL, values: readonly string[], type = 'text'): SQL {
  if (!values.length) return sql`false`;
  const list = sql`${sql.param([...values])}::text[]`;
  return sql`${expr} = any(${type === 'text' ? list : sql`${list}::${sql.raw(type)}[]`})`;
}

/**
 * A search word as a LIKE pattern: folded first (so `Ộ` and `o` meet), then `\`, `%` and `_` escaped, so that
 * characters unaccent folds into wildcards (the full-width `％` and `＿`) stay literal.
 */
function wordPattern(word: string): SQL {
  return sql`('%' || replace(replace(replace(registry_fold(${word}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`;
}

/** Agencies matching the codes, and with `includeSuccessors` every agency before or after them in succession. */
function agencyIds(codes: readonly string[], includeSuccessors: boolean): SQL {
  const start = sql`select ${agencies.id} from ${agencies} where ${anyOf(sql`${agencies.code}`, codes, 'text')}`;
  if (!includeSuccessors) return start;
  return sql`with recursive
      later(id) as (${start} union select s.successor_id from ${agencySuccessions} s join later on s.predecessor_id = later.id),
      earlier(id) as (${start} union select s.predecessor_id from ${agencySuccessions} s join earlier on s.successor_id = earlier.id)
    select id from later union select id from earlier`;
}

/** Filters deeper than this are refused before they get here (`checkProjectFilter`); this only stops a runaway. */
const HARD_DEPTH = 20;

/**
 * The SQL condition for a filter (checked with `checkProjectFilter` first), over the `projects` table, and the words
 * results are ranked by. Every relation is an uncorrelated `id in (subquery)` with array parameters, which
 * PostgreSQL evaluates once per statement (a hashed subplan) however many branches the filter has.
 */
export function projectFilterSql(filter: ProjectFilter | null | undefined): {
  where: SQL | undefined;
  search: string[];
} {
  return filter ? filterSql(normalizeFilter(filter), 0) : { where: undefined, search: [] };
}

function filterSql(filter: ProjectFilter, depth: number): { where: SQL | undefined; search: string[] } {
  if (depth > HARD_DEPTH) throw badUserInput('The filter nests too deep.', { argument: 'filter' });
  const conditions: (SQL | undefined)[] = [];
  const search: string[] = [];

  if (filter.status) conditions.push(anyOf(sql`${projects.status}`, filter.status, 'project_status'));
  if (filter.sector) conditions.push(anyOf(sql`${projects.sector}`, filter.sector, 'project_sector'));
  if (filter.type) conditions.push(anyOf(sql`${projects.type}`, filter.type, 'project_type'));
  if (filter.fundingSource) {
    conditions.push(
      filter.fundingSource.length
        ? sql`${projects.id} in (select fa.project_id from ${fundingAllocations} fa join ${fundingSources} fs on fs.id = fa.source_id
                                  where ${anyOf(sql`fs.code`, filter.fundingSource, 'text')})`
        : sql`false`,
    );
  }
  if (filter.financier) {
    const names = [...new Set(filter.financier.map((name) => name.trim().toLowerCase()))];
    conditions.push(
      names.length
        ? sql`${projects.id} in (select fa.project_id from ${fundingAllocations} fa where ${anyOf(sql`lower(fa.financier)`, names, 'text')})`
        : sql`false`,
    );
  }
  if (filter.agency) {
    conditions.push(
      filter.agency.length
        ? sql`${projects.id} in (select l.project_id from agency_project_links l
                                  where l.agency_id in (${agencyIds(filter.agency, filter.includeSuccessors === true)}))`
        : sql`false`,
    );
  }
  if (filter.planCode) {
    conditions.push(
      filter.planCode.length
        ? sql`${projects.id} in (select pt.project_id from ${projectTasks} pt join ${planTasks} t on t.id = pt.task_id
                                  join ${plans} pl on pl.id = t.plan_id where ${anyOf(sql`pl.code`, filter.planCode, 'text')})`
        : sql`false`,
    );
  }
  if (filter.taskCode) {
    conditions.push(
      filter.taskCode.length
        ? sql`${projects.id} in (select pt.project_id from ${projectTasks} pt join ${planTasks} t on t.id = pt.task_id
                                  where ${anyOf(
                                    sql`t.code`,
                                    filter.taskCode.map((c) => c.normalize('NFC')),
                                    'text',
                                  )})`
        : sql`false`,
    );
  }
  if (filter.search != null) {
    const words = splitWords(filter.search);
    search.push(...words);
    for (const word of words) conditions.push(sql`${projects.searchText} like ${wordPattern(word)}`);
  }
  if (filter.minInvestment != null)
    conditions.push(sql`${projects.totalInvestmentVnd} >= cast(${filter.minInvestment} as numeric)`);
  if (filter.maxInvestment != null)
    conditions.push(sql`${projects.totalInvestmentVnd} <= cast(${filter.maxInvestment} as numeric)`);
  if (filter.plannedCompletion) {
    const { from, to } = filter.plannedCompletion;
    if (from != null) conditions.push(sql`${projects.plannedCompletion} >= cast(${from} as date)`);
    if (to != null) conditions.push(sql`${projects.plannedCompletion} <= cast(${to} as date)`);
    if (from == null && to == null) conditions.push(isNotNull(projects.plannedCompletion));
  }
  if (filter.updatedSince != null)
    conditions.push(sql`${projects.updatedAt} >= cast(${filter.updatedSince} as timestamptz)`);

  const nested = (name: 'and' | 'or', items: readonly ProjectFilter[] | null | undefined) => {
    if (!items) return undefined;
    const parts = items.map((item) => {
      const part = filterSql(item, depth + 1);
      // Only words every result must contain rank results: those of `and`, not of `or` or `not`.
      if (name === 'and') search.push(...part.search);
      return part.where ?? sql`true`;
    });
    if (parts.length === 0) return name === 'and' ? sql`true` : sql`false`;
    if (parts.length === 1) return parts[0];
    return name === 'and' ? and(...parts) : or(...parts);
  };
  conditions.push(nested('and', filter.and), nested('or', filter.or));
  if (filter.not) {
    const negated = filterSql(filter.not, depth + 1);
    conditions.push(negated.where ? sql`not coalesce(${negated.where}, false)` : sql`false`);
  }
  const present = conditions.filter((c): c is SQL => c !== undefined);
  return { where: present.length ? and(...present) : undefined, search };
}
