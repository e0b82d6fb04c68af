import { DEFAULT_LIMITS, type Limits } from '../../src/config';
import { MAX_BODY_BYTES } from '../../src/http/server';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/**
 * Every request limit, at its default and at a configured value: one request over the limit is refused before any
 * SQL runs (400, one error with the limit's code and value), one exactly at the limit is answered.
 */

interface Raw {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

async function post(t: TestApp, body: unknown, headers: Record<string, string> = {}): Promise<Raw> {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

/** depth(d): plans → nodes → sections → parent × (d − 4) → id is a document of depth d (graphql-armor counts the leaf).
 * */
const depthDoc = (depth: number) =>
  `{ plans(first: 1) { nodes { sections { ${'parent { '.repeat(depth - 4)}id${' }'.repeat(depth - 4)} } } } }`;
/** n aliased fields. */
const aliasDoc = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: fundingSources { code }`).join(' ')} }`;
/** Exactly n lexical tokens: braces and n − 2 `__typename` fields (merged into one when executed). */
const tokenDoc = (n: number) => `{ ${'__typename '.repeat(n - 2)}}`;
/** n directives, one per inline fragment (so no "directive used twice" validation error joins in). */
const directiveDoc = (n: number) => `{ ${'... @include(if: true) { __typename } '.repeat(n)}}`;
/** Cost 1 + 2·first: the connection's `nodes { id }` (2) counts once per requested item. */
const connectionDoc = (first?: number) =>
  `{ projects${first === undefined ? '' : `(first: ${first})`} { nodes { id } } }`;
/** Cost 1 + ids.length. */
const NODES_DOC = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
/**
 * Cost exactly 100,000 (with `tail` = `__typename`, cost 1) or 100,001 (`fundingSources { code }`, cost 2), in
 * pages of at most 100: plans → tasks → projects 1 + 100 · (2 + 100 · (2 + 2 · 3)) = 80,201; agencies → assignments
 * 1 + 100 · (2 + 2 · 97) = 19,601; projects(first: 98) 1 + 2 · 98 = 197.
 */
const costDoc = (tail: string) =>
  `{ plans(first: 100) { nodes { tasks(first: 100) { nodes { projects(first: 3) { nodes { id } } } } } }
     agencies(first: 100) { nodes { assignments(first: 97) { nodes { role } } } }
     projects(first: 98) { nodes { id } } ${tail} }`;

function expectRefused(response: Raw, code: string, limit: number) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors[0].extensions.code).toBe(code);
  expect(response.body.errors[0].extensions.limit).toBe(limit);
  expect(response.body.errors[0].extensions.stacktrace).toBeUndefined();
  // Refused before execution: no SQL statement was sent (the server reports 0).
  expect(['0', null]).toContain(response.headers.get('x-sql-statements'));
}

function expectAccepted(response: Raw) {
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data).toBeTruthy();
}

function withLimits(limits: Partial<Limits>) {
  const base = testConfig().operations;
  return { operations: { ...base, limits: { ...base.limits, ...limits } } };
}

