import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { queryRows } from '../../src/db/client';
import { freePort } from '../helpers/pg-instance';
import { createTestDatabase, startTestApp, TEST_JWT_SECRET, testConfig, type TestApp } from '../helpers/test-app';

/** The operational side: health routes, metrics, request ids, logs, persisted queries, graceful shutdown. */

jest.setTimeout(90_000);

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('health, metrics and request ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    const base = testConfig().operations;
    t = await startTestApp({
      operations: { ...base, metricsOperations: [...base.metricsOperations, 'OpsMetricsProbe'] },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers /health/live with 200 {status: ok}', async () => {
    const response = await fetch(`${t.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /health/ready 200 when migrated and 503 with migrations pending when one is missing', async () => {
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up', migrations: 'applied' });

    const db = t.app.database.db;
    const [removed] = await queryRows<{ id: number; hash: string; created_at: string }>(
      db,
      sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations) returning id, hash, created_at::text as created_at`,
    );
    try {
      const pending = await fetch(`${t.url}/health/ready`);
      expect(pending.status).toBe(503);
      expect(await pending.json()).toEqual({ status: 'not ready', database: 'up', migrations: 'pending' });
    } finally {
      await queryRows(
        db,
        sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) overriding system value values (${removed.id}, ${removed.hash}, ${removed.created_at}::bigint)`,
      ).catch(() =>
        queryRows(
          db,
          sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${removed.id}, ${removed.hash}, ${removed.created_at}::bigint)`,
        ),
      );
    }
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
  });

  it('serves Prometheus metrics counting a named operation', async () => {
    for (let i = 0; i < 3; i++)
      expect((await post(t.url, { query: 'query OpsMetricsProbe { plans { totalCount } }' })).status).toBe(200);
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const counted = text.match(/^registry_graphql_requests_total\{operation="OpsMetricsProbe",outcome="ok"\} (\d+)$/m);
    expect(counted).not.toBeNull();
    expect(Number(counted![1])).toBe(3);
    expect(text).toMatch(
      /^registry_graphql_request_duration_seconds_bucket\{le="0\.005",operation="OpsMetricsProbe"\} \d+$/m,
    );
    expect(text).toMatch(
      /^registry_graphql_request_duration_seconds_bucket\{le="\+Inf",operation="OpsMetricsProbe"\} 3$/m,
    );
    expect(text).toMatch(/^registry_sql_statements_per_request_bucket\{le="1"\} \d+$/m);
    expect(text).toMatch(/^registry_db_pool_in_use \d+$/m);
    expect(text).toMatch(/^registry_db_pool_waiting \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('labels operations it does not know as "other" and unnamed ones as "anonymous": 2,000 distinct names add no series', async () => {
    const size = async () =>
      (await (await fetch(`${t.url}/metrics`)).text())
        .split('\n')
        .filter((line) => line.startsWith('registry_graphql_request')).length;
    expect((await post(t.url, { query: 'query Warmup1 { __typename }' })).status).toBe(200);
    expect((await post(t.url, { query: '{ __typename }' })).status).toBe(200);
    const before = await size();
    for (let i = 0; i < 2000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => post(t.url, { query: `query Flood${i + j} { __typename }` })),
      );
    }
    await post(t.url, { query: '{ __typename }' });
    expect(await size()).toBe(before);
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).not.toMatch(/Flood\d/);
    const other = text.match(/^registry_graphql_requests_total\{operation="other",outcome="ok"\} (\d+)$/m);
    expect(Number(other?.[1])).toBeGreaterThanOrEqual(2001);
    expect(text).toMatch(/^registry_graphql_requests_total\{operation="anonymous",outcome="ok"\} \d+$/m);
  });

  it('echoes X-Request-Id, sanitised (no control characters, 128 characters at most), or makes one', async () => {
    const given = await post(t.url, { query: '{ plans { totalCount } }' }, { 'x-request-id': 'ops-abc-123' });
    expect(given.headers.get('x-request-id')).toBe('ops-abc-123');

    const long = 'r'.repeat(300);
    expect(
      (await fetch(`${t.url}/health/live`, { headers: { 'x-request-id': long } })).headers.get('x-request-id'),
    ).toBe('r'.repeat(128));

    // Tabs and spaces (control and blank characters HTTP lets through) cannot go through fetch's header checks; send
    // them raw.
    const raw = await new Promise<string | undefined>((resolve, reject) => {
      const socket = net.connect(Number(new URL(t.url).port), '127.0.0.1', () => {
        socket.write(
          'GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: a\tb c\td\r\nConnection: close\r\n\r\n',
        );
      });
      let text = '';
      socket.on('data', (c) => (text += c));
      socket.on('end', () => resolve(/^x-request-id: (.*)$/im.exec(text)?.[1]?.trim()));
      socket.on('error', reject);
    });
    expect(raw).toBe('abcd');

    const made = await post(t.url, { query: '{ plans { totalCount } }' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('logs', () => {
  it('writes one JSON line per GraphQL request, and unexpected errors with the request id', async () => {
    const lines: any[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const database = await createTestDatabase();
    const app = await startApp(
      testConfig({ databaseUrl: database.databaseUrl, seedOnStart: false }),
      pino({ level: 'info' }, stream),
    );
    try {
      const port = await app.server.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${port}`;
      expect(
        (await post(url, { query: 'query OpsLogOk { plans { totalCount } }' }, { 'x-request-id': 'log-ok-1' })).status,
      ).toBe(200);
      expect(
        (await post(url, { query: 'query OpsLogBad { plans { noSuchField } }' }, { 'x-request-id': 'log-bad-1' }))
          .status,
      ).toBe(400);

      const requestLines = lines.filter((l) => l.msg === 'graphql request');
      const ok = requestLines.filter((l) => l.reqId === 'log-ok-1');
      expect(ok).toHaveLength(1);
      expect(ok[0]).toMatchObject({ reqId: 'log-ok-1', operation: 'OpsLogOk', status: 200, statements: 1 });
      expect(typeof ok[0].durationMs).toBe('number');
      expect(ok[0].errorCodes).toBeUndefined();
      const bad = requestLines.filter((l) => l.reqId === 'log-bad-1');
      expect(bad).toHaveLength(1);
      expect(bad[0]).toMatchObject({
        reqId: 'log-bad-1',
        status: 400,
        statements: 0,
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      });

      // The database gone is logged in full with the request id, as a warning: the server knows what it is.
      await app.database.close();
      const failed = await post(
        url,
        { query: 'query OpsLogDown { plans { totalCount } }' },
        { 'x-request-id': 'log-down-1' },
      );
      expect(failed.status).toBe(503);
      const unavailable = lines.filter(
        (l) => l.reqId === 'log-down-1' && l.msg === 'database unavailable while answering a request',
      );
      expect(unavailable.length).toBeGreaterThan(0);
      expect(unavailable[0].level).toBe(40);
      expect(unavailable[0].err).toBeDefined();
      expect(
        lines.filter((l) => l.reqId === 'log-down-1' && l.msg === 'unexpected error while answering a request'),
      ).toEqual([]);
      expect(lines.filter((l) => l.reqId === 'log-down-1' && l.msg === 'graphql request')).toEqual([
        expect.objectContaining({ operation: 'OpsLogDown', status: 503, errorCodes: ['SERVICE_UNAVAILABLE'] }),
      ]);
    } finally {
      await app.server.close();
      await app.database.close().catch(() => {});
      await database.drop();
    }
  });
});

describe('automatic persisted queries', () => {
  it('asks for the query, stores it, then answers the hash alone (in memory)', async () => {
    const t = await startTestApp({ seedOnStart: false });
    try {
      const query = `query OpsApq { plans { totalCount } } # ${randomUUID()}`;
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
      const missing = (await (await post(t.url, { extensions })).json()) as any;
      expect(missing.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const registered = (await (await post(t.url, { query, extensions })).json()) as any;
      expect(registered).toEqual({ data: { plans: { totalCount: 0 } } });
      const byHash = await post(t.url, { extensions });
      expect(byHash.status).toBe(200);
      expect(await byHash.json()).toEqual({ data: { plans: { totalCount: 0 } } });
    } finally {
      await t.stop();
    }
  });

  it('shares registered queries between instances through Redis', async () => {
    const one = await startTestApp({
      seedOnStart: false,
      operations: { ...testConfig().operations, redisUrl: 'redis://127.0.0.1:6379' },
    });
    const two = await startTestApp({
      seedOnStart: false,
      operations: { ...testConfig().operations, redisUrl: 'redis://127.0.0.1:6379' },
    });
    try {
      const query = `query OpsApqShared { plans { totalCount } } # ${randomUUID()}`;
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
      expect(((await (await post(two.url, { extensions })).json()) as any).errors[0].extensions.code).toBe(
        'PERSISTED_QUERY_NOT_FOUND',
      );
      expect(await (await post(one.url, { query, extensions })).json()).toEqual({ data: { plans: { totalCount: 0 } } });
      const other = await post(two.url, { extensions });
      expect(other.status).toBe(200);
      expect(await other.json()).toEqual({ data: { plans: { totalCount: 0 } } });
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight, refuses new connections, and resolves close()', async () => {
    const t = await startTestApp({ seedOnStart: false });
    let app: App | null = t.app;
    try {
      const { port } = new URL(t.url);
      const body = JSON.stringify({ query: 'query OpsSlow { plans { totalCount } }' });
      // Send the headers and half of the body now, the rest after close() has started.
      const req = http.request({
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const answer: Promise<{ status: number; text: string }> = new Promise((resolve, reject) => {
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        });
        req.on('error', reject);
      });
      req.write(body.slice(0, 10));
      req.flushHeaders();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await t.app.server.metrics.registry.getSingleMetricAsString('registry_http_requests_in_flight')).toMatch(
        /in_flight 1$/m,
      );

      let closed = false;
      const closing = t.app.server.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();

      req.end(body.slice(10));
      const { status, text } = await answer;
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: { plans: { totalCount: 0 } } });
      await closing;
      expect(closed).toBe(true);
    } finally {
      if (app) await t.stop();
      app = null;
    }
  });

  it('exits with code 0 within 10 s of SIGTERM (node src/main.ts)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PGLITE_DATA_DIR: 'memory://',
        PORT: String(port),
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'info',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const deadline = Date.now() + 60_000;
      let up = false;
      while (!up && Date.now() < deadline && child.exitCode === null) {
        up = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (!up) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(up).toBe(true);
      const sent = Date.now();
      child.kill('SIGTERM');
      const result = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000)),
      ]);
      if (result === 'timeout') throw new Error(`no exit within 10 s of SIGTERM; output:\n${output}`);
      expect(result).toEqual({ code: 0, signal: null });
      expect(Date.now() - sent).toBeLessThan(10_000);
      expect(output).toMatch(/shutting down/);
      expect(output).toMatch(/"msg":"stopped"/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
