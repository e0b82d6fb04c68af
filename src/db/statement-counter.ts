import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm';

/** Counts the SQL statements sent on behalf of one unit of work (a GraphQL request), through async calls. */
export interface StatementTally {
  statements: number;
}

const current = new AsyncLocalStorage<StatementTally>();
let processTotal = 0;

export function countStatements<T>(tally: StatementTally, work: () => T): T {
  return current.run(tally, work);
}

/** Statements sent since the process started, in any unit of work. */
export function totalStatements(): number {
  return processTotal;
}

export function recordStatement(): void {
  processTotal += 1;
  const tally = current.getStore();
  if (tally) tally.statements += 1;
}

/** Drizzle calls its logger once for every statement it sends, on both drivers. */
export const countingLogger: Logger = {
  logQuery() {
    recordStatement();
  },
};