describe('limits at their defaults', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxDepth: 12,
      maxAliases: 30,
      maxTokens: 5000,
      maxDirectives: 50,
      maxCost: 100000,
      allowBatchedRequests: false,
      maxBodyBytes: 1024 * 1024,
      maxJsonDepth: 32,
      maxFilterDepth: 5,
      maxFilterValues: 100,
      maxFilterTerms: 200,
      maxSearchLength: 200,
      maxSearchWords: 32,
      maxNodeIds: 100,
      maxListItems: 1000,
      maxInputValues: 10000,
    });
  });

  it('depth 12 is answered, 13 refused with DEPTH_LIMIT_EXCEEDED', async () => {
    expectAccepted(await post(t, { query: depthDoc(12) }));
    expectRefused(await post(t, { query: depthDoc(13) }), 'DEPTH_LIMIT_EXCEEDED', 12);
  });

  it('30 aliases are answered, 31 refused with ALIAS_LIMIT_EXCEEDED', async () => {
    expectAccepted(await post(t, { query: aliasDoc(30) }));
    expectRefused(await post(t, { query: aliasDoc(31) }), 'ALIAS_LIMIT_EXCEEDED', 30);
  });

  it('5000 tokens pass the token limit, 5001 are refused with TOKEN_LIMIT_EXCEEDED', async () => {
    // 4,998 fields named alike pass the token limit and meet graphql-js's own budget for comparing fields that
    // merge (a validation error, not a token error); at 60 tokens (below) the same document is answered.
    const atLimit = await post(t, { query: tokenDoc(5000) });
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.errors.map((e: any) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const refused = await post(t, { query: tokenDoc(5001) });
    expectRefused(refused, 'TOKEN_LIMIT_EXCEEDED', 5000);
    expect(refused.body.errors[0].message).not.toMatch(/^Syntax Error/);
  });

  it('50 directives are answered, 51 refused with DIRECTIVE_LIMIT_EXCEEDED', async () => {
    expectAccepted(await post(t, { query: directiveDoc(50) }));
    expectRefused(await post(t, { query: directiveDoc(51) }), 'DIRECTIVE_LIMIT_EXCEEDED', 50);
  });

  it('cost 100000 is answered, 100001 refused with COST_LIMIT_EXCEEDED', async () => {
    expectAccepted(await post(t, { query: costDoc('__typename') }));
    const refused = await post(t, { query: costDoc('fundingSources { code }') });
    expectRefused(refused, 'COST_LIMIT_EXCEEDED', 100000);
    expect(refused.body.errors[0].extensions.cost).toBe(100001);
  });

  it('nodes takes 100 IDs and refuses 101 with BAD_USER_INPUT naming the limit, as a literal and as a variable', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `x${i}`);
    expectAccepted(await post(t, { query: NODES_DOC, variables: { ids: ids(100) } }));
    const refused = await post(t, { query: NODES_DOC, variables: { ids: ids(101) } });
    expectRefused(refused, 'BAD_USER_INPUT', 100);
    expect(refused.body.errors[0].extensions.setting).toBe('MAX_NODE_IDS');
    const literal = await post(t, { query: `{ nodes(ids: ${JSON.stringify(ids(101))}) { id } }` });
    expectRefused(literal, 'BAD_USER_INPUT', 100);
  });

  it('a connection multiplies its children by first (and by 20 without first)', async () => {
    // projects(first: 1000) { nodes { tasks { plan { tasks(first: 200) { nodes { id } } } } } }:
    // 1 + 1000 · (1 + 1 + 1 + (1 + 200 · 2)) = 404001.
    const refused = await post(t, {
      query: '{ projects(first: 1000) { nodes { tasks { plan { tasks(first: 200) { nodes { id } } } } } } }',
    });
    expectRefused(refused, 'COST_LIMIT_EXCEEDED', 100000);
    expect(refused.body.errors[0].extensions.cost).toBe(404001);
    const last = await post(t, {
      query: '{ projects(last: 1000) { nodes { tasks { plan { tasks(last: 200) { nodes { id } } } } } } }',
    });
    expect(last.body.errors[0].extensions.cost).toBe(404001);
    // Without first/last each connection counts 20: tasks { nodes { id } } = 1 + 20 · 2 = 41, plan 42, Project.tasks
    // 43, nodes 44, projects 1 + 20 · 44 = 881, nodes 882, Plan.tasks 1 + 20 · 882 = 17641, nodes 17642, plans 1 + 20 ·
    // 17642.
    const implicit = await post(t, {
      query:
        '{ plans { nodes { tasks { nodes { projects { nodes { tasks { plan { tasks { nodes { id } } } } } } } } } } }',
    });
    expectRefused(implicit, 'COST_LIMIT_EXCEEDED', 100000);
    expect(implicit.body.errors[0].extensions.cost).toBe(1 + 20 * 17642);
  });

  it('refuses a batch (JSON array body) while batching is off', async () => {
    const response = await post(t, [{ query: '{ plans { totalCount } }' }, { query: '{ agencies { totalCount } }' }]);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(['0', null]).toContain(response.headers.get('x-sql-statements'));
  });

  it('refuses a body over 1 MB with 413 PAYLOAD_TOO_LARGE and the limit', async () => {
    const query = `{ plans { totalCount } } # ${'x'.repeat(MAX_BODY_BYTES)}`;
    const response = await post(t, { query });
    expect(response.status).toBe(413);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limit: 1024 * 1024 });
    expect(['0', null]).toContain(response.headers.get('x-sql-statements'));
  });

  it('CSRF: a GET query needs a preflight header', async () => {
    const url = `${t.url}/graphql?query=${encodeURIComponent('{ plans { totalCount } }')}`;
    const blocked = await fetch(url);
    expect(blocked.status).toBe(400);
    expect(((await blocked.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    const allowed = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as any).data.plans.totalCount).toBeGreaterThan(0);
  });

  it('CORS: an OPTIONS preflight answers 204 with Access-Control-Allow-Origin', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://anywhere.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Content-Type/i);
  });
});

