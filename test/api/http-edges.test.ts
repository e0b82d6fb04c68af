import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { startApp } from '../../src/app';
import { checkPackage } from '../../src/modules/oc4ids/import/check';
import { freePort } from '../helpers/pg-instance';
import { dataOf, startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { as, createProject, projectInput, uniqueCode } from '../helpers/write-kit';

/**
 * The HTTP edge, tried as an attacker would: NUL anywhere in a route, nesting in JSON and in documents, headers the
 * registry echoes, the metrics route, introspection, and what a wrong DATABASE_URL says. Every refusal has a code
 * and no 500.
 */

jest.setTimeout(120_000);

/** A raw request, for what fetch would refuse to send. */
function raw(
  url: string,
  requestPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: requestPath, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each([
    '/oc4ids/projects/%00.json',
    '/oc4ids/projects/BD-METRO-1%00.json',
    '/oc4ids/projects.json?search=a%00b',
    '/oc4ids/projects.json?agency=%00',
    '/graphql?query=%7B__typename%7D%00',
    '/health?x=%00',
    '/nowhere%00',
  ])('refuses NUL in %s with 400 BAD_USER_INPUT', async (route) => {
    const response = await raw(t.url, route);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses NUL however a document escapes it, on both executors', async () => {
    for (const query of [
      '{ project(code: "a\\u0000b") { code } }',
      '{ project(code: "a\\u{0}b") { code } }',
      '{ project(code: "a\\u{000000}") { code } }',
    ]) {
      const response = await t.query(query);
      expect(response.status).toBe(400);
      expect(response.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(response.statements).toBe(0);
    }
  });

  it('refuses JSON nested deeper than 32 levels, and a document nested deeper than 32, with 400', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const json = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { x: deep } }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as any).errors[0].extensions).toEqual({
      code: 'BAD_REQUEST',
      limit: 32,
      setting: 'MAX_JSON_DEPTH',
    });
    const doc = await t.query(`{ plans { nodes { ${'sections { '.repeat(40)}number${' }'.repeat(40)} } } }`);
    expect(doc.status).toBe(400);
    expect(doc.body.errors![0].extensions).toMatchObject({ code: 'BAD_REQUEST', setting: 'MAX_JSON_DEPTH' });
  });

  it('refuses an OC4IDS package nested 5,000 levels deep with a client error, never a 500', async () => {
    // Written as text: JSON.stringify itself cannot go 5,000 levels deep.
    const coordinates = `${'['.repeat(5000)}106.6, 10.8${']'.repeat(5000)}`;
    const pkg = `{ "version": "0.9", "projects": [{ "id": "oc4ids-xxxxxx-DEEP", "locations": [{ "geometry": { "type": "Point", "coordinates": ${coordinates} } }] }] }`;
    const query = 'mutation($p: JSONObject!) { importOc4idsPackage(input: { package: $p }) { report { written } } }';
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await as('admin', 'deep-admin')) },
      body: `{ "query": ${JSON.stringify(query)}, "variables": { "p": ${pkg} } }`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    // The command-line import reads files of any size: the package check refuses the depth before validating.
    const checked = checkPackage(JSON.parse(pkg), 'oc4ids-xxxxxx-');
    expect(checked.packageErrors).toEqual([
      'The package nests deeper than 64 levels; an OC4IDS package (GeoJSON included) needs far fewer.',
    ]);
  });

  it('says X-Content-Type-Options: nosniff on every answer', async () => {
    for (const route of [
      '/graphql?query=%7B__typename%7D',
      '/health',
      '/health/live',
      '/nowhere',
      '/oc4ids/projects/NOPE.json',
    ]) {
      const response = await fetch(`${t.url}${route}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('echoes a request id only as a plain token: quotes, spaces and non-ASCII are dropped', async () => {
    const echoed = await raw(t.url, '/health/live', { 'X-Request-Id': 'abc"<script>\u00e9-1' });
    expect(echoed.headers['x-request-id']).toBe('abcscript-1');
    const only = await raw(t.url, '/health/live', { 'X-Request-Id': '"""' });
    expect(only.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a code that differs only in case from an existing one, on create and on update', async () => {
    const planner = await as('planner', 'case-planner');
    const code = uniqueCode('CASE');
    await createProject(t, projectInput(code), planner);
    const twin = await t.query(
      'mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } userErrors { field code message } } }',
      { input: projectInput(code.toLowerCase()) },
      planner,
    );
    expect(dataOf(twin).createProject.userErrors).toEqual([
      {
        field: ['input', 'code'],
        code: 'DUPLICATE',
        message: `A project with the code "${code}" already exists (codes are compared without regard to case).`,
      },
    ]);
  });
});

describe('the metrics route', () => {
  it('is not served on the API port in production without METRICS_TOKEN; with it, only to a caller presenting it', async () => {
    const open = await startTestApp({ nodeEnv: 'production', seedOnStart: false });
    try {
      expect((await fetch(`${open.url}/metrics`)).status).toBe(404);
    } finally {
      await open.stop();
    }
    const token = 'metrics-token-0123456789';
    const guarded = await startTestApp({
      nodeEnv: 'production',
      seedOnStart: false,
      operations: { ...testConfig().operations, metricsToken: token },
    });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status,
      ).toBe(401);
      const scraped = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/registry_graphql_requests_total|process_cpu/);
    } finally {
      await guarded.stop();
    }
  });

  it('with METRICS_PORT, is served on that port and not on the API port', async () => {
    const metricsPort = await freePort();
    const t = await startTestApp({ seedOnStart: false, operations: { ...testConfig().operations, metricsPort } });
    try {
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
    } finally {
      await t.stop();
    }
  });
});

describe('introspection', () => {
  it('is open by default (a public data API) and off with INTROSPECTION=off', async () => {
    const on = await startTestApp({ seedOnStart: false });
    const off = await startTestApp({
      seedOnStart: false,
      operations: { ...testConfig().operations, introspection: false },
    });
    try {
      expect(dataOf(await on.query('{ __schema { queryType { name } } }')).__schema.queryType.name).toBe('Query');
      const refused = await off.query('{ __schema { queryType { name } } }');
      expect(refused.status).toBe(400);
      expect(refused.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await on.stop();
      await off.stop();
    }
  });
});

describe('a DATABASE_URL that does not work', () => {
  it.each([
    [
      'a database that does not exist',
      'postgres://postgres@127.0.0.1:5432/ipr_no_such_database',
      /database "ipr_no_such_database" does not exist/,
    ],
    ['a closed port', 'postgres://postgres@127.0.0.1:1/registry', /connection refused/],
  ])('stops the start with the cause: %s', async (_name, databaseUrl, cause) => {
    await expect(
      startApp(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test' })),
    ).rejects.toThrow(cause);
  });
});

describe('the README', () => {
  it('names every setting of the configuration in its configuration or security tables', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const source = readFileSync(path.resolve(__dirname, '../../src/config.ts'), 'utf8');
    const settings = [
      ...new Set(
        [
          ...source.matchAll(/\b(?:integer|flag|megabytes|duration)\('([A-Z0-9_]+)'/g),
          ...source.matchAll(/env\.([A-Z0-9_]+)/g),
        ].map((m) => m[1]),
      ),
    ];
    expect(settings.length).toBeGreaterThan(40);
    expect(settings.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
