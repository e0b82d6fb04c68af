import { requestView, type Database, type Db } from '../db/client';
import type { StatementScope } from '../db/postgres-guard';
import type { StatementTally } from '../db/statement-counter';
import { ANONYMOUS, type Viewer } from '../modules/auth/auth';
import { BatchScheduler } from '../lib/batch-scheduler';
import { Notices } from '../lib/notices';
import { createLoaders, createRepositories, type Loaders, type Repositories } from './loaders';

/** Everything a resolver may use while answering one request. */
export interface Context {
  database: Database;
  /** The database as this request uses it: every statement counts into `tally`. */
  db: Db;
  repos: Repositories;
  loaders: Loaders;
  requestId: string;
  /** SQL statements sent for this request so far. */
  tally: StatementTally;
  /** Sends the loaders' batches level by level; direct repository reads go through `scheduler.track`. */
  scheduler: BatchScheduler;
  /** Who is asking (from the bearer token). */
  viewer: Viewer;
  /** Warnings answered in `extensions.warnings`. */
  notices: Notices;
  /**
   * What the request turned out to be, for logs and metrics. An object of its own: Apollo hands plugins a shallow
   * copy of the context, and this reference is shared by the copies.
   */
  observation: { operationName: string | null; errorCodes: string[] };
}

/** The context of one request; `transaction`, when given, is the database the whole request runs on. */
export function createContext(
  database: Database,
  requestId: string,
  tally: StatementTally,
  viewer: Viewer = ANONYMOUS,
  scope?: StatementScope,
  transaction?: Db,
): Context {
  const db = transaction ? requestView(transaction, tally, scope) : database.counting(tally, scope);
  const repos = createRepositories(db);
  const scheduler = new BatchScheduler();
  const notices = new Notices();
  return {
    database,
    db,
    repos,
    loaders: createLoaders(repos, scheduler, notices),
    requestId,
    tally,
    scheduler,
    viewer,
    notices,
    observation: { operationName: null, errorCodes: [] },
  };
}