describe('limits at configured values', () => {
  let t: TestApp;
  const limits = {
    maxDepth: 6,
    maxAliases: 3,
    maxTokens: 60,
    maxDirectives: 2,
    maxCost: 51,
    allowBatchedRequests: true,
  };
  beforeAll(async () => {
    t = await startTestApp(withLimits(limits));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('depth', async () => {
    expectAccepted(await post(t, { query: depthDoc(6) }));
    expectRefused(await post(t, { query: depthDoc(7) }), 'DEPTH_LIMIT_EXCEEDED', 6);
  });

  it('aliases', async () => {
    expectAccepted(await post(t, { query: aliasDoc(3) }));
    expectRefused(await post(t, { query: aliasDoc(4) }), 'ALIAS_LIMIT_EXCEEDED', 3);
  });

  it('tokens', async () => {
    expectAccepted(await post(t, { query: tokenDoc(60) }));
    expectRefused(await post(t, { query: tokenDoc(61) }), 'TOKEN_LIMIT_EXCEEDED', 60);
  });

  it('directives', async () => {
    expectAccepted(await post(t, { query: directiveDoc(2) }));
    expectRefused(await post(t, { query: directiveDoc(3) }), 'DIRECTIVE_LIMIT_EXCEEDED', 2);
  });

  it('cost, with first and with the default page of 20', async () => {
    expectAccepted(await post(t, { query: connectionDoc(25) })); // 1 + 25 · 2 = 51
    const over = await post(t, { query: connectionDoc(26) });
    expectRefused(over, 'COST_LIMIT_EXCEEDED', 51);
    expect(over.body.errors[0].extensions.cost).toBe(53);
    expectAccepted(await post(t, { query: connectionDoc() })); // 1 + 20 · 2 = 41
    const variables = await post(t, {
      query: 'query($n: Int) { projects(first: $n) { nodes { id } } }',
      variables: { n: 30 },
    });
    expectRefused(variables, 'COST_LIMIT_EXCEEDED', 51);
    expect(variables.body.errors[0].extensions.cost).toBe(61);
    // The same document again: its cost follows the variables, not the first estimate.
    expectAccepted(
      await post(t, { query: 'query($n: Int) { projects(first: $n) { nodes { id } } }', variables: { n: 10 } }),
    );
    const again = await post(t, {
      query: 'query($n: Int) { projects(first: $n) { nodes { id } } }',
      variables: { n: 40 },
    });
    expect(again.body.errors[0].extensions.cost).toBe(81);
    const listed = await post(t, {
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: ['a', 'b'] },
    });
    expectAccepted(listed);
    const longer = await post(t, {
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: Array.from({ length: 60 }, (_, i) => `x${i}`) },
    });
    expectRefused(longer, 'COST_LIMIT_EXCEEDED', 51);
    // A filter's terms count too: one search word adds 1 (1 + 1 + 26 · 2 = 54), three words add 3.
    for (let i = 0; i < 2; i++) {
      const fixed = await post(t, {
        query: 'query($code: String) { projects(first: 26, filter: { search: $code }) { nodes { id } } }',
        variables: { code: `x${i}` },
      });
      expectRefused(fixed, 'COST_LIMIT_EXCEEDED', 51);
      expect(fixed.body.errors[0].extensions.cost).toBe(54);
    }
    const words = await post(t, {
      query: 'query($code: String) { projects(first: 25, filter: { search: $code }) { nodes { id } } }',
      variables: { code: 'a b c' },
    });
    expectRefused(words, 'COST_LIMIT_EXCEEDED', 51);
    expect(words.body.errors[0].extensions.cost).toBe(54);
  });

  it('a batch is answered when batching is on', async () => {
    const response = await post(t, [{ query: '{ plans { totalCount } }' }, { query: '{ agencies { totalCount } }' }]);
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body)).toBe(true);
    expect(response.body).toHaveLength(2);
    expect(response.body[0].data.plans.totalCount).toBeGreaterThan(0);
    expect(response.body[1].data.agencies.totalCount).toBeGreaterThan(0);
  });

  it('a lower cost limit refuses what the default accepts', async () => {
    const response = await post(t, { query: '{ projects { nodes { id code } } }' }); // 1 + 20 · 3 = 61
    expectRefused(response, 'COST_LIMIT_EXCEEDED', 51);
  });
});

