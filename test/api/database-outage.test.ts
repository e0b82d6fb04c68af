import { databaseFailure } from '../../src/db/errors';
import { startPgInstance, type PgInstance } from '../helpers/pg-instance';
import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  as,
  CHANGE_STATUS,
  createProject,
  databaseId,
  projectInput,
  scalar,
  today,
  uniqueCode,
} from '../helpers/write-kit';

/**
 * PostgreSQL going away under load and coming back, on a private PostgreSQL instance of this file (it does not use
 * TEST_DATABASE_URL, so it runs the same on both test runs). Requests fail fast with 503 SERVICE_UNAVAILABLE while
 * the database is down, the health routes say so, and the same server recovers without a restart. A write caught
 * by the outage is stored entirely or not at all.
 */

jest.setTimeout(120_000);

const READ = `query OutageRead {
  plan(code: "6408/KH-UBND") { code tasks(first: 5) { totalCount nodes { code projects(first: 3) { nodes { code status } } } } }
  projects(first: 10) { totalCount nodes { id code version status } }
}`;

/** Connect timeout (3 s) plus a margin: no request may take longer than this, up or down. */
const MAX_REQUEST_MS = 6_000;

interface Outcome {
  status: number;
  codes: string[];
  ms: number;
  phase: 'up' | 'stopping' | 'down';
  hung?: boolean;
}

/** `read`, tried again (up to 10 times) while it fails because its connection went away. */
async function retried<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 10 || databaseFailure(error) !== 'unavailable') throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('a PostgreSQL outage under load', () => {
  let pg: PgInstance;
  let t: TestApp;
  let planner: Record<string, string>;

  beforeAll(async () => {
    pg = await startPgInstance();
    await pg.createDatabase('registry');
    t = await startTestApp({ databaseUrl: pg.url('registry') });
    planner = await as('planner', 'outage');
  });

  afterAll(async () => {
    await t?.stop().catch(() => {});
    pg?.remove();
  });

  async function timedQuery(phase: Outcome['phase']): Promise<Outcome> {
    const started = performance.now();
    try {
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: READ }),
        signal: AbortSignal.timeout(MAX_REQUEST_MS + 4_000),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return {
        status: response.status,
        codes: (body.errors ?? []).map((e) => String(e.extensions?.code)),
        ms: performance.now() - started,
        phase,
      };
    } catch {
      return { status: 0, codes: [], ms: performance.now() - started, phase, hung: true };
    }
  }

  it('answers 503 SERVICE_UNAVAILABLE fast while the database is down, and recovers without a restart', async () => {
    const warm = await timedQuery('up');
    expect(warm).toMatchObject({ status: 200, codes: [] });

    // A write started just before the database stops.
    const project = await createProject(
      t,
      projectInput(uniqueCode('OUTAGE'), { statusEffectiveOn: '2024-01-01' }),
      planner,
    );
    const pid = databaseId(project.id);
    const count = async () => ({
      changes: await scalar(t, `select count(*)::int from project_status_changes where project_id = ${pid}`),
      version: await scalar(t, `select version from projects where id = ${pid}`),
      audit: await scalar(
        t,
        `select count(*)::int from audit_log where entity_type = 'Project' and entity_id = ${pid} and action = 'changeProjectStatus'`,
      ),
    });
    const before = await count();
    expect(before).toEqual({ changes: 1, version: 1, audit: 0 });

    // Load: 8 workers reading in a loop, bounded in count (60 each) and time.
    let phase: Outcome['phase'] = 'up';
    let running = true;
    const outcomes: Outcome[] = [];
    const worker = async () => {
      for (let i = 0; i < 60 && running; i++) outcomes.push(await timedQuery(phase));
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    const loadDeadline = setTimeout(() => (running = false), 30_000);

    await new Promise((resolve) => setTimeout(resolve, 300));
    const write = t.query(
      CHANGE_STATUS,
      {
        input: {
          projectId: project.id,
          status: 'PREPARATION',
          effectiveOn: today(),
          note: 'during the outage',
          expectedVersion: 1,
        },
      },
      planner,
    );
    phase = 'stopping';
    await pg.stop();
    phase = 'down';
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    running = false;
    await load;
    clearTimeout(loadDeadline);
    const written = await write;
    expect([200, 503]).toContain(written.status);

    // Nothing hung, nothing took longer than the connect timeout and a margin, nothing answered 500.
    expect(outcomes.filter((o) => o.hung)).toEqual([]);
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(MAX_REQUEST_MS);
    for (const o of outcomes) expect([200, 503]).toContain(o.status);
    const down = outcomes.filter((o) => o.phase === 'down');
    expect(down.length).toBeGreaterThan(8);
    for (const o of down) {
      expect(o.status).toBe(503);
      expect(o.codes.length).toBeGreaterThan(0);
      expect(new Set(o.codes)).toEqual(new Set(['SERVICE_UNAVAILABLE']));
    }
    for (const o of outcomes.filter((o) => o.status === 503))
      expect(new Set(o.codes)).toEqual(new Set(['SERVICE_UNAVAILABLE']));

    // The health routes say the database is down.
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ database: 'down' });
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'degraded', database: 'down' });
    const live = await fetch(`${t.url}/health/live`);
    expect(live.status).toBe(200);

    // Back up: the same server answers again within a few seconds.
    await pg.start();
    // Recovered when a burst of 8 concurrent reads (the whole pool) all answer 200; until then only 503s.
    const deadline = Date.now() + 45_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      const burst = await Promise.all(Array.from({ length: 8 }, () => timedQuery('up')));
      for (const o of burst) {
        expect(o.hung).toBeUndefined();
        expect([200, 503]).toContain(o.status);
      }
      recovered = burst.every((o) => o.status === 200 && o.codes.length === 0);
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(recovered).toBe(true);
    const readyAgain = await fetch(`${t.url}/health/ready`);
    expect(readyAgain.status).toBe(200);
    expect(await readyAgain.json()).toEqual({ status: 'ready', database: 'up', migrations: 'applied' });
    expect((await fetch(`${t.url}/health`)).status).toBe(200);

    // The interrupted write is all or nothing: status change row, version bump and audit row together. (This test's
    // own reads go straight to the pool, which may still hand out a connection the restart closed: retried.)
    const after = await retried(count);
    const stored = after.changes - before.changes;
    expect([0, 1]).toContain(stored);
    expect(after).toEqual({
      changes: before.changes + stored,
      version: before.version + stored,
      audit: before.audit + stored,
    });
    const status = await retried(() =>
      scalar(
        t,
        `select count(*)::int from projects where id = ${pid} and status = '${stored ? 'PREPARATION' : 'PLANNED'}'`,
      ),
    );
    expect(status).toBe(1);
    if (written.status === 200 && !written.body.errors?.length) expect(stored).toBe(1);
  });
});
