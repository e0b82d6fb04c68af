import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { guardedSql, RequestAbandoned, WITH_SCOPE, type GuardState, type StatementScope } from './postgres-guard';
import { countingLogger, tallyingLogger, type StatementTally } from './statement-counter';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** Where the data lives, without credentials: a directory, `memory://`, or host/database. */
  location: string;
  /** True when the database answers a trivial statement. */
  ping(): Promise<boolean>;
  /**
   * The same database, counting every statement sent through it into `tally`; with `scope`, the statements are
   * cancelled when its signal aborts (on PostgreSQL; PGlite runs one statement at a time and cannot interrupt it,
   * but sends no further statement).
   */
  counting(tally: StatementTally, scope?: StatementScope): Db;
  /**
   * The database with `statement_timeout` set on every session (a new pool on a server, the one session of PGlite).
   * Applied after migrations, which may rightly take longer.
   */
  withStatementTimeout(ms: number): Promise<Database>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  pgliteDataDir: string;
  /** Connections in the postgres.js pool. */
  poolSize?: number;
  /** Longest a statement may run before PostgreSQL cancels it; none when left out. */
  statementTimeoutMs?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.statementTimeoutMs)
    : openPglite(options.pgliteDataDir, options.statementTimeoutMs);
}

async function openPglite(dataDir: string, statementTimeoutMs?: number): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(inMemory ? dataDir : path.resolve(dataDir), { extensions: { unaccent, pg_trgm } });
  if (statementTimeoutMs) await client.exec(`set statement_timeout = ${Math.round(statementTimeoutMs)}`);
  const db = drizzle({ client, schema, logger: countingLogger }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location: inMemory ? dataDir : path.resolve(dataDir),
    counting: (tally, scope) => requestView(db, tally, scope),
    async withStatementTimeout(ms) {
      await client.exec(`set statement_timeout = ${Math.round(ms)}`);
      return this;
    },
    async ping() {
      try {
        await client.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(databaseUrl: string, poolSize: number, statementTimeoutMs?: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const guard: GuardState = { closes: 0 };
  const client = postgres(databaseUrl, {
    max: poolSize,
    onnotice: () => {},
    onclose: () => {
      guard.closes += 1;
    },
    // Fail fast when the server is away, rather than holding requests for the default 30 s.
    connect_timeout: 3,
    // postgres.js waits before reconnecting, exponentially in the failures of the whole pool (up to 20 s by default),
    // and queued queries wait with it: in an outage requests would hang for many seconds. Keep the wait short.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    connection: {
      application_name: 'infrastructure-plan-registry',
      // The planner's JIT compiles a large expression without checking for interrupts: a statement in compilation
      // ignores statement_timeout and cancel requests alike. Serving statements are short and gain nothing from it.
      jit: 'off',
      ...(statementTimeoutMs ? { statement_timeout: Math.round(statementTimeoutMs) } : {}),
    },
  });
  const url = new URL(databaseUrl);
  try {
    await client`select 1`;
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new Error(
      `Cannot use the database at ${url.hostname}:${url.port || 5432}${url.pathname}: ${connectionProblem(error)}`,
      { cause: error },
    );
  }
  // The first connection has read PostgreSQL's array types into the pool's shared options. postgres.js would read
  // them again on every new connection, from an async function nobody awaits: when PostgreSQL restarts while a new
  // connection reads them, the rejection goes unhandled and ends the process. The types are known; read them once.
  (client.options as { fetch_types: boolean }).fetch_types = false;
  const db = drizzle({ client: guardedSql(client, guard), schema, logger: countingLogger }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
    counting: (tally, scope) => requestView(db, tally, scope),
    async withStatementTimeout(ms) {
      await client.end({ timeout: 5 });
      return openPostgres(databaseUrl, poolSize, ms);
    },
    async ping() {
      try {
        await client`select 1`;
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/**
 * A view of `db` (the database, or a transaction on it) whose statements are counted into `tally`. Drizzle reads
 * its logger from the session when it prepares a statement, so a copy of the session with another logger is all it
 * takes (about a microsecond, where a new drizzle() costs 300 µs and AsyncLocalStorage slows every promise of the
 * request). With `scope`, the request's statements can be abandoned: on PostgreSQL the copy gets the request's own
 * view of the client, which tracks its statements for cancellation; PGlite runs one statement at a time and cannot
 * interrupt it, so there the view only stops sending statements once the scope is aborted.
 */
export function requestView(db: Db, tally: StatementTally, scope?: StatementScope): Db {
  const base = db as unknown as { session: { logger: unknown; client: unknown; options?: Record<string, unknown> } };
  const tallying = tallyingLogger(tally);
  const client = base.session.client as { [WITH_SCOPE]?: (scope: StatementScope) => unknown };
  const scoped = scope && typeof client?.[WITH_SCOPE] === 'function' ? client[WITH_SCOPE](scope) : null;
  const logger =
    scope && !scoped
      ? {
          logQuery(query: string, params: unknown[]) {
            if (scope.signal.aborted) throw new RequestAbandoned();
            tallying.logQuery(query, params);
          },
        }
      : tallying;
  // Transactions open their session from `options`, so the logger goes there too.
  const session = Object.assign(Object.create(Object.getPrototypeOf(base.session)), base.session, {
    logger,
    options: { ...base.session.options, logger },
    ...(scoped ? { client: scoped } : {}),
  });
  return Object.assign(Object.create(db), { session }) as Db;
}

/** What is wrong with a database connection, in words a person setting DATABASE_URL can act on. */
function connectionProblem(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is PostgreSQL running, and on that port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name is not known';
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case '3D000':
      return `${message} (create it, or name another database in DATABASE_URL)`;
    case '28P01':
    case '28000':
      return `${message} (check the user and password in DATABASE_URL)`;
    default:
      return message ?? String(error);
  }
}

/** Runs a hand-written statement and returns its rows, the same way on both drivers. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/** The rows of a statement's result: postgres.js answers an array of rows, PGlite an object holding them. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}
