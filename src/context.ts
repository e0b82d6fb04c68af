import type { Database } from './db/client';
import type { StatementTally } from './db/statement-counter';
import { createLoaders, createRepositories, type Loaders, type Repositories } from './loaders';

/** Everything a resolver may use while answering one request. */
export interface Context {
  database: Database;
  repos: Repositories;
  loaders: Loaders;
  requestId: string;
  /** SQL statements sent for this request so far. */
  tally: StatementTally;
}

export function createContext(database: Database, requestId: string, tally: StatementTally): Context {
  const repos = createRepositories(database.db);
  return { database, repos, loaders: createLoaders(repos), requestId, tally };
}
