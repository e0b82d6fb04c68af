import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * The floor of the read workloads: a tiny HTTP server that answers each workload with ONE hand-written SQL statement
 * (bench/floor/W1.sql … W4.sql) through postgres.js, the driver the registry uses, with as many connections as the
 * bench opens. Each statement returns the whole response body, `{"data": …}`, as text, sent as it comes.
 *
 *   GET /W1, /W2, /W3   the statement's body
 *   GET /W4?id=<ID>     the body for the project with that global ID
 *   GET /health         200 when the database answers
 *
 * Environment: FLOOR_DATABASE_URL (required), FLOOR_CONNECTIONS (pool size, default 8), FLOOR_PORT (default 0: any
 * free port). Prints `floor listening on <port>` once it listens. Started by bench/run.ts as a child process.
 */

const STATEMENTS = ['W1', 'W2', 'W3', 'W4'] as const;
type WorkloadId = (typeof STATEMENTS)[number];

const PROJECT_ID = /^Project:([1-9]\d{0,9})$/;

/** The database id of a Project global ID (base64url of `Project:<id>`), or null. */
function projectId(globalId: string | null): number | null {
  if (!globalId || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const match = PROJECT_ID.exec(Buffer.from(globalId, 'base64url').toString('utf8'));
  const id = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) && id <= 2147483647 ? id : null;
}

async function main() {
  const url = process.env.FLOOR_DATABASE_URL;
  if (!url) throw new Error('FLOOR_DATABASE_URL is not set');
  const connections = Number(process.env.FLOOR_CONNECTIONS ?? '8');
  const port = Number(process.env.FLOOR_PORT ?? '0');
  if (!Number.isInteger(connections) || connections < 1)
    throw new Error('FLOOR_CONNECTIONS must be a positive integer');

  const { default: postgres } = await import('postgres');
  const sql = postgres(url, {
    max: connections,
    onnotice: () => {},
    connection: { application_name: 'ipr-bench-floor' },
  });
  const text = Object.fromEntries(
    STATEMENTS.map((id) => [id, readFileSync(path.join(__dirname, `${id}.sql`), 'utf8')]),
  ) as Record<WorkloadId, string>;

  const run = async (id: WorkloadId, params: (string | number)[]): Promise<string> => {
    const rows = await sql.unsafe<{ body: string }[]>(text[id], params, { prepare: true });
    return rows[0].body;
  };

  const send = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-SQL-Statements': status === 200 ? '1' : '0',
    });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://localhost');
    const route = target.pathname.slice(1);
    const answer = async () => {
      if (route === 'health') {
        await sql`select 1`;
        return send(res, 200, '{"status":"ok"}');
      }
      if (route === 'W4') {
        const id = projectId(target.searchParams.get('id'));
        if (id === null) return send(res, 200, '{"data":{"node":null}}');
        return send(res, 200, await run('W4', [id]));
      }
      if ((STATEMENTS as readonly string[]).includes(route)) return send(res, 200, await run(route as WorkloadId, []));
      return send(res, 404, JSON.stringify({ errors: [{ message: `No route ${target.pathname}` }] }));
    };
    answer().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`floor ${target.pathname}: ${message}`);
      if (!res.headersSent) send(res, 500, JSON.stringify({ errors: [{ message }] }));
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  console.log(`floor listening on ${(server.address() as AddressInfo).port}`);

  const stop = () => {
    server.close();
    server.closeAllConnections();
    void sql.end({ timeout: 2 }).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`The floor server could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
