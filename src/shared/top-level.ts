import type DataLoader from 'dataloader';
import { prime } from './loader-utils';
import { connection, pageRequest, toPage, type Connection, type Ordering, type PageArgs, type PageRequest } from './pagination';

/** A root connection: one statement for the page, one for the count (only when selected). */
export function rootConnection<Row extends { id: number }>(
  args: PageArgs,
  ordering: Ordering<Row>,
  byId: DataLoader<number, Row | null>,
  fetchPage: (request: PageRequest) => Promise<Row[]>,
  countAll: () => Promise<number>,
): Connection<Row> {
  const request = pageRequest(args, ordering);
  return connection(ordering, async () => toPage(prime(byId, await fetchPage(request)), request), countAll);
}
