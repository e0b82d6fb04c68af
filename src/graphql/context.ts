import { requestView, type Database, type Db } from '../db/client';
import type { StatementScope } from '../db/postgres-guard';
import type { StatementTally } from '../db/statement-counter';
import { BatchScheduler } from '../lib/batch-scheduler';
import { Notices } from '../lib/notices';
import { ANONYMOUS, type Viewer } from '../lib/viewer';
import { PLACEHOLDER_PREFIX } from '../modules/oc4ids/mapping';
import { createLoaders, createRepositories, scheduledRepositories, type Loaders, type Repositories } from './loaders';

/** Everything a resolver may use while answering one request. Built once; never changed afterwards. */
export interface Context {
  database: Database;
  /** The database as this request uses it: every statement counts into `tally`. */
  db: Db;
  /** The modules' reads, each call scheduled with the loaders' batches. */
  repos: Repositories;
  loaders: Loaders;
  requestId: string;
  /** SQL statements sent for this request so far. */
  tally: StatementTally;
  /** Who is asking (from the bearer token). */
  viewer: Viewer;
  /** Warnings answered in `extensions.warnings`. */
  notices: Notices;
  /** The OC4IDS project identifier prefix ids are written with (OC4IDS_PREFIX). */
  oc4idsPrefix: string;
  /**
   * What the request turned out to be, for logs and metrics. An object of its own: Apollo hands plugins a shallow
   * copy of the context, and this reference is shared by the copies.
   */
  observation: { operationName: string | null; errorCodes: string[] };
}

export interface ContextOptions {
  /** The request's hold on its statements, to cancel them when it is abandoned. */
  scope?: StatementScope;
  /** The transaction the whole request runs in (a mutation with an Idempotency-Key). */
  transaction?: Db;
  oc4idsPrefix?: string;
}

/** The context of one request. */
export function createContext(
  database: Database,
  requestId: string,
  tally: StatementTally,
  viewer: Viewer = ANONYMOUS,
  options: ContextOptions = {},
): Context {
  const db = options.transaction
    ? requestView(options.transaction, tally, options.scope)
    : database.counting(tally, options.scope);
  const repositories = createRepositories(db);
  const scheduler = new BatchScheduler();
  const notices = new Notices();
  const oc4idsPrefix = options.oc4idsPrefix ?? PLACEHOLDER_PREFIX;
  return {
    database,
    db,
    repos: scheduledRepositories(repositories, scheduler),
    loaders: createLoaders(repositories, scheduler, notices, { oc4idsPrefix }),
    requestId,
    tally,
    viewer,
    notices,
    oc4idsPrefix,
    observation: { operationName: null, errorCodes: [] },
  };
}
