import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import {
  as,
  createProject,
  projectByCode,
  projectInput,
  scalar,
  today,
  uniqueCode,
  CHANGE_STATUS,
  CREATE_PROJECT,
} from '../helpers/write-kit';

/**
 * Idempotency-Key, on both databases: one write for any number of concurrent identical requests, which all get the
 * first answer (or a documented 409); keys compared in canonical form; reads not stored; authorization failures
 * not stored; a quota per caller; never a 500.
 */

jest.setTimeout(120_000);

interface Raw {
  status: number;
  text: string;
  headers: Headers;
}

async function post(t: TestApp, body: string, headers: Record<string, string>): Promise<Raw> {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('Idempotency-Key', () => {
  let t: TestApp;
  let planner: Record<string, string>;

  beforeAll(async () => {
    const base = testConfig().operations;
    t = await startTestApp({ operations: { ...base, idempotency: { ...base.idempotency, maxKeysPerCaller: 5 } } });
    planner = await as('planner', 'idem-planner');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const keysOf = (subject: string) =>
    scalar(t, `select count(*)::int from idempotency_keys where subject = '${subject}'`);

  it('runs 10 concurrent identical creates once: one answer, nine byte-identical replays, no 500', async () => {
    const code = uniqueCode('IDEM-TEN');
    const body = JSON.stringify({ query: CREATE_PROJECT, variables: { input: projectInput(code) } });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(t, body, { ...planner, 'idempotency-key': `ten-${code}` })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual(Array(10).fill(200));
    const first = responses.filter((r) => r.headers.get('idempotent-replayed') !== 'true');
    expect(first).toHaveLength(1);
    for (const r of responses) expect(r.text).toBe(first[0].text);
    expect(JSON.parse(first[0].text).data.createProject.userErrors).toEqual([]);
    expect(await scalar(t, `select count(*)::int from projects where code = '${code}'`)).toBe(1);
    expect(
      await scalar(
        t,
        `select count(*)::int from audit_log a join projects p on p.id = a.entity_id where a.entity_type = 'Project' and p.code = '${code}'`,
      ),
    ).toBe(1);
  });

  it('takes the same request with its JSON keys in another order as the same request', async () => {
    const code = uniqueCode('IDEM-ORDER');
    const input = projectInput(code);
    const reordered = Object.fromEntries(Object.entries(input).reverse());
    const key = { ...planner, 'idempotency-key': `order-${code}` };
    const first = await post(t, JSON.stringify({ query: CREATE_PROJECT, variables: { input } }), key);
    const second = await post(t, JSON.stringify({ variables: { input: reordered }, query: CREATE_PROJECT }), key);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.text).toBe(first.text);
  });

  it('refuses a different request under the same key with 422, writing nothing', async () => {
    const code = uniqueCode('IDEM-DIFF');
    const key = { ...planner, 'idempotency-key': `diff-${code}` };
    expect(
      (await post(t, JSON.stringify({ query: CREATE_PROJECT, variables: { input: projectInput(code) } }), key)).status,
    ).toBe(200);
    const other = await post(
      t,
      JSON.stringify({ query: CREATE_PROJECT, variables: { input: projectInput(`${code}-B`) } }),
      key,
    );
    expect(other.status).toBe(422);
    expect(JSON.parse(other.text).errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await scalar(t, `select count(*)::int from projects where code = '${code}-B'`)).toBe(0);
  });

  it('does not store reads: a query with a key is answered afresh each time and keeps nothing', async () => {
    const reader = await as('viewer', 'idem-reader');
    const body = JSON.stringify({ query: '{ projects(first: 1) { totalCount } }' });
    for (let i = 0; i < 3; i++) {
      const response = await post(t, body, { ...reader, 'idempotency-key': `read-${i % 2}` });
      expect(response.status).toBe(200);
      expect(response.headers.get('idempotent-replayed')).toBeNull();
    }
    expect(await keysOf('idem-reader')).toBe(0);
  });

  it('does not store an authorization failure: after gaining the role, the same key writes', async () => {
    const code = uniqueCode('IDEM-ROLE');
    const body = JSON.stringify({ query: CREATE_PROJECT, variables: { input: projectInput(code) } });
    const asViewer = await post(t, body, {
      ...(await as('viewer', 'idem-promoted')),
      'idempotency-key': `role-${code}`,
    });
    expect(asViewer.status).toBe(403);
    expect(JSON.parse(asViewer.text).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await keysOf('idem-promoted')).toBe(0);
    const asPlanner = await post(t, body, {
      ...(await as('planner', 'idem-promoted')),
      'idempotency-key': `role-${code}`,
    });
    expect(asPlanner.status).toBe(200);
    expect(asPlanner.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.parse(asPlanner.text).data.createProject.userErrors).toEqual([]);
    expect((await projectByCode(t, code)).code).toBe(code);
  });

  it('limits the keys one caller holds (here 5) with 429 IDEMPOTENCY_QUOTA_EXCEEDED; others are not affected', async () => {
    const busy = await as('planner', 'idem-quota');
    const project = await createProject(
      t,
      projectInput(uniqueCode('IDEM-QUOTA'), { statusEffectiveOn: '2024-01-01' }),
      planner,
    );
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify({
        query: CHANGE_STATUS,
        variables: {
          input: { projectId: project.id, status: 'PREPARATION', effectiveOn: today(), expectedVersion: 100 + i },
        },
      });
      expect((await post(t, body, { ...busy, 'idempotency-key': `quota-${i}` })).status).toBe(200);
    }
    const sixth = await post(
      t,
      JSON.stringify({
        query: CHANGE_STATUS,
        variables: {
          input: { projectId: project.id, status: 'PREPARATION', effectiveOn: today(), expectedVersion: 1 },
        },
      }),
      { ...busy, 'idempotency-key': 'quota-5' },
    );
    expect(sixth.status).toBe(429);
    expect(JSON.parse(sixth.text).errors[0].extensions).toEqual({ code: 'IDEMPOTENCY_QUOTA_EXCEEDED', limit: 5 });
    expect(sixth.headers.get('retry-after')).not.toBeNull();
    expect((await projectByCode(t, project.code)).version).toBe(1);
    // A key already held still replays.
    const replay = await post(
      t,
      JSON.stringify({
        query: CHANGE_STATUS,
        variables: {
          input: { projectId: project.id, status: 'PREPARATION', effectiveOn: today(), expectedVersion: 100 },
        },
      }),
      { ...busy, 'idempotency-key': 'quota-0' },
    );
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await keysOf('idem-quota')).toBe(5);
  });
});
