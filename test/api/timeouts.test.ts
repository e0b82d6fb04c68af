import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/** Timeouts: a statement past `statement_timeout` and a request past the request timeout fail clearly and free the
 * server. */
describe('timeouts', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('sets statement_timeout on the database session', async () => {
    t = await startTestApp({ operations: { ...testConfig().operations, statementTimeoutMs: 1234 } });
    const [row] = await queryRows<{ statement_timeout: string }>(t!.app.database.db, sql`show statement_timeout`);
    expect(row.statement_timeout).toBe('1234ms');
  });

  it('answers a request past the request timeout with 503 REQUEST_TIMEOUT and the limit, and keeps serving', async () => {
    t = await startTestApp({ operations: { ...testConfig().operations, requestTimeoutMs: 1 } });
    const query =
      '{ plans { nodes { sections { children { children { tasks { code projects(first: 50) { nodes { code fundingMix { total { amount } } } } } } } } } } }';
    let timedOut = false;
    for (let attempt = 0; attempt < 5 && !timedOut; attempt++) {
      const response = await t.query(query);
      if (response.status === 503) {
        expect(response.body.errors?.[0].extensions).toEqual({ code: 'REQUEST_TIMEOUT', limit: 1 });
        timedOut = true;
      }
    }
    expect(timedOut).toBe(true);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });
});
