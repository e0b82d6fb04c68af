import { startPgInstance, type PgInstance } from '../helpers/pg-instance';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tokenFor } from '../helpers/write-kit';

/**
 * PostgreSQL restarted again and again under concurrent idempotent writes, on a private PostgreSQL instance, with
 * the registry as its own production-mode process: the process never exits, every write is answered 200 or 503
 * SERVICE_UNAVAILABLE (or REQUEST_TIMEOUT) with Retry-After (never 500), each write is stored whole or not at all, and
 * retrying a 503 with the same Idempotency-Key after recovery stores it exactly once.
 */

jest.setTimeout(420_000);

const CREATE = `mutation Create($input: CreateProjectInput!) {
  createProject(input: $input) { project { id code } userErrors { code message } }
}`;

const RESTARTS = 20;

interface Attempt {
  code: string;
  status: number;
  codes: string[];
  retryAfter: string | null;
  body: string;
}

describe('PostgreSQL restarts under write load', () => {
  let pg: PgInstance;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    pg = await startPgInstance();
    await pg.createDatabase('registry');
    server = await startServerProcess({ DATABASE_URL: pg.url('registry'), DATABASE_POOL_SIZE: '4' });
    token = await tokenFor('planner', 'restart-writer');
  });

  afterAll(async () => {
    await server?.stop();
    pg?.remove();
  });

  const write = async (code: string): Promise<Attempt> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': `restart-${code}`,
      },
      body: JSON.stringify({
        query: CREATE,
        variables: {
          input: {
            code,
            name: `Restart ${code}`,
            sector: 'TRANSPORT_ROAD',
            type: 'CONSTRUCTION',
            statusEffectiveOn: '2024-01-01',
          },
        },
      }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    let codes: string[] = [];
    try {
      codes = ((JSON.parse(body).errors ?? []) as { extensions?: { code?: string } }[]).map((e) =>
        String(e.extensions?.code),
      );
    } catch {
      codes = ['NOT_JSON'];
    }
    return { code, status: response.status, codes, retryAfter: response.headers.get('retry-after'), body };
  };

  it(`survives ${RESTARTS} restarts (fast and immediate) with every write answered 200 or 503 and stored exactly once`, async () => {
    const attempts: Attempt[] = [];
    let running = true;
    let sequence = 0;
    const worker = async (w: number) => {
      while (running) {
        const code = `RS-${w}-${(sequence += 1)}`;
        attempts.push(
          await write(code).catch((error) => ({ code, status: 0, codes: [String(error)], retryAfter: null, body: '' })),
        );
      }
    };
    const workers = Array.from({ length: 12 }, (_, w) => worker(w));
    try {
      for (let i = 0; i < RESTARTS && !server.exit; i++) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await pg.stop(i % 4 === 3 ? 'immediate' : 'fast');
        await pg.start();
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      running = false;
      await Promise.all(workers);
    }

    // The process lives, and no write was answered with anything but 200 or a retryable 503.
    expect({ exit: server.exit, output: server.exit ? server.output().slice(-1500) : '' }).toEqual({
      exit: null,
      output: '',
    });
    expect(server.output()).not.toMatch(/TypeError|Cannot read properties/);
    // 503s are retryable: the database away (SERVICE_UNAVAILABLE) or, on a loaded machine, a write that outlived
    // the request timeout waiting for it (REQUEST_TIMEOUT).
    const retryable = new Set(['SERVICE_UNAVAILABLE', 'REQUEST_TIMEOUT']);
    const unexpected = attempts.filter(
      (a) =>
        !(a.status === 200 && a.codes.length === 0) && !(a.status === 503 && a.codes.every((c) => retryable.has(c))),
    );
    expect(unexpected.map((a) => `${a.code}: ${a.status} ${a.codes.join(',')} ${a.body.slice(0, 200)}`)).toEqual([]);
    const refused = attempts.filter((a) => a.status === 503);
    for (const a of refused) expect(a.retryAfter).not.toBeNull();
    expect(attempts.length).toBeGreaterThan(RESTARTS * 5);
    expect(refused.length).toBeGreaterThan(0);

    // After recovery, each 503 retried with its key: exactly one project per code, each with its audit entry.
    for (const a of refused) {
      const again = await write(a.code);
      expect({ code: a.code, status: again.status, codes: again.codes }).toEqual({
        code: a.code,
        status: 200,
        codes: [],
      });
      const payload = JSON.parse(again.body).data.createProject;
      // Either this retry wrote it, or the first attempt had committed and its answer is replayed; never a duplicate.
      expect(payload.userErrors).toEqual([]);
      expect(payload.project.code).toBe(a.code);
    }
    const counts = await pg.psql(
      'registry',
      `select count(*) || ' ' || count(distinct code) || ' ' ||
              (select count(*) from audit_log where action = 'createProject') || ' ' ||
              (select count(*) from project_status_changes s join projects p on p.id = s.project_id where p.code like 'RS-%')
       from projects where code like 'RS-%'`,
    );
    const written = attempts.length;
    expect(counts).toBe(`${written} ${written} ${written} ${written}`);
  });
});
