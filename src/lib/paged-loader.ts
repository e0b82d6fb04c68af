import type { BatchScheduler } from './batch-scheduler';
import { scheduledLoader, type RequestLoader } from './loader-utils';
import {
  connection,
  pageRequest,
  toPage,
  type Connection,
  type Ordering,
  type PageArgs,
  type PageRequest,
} from './pagination';

/** A row of a batched page query: the row, the parent it belongs to. */
export type WithParent<Row> = Row & { parentId: number };

export interface ParentKey<Q> {
  parentId: number;
  query: Q;
}

/**
 * Loads a value for each (parent, query) pair with one statement per distinct query, whatever the number of
 * parents: each task's projects, each agency's assignments, each plan's project aggregate.
 */
export function parentLoader<Q, V>(
  scheduler: BatchScheduler,
  queryKey: (query: Q) => string,
  fetch: (parentIds: number[], query: Q) => Promise<Map<number, V>>,
  fallback: () => V,
): RequestLoader<ParentKey<Q>, V, string> {
  const cacheKey = ({ parentId, query }: ParentKey<Q>) => `${parentId}|${queryKey(query)}`;
  return scheduledLoader<ParentKey<Q>, V, string>(
    scheduler,
    async (keys) => {
      const byQuery = new Map<string, { query: Q; parentIds: Set<number> }>();
      for (const { parentId, query } of keys) {
        const k = queryKey(query);
        const group = byQuery.get(k) ?? { query, parentIds: new Set<number>() };
        group.parentIds.add(parentId);
        byQuery.set(k, group);
      }
      const results = new Map<string, V>();
      await Promise.all(
        [...byQuery].map(async ([k, { query, parentIds }]) => {
          const values = await fetch([...parentIds], query);
          for (const id of parentIds) results.set(`${id}|${k}`, values.get(id) ?? fallback());
        }),
      );
      return keys.map((key) => results.get(cacheKey(key))!);
    },
    { cacheKeyFn: cacheKey },
  );
}

/** Rows of many parents, grouped by parent. */
export function byParent<Row extends { parentId: number }>(rows: Row[]): Map<number, Row[]> {
  const map = new Map<number, Row[]>();
  for (const row of rows) {
    const list = map.get(row.parentId);
    if (list) list.push(row);
    else map.set(row.parentId, [row]);
  }
  return map;
}

export interface ChildPageSource<Row> {
  ordering: Ordering<Row>;
  /** One statement: for every parent, its rows after the cursor in reading order, at most `limit + 1` each. */
  fetchPages(parentIds: number[], request: PageRequest): Promise<WithParent<Row>[]>;
  /** One statement: the number of rows of each parent (parents with none may be missing). */
  countByParent(parentIds: number[]): Promise<Map<number, number>>;
}

/** Connections under many parents with a fixed ordering, paged by a window function in one statement. */
export function childConnections<Row>(scheduler: BatchScheduler, source: ChildPageSource<Row>) {
  const pages = parentLoader<PageRequest, WithParent<Row>[]>(
    scheduler,
    (request) => JSON.stringify(request),
    async (parentIds, request) => byParent(await source.fetchPages(parentIds, request)),
    () => [],
  );
  const counts = parentLoader<null, number>(
    scheduler,
    () => '',
    (parentIds) => source.countByParent(parentIds),
    () => 0,
  );
  return (parentId: number, args: PageArgs): Connection<Row> => {
    const request = pageRequest(args, source.ordering);
    return connection(
      source.ordering,
      async () => toPage(await pages.load({ parentId, query: request }), request),
      () => counts.load({ parentId, query: null }),
    );
  };
}
