import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type App, type Seeder } from '../../src/app';
import { hasPlans, seedDatabase } from '../../seeds/load';
import { createLogger } from '../../src/observability/logger';
import { loadConfig, type Config } from '../../src/config';

export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
  /** SQL statements the server sent to answer the request. */
  statements: number;
  headers: Headers;
}

export interface TestApp {
  app: App;
  url: string;
  /** `memory://`, a temporary directory, or a fresh PostgreSQL database. */
  databaseLabel: string;
  databaseUrl: string | null;
  query<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

let counter = 0;

/** A database for one test file: PGlite in memory by default, a fresh PostgreSQL database when TEST_DATABASE_URL is
 * set. */
export async function createTestDatabase(): Promise<{ databaseUrl: string | null; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { databaseUrl: null, drop: async () => {} };
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `ipr_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** The HS256 secret test servers check tokens with. */
export const TEST_JWT_SECRET = 'test-secret-of-the-registry-test-suite-0123456789';

export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    PGLITE_DATA_DIR: 'memory://',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '5000',
  });
  return { ...base, ...overrides };
}

const quietLogger = createLogger('silent');

/** The registry's own seeder, as `src/main.ts` hands it to the app. */
export const SEEDER: Seeder = { hasPlans, seed: seedDatabase };

/** Starts the real server on a free port over a real, migrated database (seeded unless `seedOnStart: false`). */
export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database =
    overrides.databaseUrl === undefined
      ? await createTestDatabase()
      : { databaseUrl: overrides.databaseUrl, drop: async () => {} };
  const config = testConfig({ ...overrides, databaseUrl: database.databaseUrl });
  const app = await startApp(config, quietLogger, SEEDER);
  const port = await app.server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    databaseUrl: database.databaseUrl,
    databaseLabel: database.databaseUrl ? 'postgres' : config.pgliteDataDir,
    async query(query, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        body: (await response.json()) as GraphQLResponse['body'],
        statements: Number(response.headers.get('x-sql-statements') ?? NaN),
        headers: response.headers,
      };
    },
    async stop() {
      await app.stop();
      await database.drop();
    },
  };
}

/** A temporary directory removed by the returned function. */
export function temporaryDirectory(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The data of a response that must have no errors. */
export function dataOf<T = any>(response: GraphQLResponse<T>): T {
  if (response.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors, null, 2)}`);
  expect(response.status).toBe(200);
  return response.body.data as T;
}
