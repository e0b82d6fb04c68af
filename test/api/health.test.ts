import { startTestApp, type TestApp } from '../helpers/test-app';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seedOnStart: false });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers 200 with the database up', async () => {
    const response = await fetch(`${t.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it("echoes the caller's request id, or makes one", async () => {
    const given = await fetch(`${t.url}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${t.url}/health`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 with a coded error for an unknown path', async () => {
    const response = await fetch(`${t.url}/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('GET /health with the database down', () => {
  it('answers 503 with "database":"down" once the database stops answering', async () => {
    const t = await startTestApp({ seedOnStart: false });
    try {
      await t.app.database.close();
      const response = await fetch(`${t.url}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'degraded', database: 'down' });

      // A query now fails fast with SERVICE_UNAVAILABLE (503): no SQL, no driver message, no stack.
      const failed = await t.query('{ plans { totalCount } agencies { totalCount } }');
      expect(failed.status).toBe(503);
      expect(failed.body.errors?.length).toBeGreaterThan(0);
      for (const error of failed.body.errors ?? []) {
        expect(error.extensions?.code).toBe('SERVICE_UNAVAILABLE');
        expect(error.message).toMatch(/database is not reachable/);
      }
      expect(JSON.stringify(failed.body)).not.toMatch(/select |from "|stacktrace|PGlite|closed/i);
    } finally {
      await t.app.server.close();
      await t.stop().catch(() => {});
    }
  });
});
