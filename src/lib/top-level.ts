import type { BatchScheduler } from './batch-scheduler';
import { prime, type RequestLoader } from './loader-utils';
import {
  connection,
  pageRequest,
  toPage,
  type Connection,
  type Ordering,
  type PageArgs,
  type PageRequest,
} from './pagination';

/** A root connection: one statement for the page, one for the count (only when selected). */
export function rootConnection<Row extends { id: number }>(
  scheduler: BatchScheduler,
  args: PageArgs,
  ordering: Ordering<Row>,
  byId: RequestLoader<number, Row | null> | null,
  fetchPage: (request: PageRequest) => Promise<Row[]>,
  countAll: () => Promise<number>,
): Connection<Row> {
  const request = pageRequest(args, ordering);
  return connection(
    ordering,
    async () => {
      const rows = await scheduler.track(() => fetchPage(request));
      return toPage(byId ? prime(byId, rows) : rows, request);
    },
    () => scheduler.track(countAll),
  );
}
