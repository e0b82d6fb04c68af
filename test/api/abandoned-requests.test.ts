import { spawn, type ChildProcess } from 'node:child_process';
import { startPgInstance, type PgInstance } from '../helpers/pg-instance';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { as, CHANGE_STATUS, createProject, projectInput, today, uniqueCode } from '../helpers/write-kit';
import { queryRows } from '../../src/db/client';
import { sql } from 'drizzle-orm';

/**
 * No backend outlives its request, on a private PostgreSQL instance (a test that holds locks must not touch the
 * shared server): a statement left waiting when its request runs past the request timeout, or when its client goes
 * away, is cancelled at once rather than when the lock frees or the statement timeout ends; and serving sessions
 * run with the planner's JIT off.
 */

jest.setTimeout(120_000);

describe('abandoned requests on PostgreSQL', () => {
  let pg: PgInstance;
  let t: TestApp;
  let holder: ChildProcess | null = null;

  beforeAll(async () => {
    pg = await startPgInstance();
    await pg.createDatabase('registry');
    t = await startTestApp({
      databaseUrl: pg.url('registry'),
      operations: { ...testConfig().operations, requestTimeoutMs: 1500, statementTimeoutMs: 60_000 },
    });
  });
  afterAll(async () => {
    holder?.kill('SIGKILL');
    await t?.stop().catch(() => {});
    pg?.remove();
  });

  /** Locks `statement` for as long as the returned psql session lives (until `release`). */
  async function hold(lock: string): Promise<() => Promise<void>> {
    const psql = [
      'psql',
      '-h',
      pg.dir,
      '-p',
      String(pg.port),
      '-U',
      'postgres',
      '-d',
      'registry',
      '-v',
      'ON_ERROR_STOP=1',
    ];
    const [file, args] =
      process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', ...psql]] : [psql[0], psql.slice(1)];
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    holder = child;
    child.stdin!.write(`begin;\n${lock};\nselect 'locked';\n`);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => String(chunk).includes('locked') && resolve());
      child.on('exit', () => reject(new Error('psql exited')));
    });
    return async () => {
      child.stdin!.end('rollback;\n');
      await new Promise((resolve) => child.on('exit', resolve));
      holder = null;
    };
  }

  /** Registry backends still running a statement (other than this one). */
  const activeBackends = async () =>
    Number(
      await pg.psql(
        'registry',
        "select count(*) from pg_stat_activity where application_name = 'infrastructure-plan-registry' and state = 'active' and pid <> pg_backend_pid()",
      ),
    );

  async function settles(): Promise<number> {
    // Within a second of the answer: the cancel request is asynchronous.
    const deadline = Date.now() + 1000;
    let active = await activeBackends();
    while (active > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      active = await activeBackends();
    }
    return active;
  }

  it('serves with the JIT off', async () => {
    const [row] = await queryRows<{ jit: string }>(t.app.database.db, sql`select current_setting('jit') as jit`);
    expect(row.jit).toBe('off');
  });

  it('cancels a read waiting on a lock when the request runs past its timeout', async () => {
    const release = await hold('lock table projects in access exclusive mode');
    try {
      const started = Date.now();
      const response = await t.query('{ projects { totalCount } }');
      expect(response.status).toBe(503);
      expect(response.body.errors![0].extensions!.code).toBe('REQUEST_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await settles()).toBe(0);
    } finally {
      await release();
    }
    expect((await t.query('{ projects { totalCount } }')).status).toBe(200);
  });

  it('cancels a write waiting on a row lock when its client goes away, and writes nothing', async () => {
    const planner = await as('planner', 'abandoned-writer');
    const project = await createProject(
      t,
      projectInput(uniqueCode('ABANDON'), { statusEffectiveOn: '2024-01-01' }),
      planner,
    );
    const release = await hold(`select * from projects where code = '${project.code}' for update`);
    try {
      const gone = new AbortController();
      const request = fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...planner },
        body: JSON.stringify({
          query: CHANGE_STATUS,
          variables: {
            input: { projectId: project.id, status: 'PREPARATION', effectiveOn: today(), expectedVersion: 1 },
          },
        }),
        signal: gone.signal,
      }).catch(() => null);
      // The write is waiting on the lock now.
      const deadline = Date.now() + 5000;
      while ((await activeBackends()) === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await activeBackends()).toBeGreaterThan(0);
      gone.abort();
      await request;
      expect(await settles()).toBe(0);
    } finally {
      await release();
    }
    const after = await pg.psql(
      'registry',
      `select status || ' ' || version from projects where code = '${project.code}'`,
    );
    expect(after).toBe('PLANNED 1');
  });
});
