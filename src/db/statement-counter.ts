import type { Logger } from 'drizzle-orm';

/** Counts the SQL statements sent on behalf of one unit of work (a GraphQL request). */
export interface StatementTally {
  statements: number;
}

let processTotal = 0;

/** Statements sent since the process started, in any unit of work. */
export function totalStatements(): number {
  return processTotal;
}

/** Drizzle calls its logger once for every statement it sends, on both drivers. */
export const countingLogger: Logger = {
  logQuery() {
    processTotal += 1;
  },
};

/** A logger that also counts into one unit of work's tally. */
export function tallyingLogger(tally: StatementTally): Logger {
  return {
    logQuery() {
      processTotal += 1;
      tally.statements += 1;
    },
  };
}
