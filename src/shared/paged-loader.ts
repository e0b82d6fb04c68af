import type { BatchScheduler } from './batch-scheduler';
import { scheduledLoader } from './loader-utils';
import { connection, pageRequest, toPage, type Connection, type Ordering, type PageArgs, type PageRequest } from './pagination';

/** A row of a batched page query: the row, the parent it belongs to. */
export type WithParent<Row> = Row & { parentId: number };

export interface ChildPageSource<Row> {
  ordering: Ordering<Row>;
  /** One statement: for every parent, its rows after the cursor in reading order, at most `limit + 1` each. */
  fetchPages(parentIds: number[], request: PageRequest): Promise<WithParent<Row>[]>;
  /** One statement: the number of rows of each parent (parents with none may be missing). */
  countByParent(parentIds: number[]): Promise<Map<number, number>>;
}

/**
 * Connections under many parents (each task's projects, each agency's assignments) read in one statement per
 * distinct page request, whatever the number of parents: a window function pages every parent at once.
 */
export function childConnections<Row>(scheduler: BatchScheduler, source: ChildPageSource<Row>) {
  const pages = scheduledLoader<{ parentId: number; request: PageRequest; key: string }, WithParent<Row>[], string>(
    scheduler,
    async (keys) => {
      const byRequest = new Map<string, { request: PageRequest; parentIds: number[] }>();
      for (const { parentId, request, key } of keys) {
        const group = byRequest.get(key) ?? { request, parentIds: [] };
        group.parentIds.push(parentId);
        byRequest.set(key, group);
      }
      const results = new Map<string, WithParent<Row>[]>();
      await Promise.all(
        [...byRequest].map(async ([key, { request, parentIds }]) => {
          const unique = [...new Set(parentIds)];
          const rows = await source.fetchPages(unique, request);
          for (const id of unique) results.set(`${id}|${key}`, []);
          for (const row of rows) results.get(`${row.parentId}|${key}`)!.push(row);
        }),
      );
      return keys.map(({ parentId, key }) => results.get(`${parentId}|${key}`) ?? []);
    },
    { cacheKeyFn: ({ parentId, key }) => `${parentId}|${key}` },
  );
  const counts = scheduledLoader<number, number>(scheduler, async (parentIds) => {
    const map = await source.countByParent([...parentIds]);
    return parentIds.map((id) => map.get(id) ?? 0);
  });
  return (parentId: number, args: PageArgs): Connection<Row> => {
    const request = pageRequest(args, source.ordering);
    const key = JSON.stringify(request);
    return connection(
      source.ordering,
      async () => toPage(await pages.load({ parentId, request, key }), request),
      () => counts.load(parentId),
    );
  };
}
