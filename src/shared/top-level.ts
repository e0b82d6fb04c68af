import type { BatchScheduler } from './batch-scheduler';
import { prime, type RequestLoader } from './loader-utils';
import { connection, pageRequest, toPage, type Connection, type Ordering, type PageArgs, type PageRequest } from './pagination';

/** A root connection: one statement for the page, one for the count (only when selected). */
export function rootConnection<Row extends { id: number }>(
  scheduler: BatchScheduler,
  args: PageArgs,
  ordering: Ordering<Row>,
  byId: RequestLoader<number, Row | null>,
  fetchPage: (request: PageRequest) => Promise<Row[]>,
  countAll: () => Promise<number>,
): Connection<Row> {
  const request = pageRequest(args, ordering);
  return connection(
    ordering,
    async () => toPage(prime(byId, await scheduler.track(() => fetchPage(request))), request),
    () => scheduler.track(countAll),
  );
}