describe('CORS with a list of origins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      seedOnStart: false,
      operations: { ...testConfig().operations, corsOrigins: ['https://portal.example.org'] },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('echoes an allowed origin and gives another none', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight('https://portal.example.org');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.example.org');
    expect(allowed.headers.get('vary')).toMatch(/Origin/);
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const query = (origin: string) => post(t, { query: '{ __typename }' }, { origin });
    expect((await query('https://portal.example.org')).headers.get('access-control-allow-origin')).toBe(
      'https://portal.example.org',
    );
    expect((await query('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('production error masking', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ nodeEnv: 'production' });
  });
  afterAll(async () => {
    await t?.app.server.close().catch(() => {});
    await t?.stop().catch(() => {});
  });

  const noLeak = (response: Raw) => {
    expect(response.text).not.toMatch(/stacktrace|node_modules|at \/|select |from "|drizzle|PGlite|postgres/i);
    for (const error of response.body.errors ?? []) {
      expect(typeof error.extensions?.code).toBe('string');
      expect(error.extensions.stacktrace).toBeUndefined();
    }
  };

  it('client errors carry a code and no stack trace, and field suggestions are hidden', async () => {
    for (const query of [
      '{ projectz { id } }',
      '{ projects( }',
      '{ project(code: 1) { id } }',
      depthDoc(13),
      aliasDoc(31),
    ]) {
      const response = await post(t, { query });
      expect(response.status).toBe(400);
      noLeak(response);
    }
    const suggestion = await post(t, { query: '{ plan(code: "x") { titl } }' });
    expect(suggestion.text).not.toMatch(/Did you mean/);
    const badInput = await post(t, { query: '{ projects(first: -1) { totalCount } }' });
    expect(badInput.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    noLeak(badInput);
  });

  it('an unexpected failure (the database gone) answers a code and a generic message', async () => {
    await t.app.database.close();
    const response = await post(t, {
      query: '{ plans { nodes { code tasks { totalCount } } } project(code: "BD-METRO-1") { name } }',
    });
    expect(response.status).toBe(503);
    expect(response.body.errors.length).toBeGreaterThan(0);
    for (const error of response.body.errors) {
      expect(error.extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(error.message).toBe('The database is not reachable right now. Retry in a few seconds.');
    }
    noLeak(response);
  });
});
