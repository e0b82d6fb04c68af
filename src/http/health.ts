import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client';
import { migrationsFolder } from '../db/migrate';
import { sendJson } from './responses';
import { withTimeout } from './timeouts';

const migrationCount = (
  JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }
).entries.length;

/** True when the database answers within two seconds. */
async function ping(database: Database): Promise<boolean> {
  return withTimeout(database.ping(), 2000).catch(() => false);
}

/** Ready: the database answers and every migration this build ships is applied. */
async function readiness(
  database: Database,
): Promise<{ ready: boolean; database: 'up' | 'down'; migrations: 'applied' | 'pending' | 'unknown' }> {
  if (!(await ping(database))) return { ready: false, database: 'down', migrations: 'unknown' };
  try {
    const [row] = await withTimeout(
      queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      2000,
    );
    const applied = Number(row.n) >= migrationCount;
    return { ready: applied, database: 'up', migrations: applied ? 'applied' : 'pending' };
  } catch {
    return { ready: false, database: 'up', migrations: 'unknown' };
  }
}

export const HEALTH_ROUTES = new Set(['/health', '/health/live', '/health/ready']);

/** `/health` (the database answers), `/health/live` (the process runs), `/health/ready` (and is migrated). */
export async function serveHealth(pathname: string, res: ServerResponse, database: Database): Promise<void> {
  switch (pathname) {
    case '/health': {
      const up = await ping(database);
      return sendJson(res, up ? 200 : 503, { status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down' });
    }
    case '/health/live':
      return sendJson(res, 200, { status: 'ok' });
    default: {
      const ready = await readiness(database);
      return sendJson(res, ready.ready ? 200 : 503, {
        status: ready.ready ? 'ready' : 'not ready',
        database: ready.database,
        migrations: ready.migrations,
      });
    }
  }
}
