import { sql, type SQL } from 'drizzle-orm';
import type { ProjectFilter, ProjectOrder } from '../../../__generated__/graphql';
import { projects } from '../../../db/schema';
import { pageRequest, type Ordering, type PageArgs, type PageRequest } from '../../../lib/pagination';
import { projectFilterSql } from './filter';
import { projectOrdering, type RankedProjectRow } from './order';

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
  const order = projectOrdering(args.orderBy, rank, search);
  const request = pageRequest(args, order);
  const setKey = JSON.stringify([args.filter ?? null, order.tag]);
  return {
    filter: where,
    ordering: order,
    rank: args.orderBy?.length ? undefined : rank,
    request,
    setKey,
    pageKey: JSON.stringify([setKey, request]),
  };
}
