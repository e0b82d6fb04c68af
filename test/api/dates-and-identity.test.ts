import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { as, createProject, projectByCode, projectInput, uniqueCode, CHANGE_STATUS, today } from '../helpers/write-kit';
import { dataOf } from '../helpers/test-app';
import { encodeCursor } from '../../src/lib/pagination';

/**
 * Dates keep to 1900-2200 everywhere a caller can give one (scalars as literals and variables, filters, cursors,
 * mutation inputs, OC4IDS routes and imports): a day outside is a client error, never a database error. And what
 * names a project is exact: OC4IDS ids are matched as written, an import keeps to the write API's status rules,
 * and package addresses come from PUBLIC_URL, with forwarded headers only behind TRUST_PROXY.
 */

jest.setTimeout(120_000);

const OUTSIDE = ['0000-01-01', '0000-02-29', '1899-12-31', '2201-01-01', '9999-12-31'];

describe('dates outside 1900-2200', () => {
  let t: TestApp;
  let planner: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    planner = await as('planner', 'dates-planner');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const expectClientError = (response: { status: number; body: any }, status = 400) => {
    expect(response.status).toBe(status);
    const codes = (response.body.errors ?? []).map((e: any) => e.extensions?.code);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(code);
  };

  it.each(OUTSIDE)('refuses %s in a filter, as a literal and as a variable', async (day) => {
    expectClientError(await t.query(`{ projects(filter: { plannedCompletion: { from: "${day}" } }) { totalCount } }`));
    expectClientError(
      await t.query('query($d: Date) { projects(filter: { plannedCompletion: { to: $d } }) { totalCount } }', {
        d: day,
      }),
    );
    expectClientError(
      await t.query('query($s: DateTime) { projects(filter: { updatedSince: $s }) { totalCount } }', {
        s: `${day}T00:00:00Z`,
      }),
    );
  });

  it.each(OUTSIDE)('refuses %s in a mutation input, and stores nothing', async (day) => {
    const code = uniqueCode('DATE');
    const response = await t.query(
      'mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } userErrors { code } } }',
      { input: projectInput(code, { plannedStart: day }) },
      planner,
    );
    expectClientError(response);
    expect(await t.query(`{ project(code: "${code}") { code } }`).then((r) => r.body.data?.project)).toBeNull();
  });

  it('refuses a cursor holding a day outside the range', async () => {
    const after = encodeCursor('Project:PLANNED_COMPLETION.ASC', ['0000-01-01', 1]);
    const response = await t.query(
      'query($a: String) { projects(orderBy: [{ field: PLANNED_COMPLETION, direction: ASC }], after: $a) { totalCount } }',
      { a: after },
    );
    expect(response.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors![0].message).toMatch(/not a valid cursor/);
  });

  it('refuses days outside the range in the OC4IDS export parameters with 400', async () => {
    for (const query of [
      'plannedCompletionFrom=0000-01-01',
      'plannedCompletionTo=2201-01-01',
      'updatedSince=0000-01-01T00:00:00Z',
    ]) {
      const response = await fetch(`${t.url}/oc4ids/projects.json?${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('rejects an OC4IDS project whose period lies outside the range, naming the field', async () => {
    const admin = await as('admin', 'dates-admin');
    const pkg = {
      version: '0.9',
      uri: 'https://example.org/pkg.json',
      publishedDate: '2025-01-01T00:00:00Z',
      publisher: { name: 'A test publisher' },
      projects: [
        {
          id: 'oc4ids-xxxxxx-DATE-ZERO',
          title: 'Zero',
          sector: ['transport'],
          type: 'construction',
          period: { startDate: '0000-01-01T00:00:00Z' },
        },
      ],
    };
    const response = await t.query(
      'mutation($p: JSONObject!) { importOc4idsPackage(input: { package: $p }) { report { written projects { outcome reasons } } } }',
      { p: pkg },
      admin,
    );
    const result = dataOf(response).importOc4idsPackage.report;
    expect(result.written).toBe(false);
    expect(result.projects[0].outcome).toBe('REJECTED');
    expect(result.projects[0].reasons.join(' ')).toMatch(/period\.startDate.*1900-01-01 to 2200-12-31/);
  });
});

describe('identity', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({
      operations: { ...testConfig().operations, publicUrl: 'https://registry.example.org/data' },
    });
    admin = await as('admin', 'identity-admin');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const importOne = async (project: Record<string, unknown>) =>
    dataOf(
      await t.query(
        'mutation($p: JSONObject!) { importOc4idsPackage(input: { package: $p }) { report { written packageErrors projects { id code outcome reasons } } } }',
        {
          p: {
            version: '0.9',
            uri: 'https://example.org/pkg.json',
            publishedDate: '2025-01-01T00:00:00Z',
            publisher: { name: 'A test publisher' },
            projects: [project],
          },
        },
        admin,
      ),
    ).importOc4idsPackage.report;

  it('matches an OC4IDS id exactly: "BD METRO 1" is not BD-METRO-1, and the seeded project is left alone', async () => {
    const before = await projectByCode(t, 'BD-METRO-1');
    const result = await importOne({ id: 'oc4ids-xxxxxx-BD METRO 1', title: 'Renamed by a stranger' });
    expect(result.written).toBe(false);
    expect(result.projects[0].outcome).toBe('REJECTED');
    expect(result.projects[0].reasons.join(' ')).toMatch(/does not end in a project code/);
    expect(await projectByCode(t, 'BD-METRO-1')).toEqual(before);
  });

  it('does not reopen a COMPLETED project through an import', async () => {
    const planner = await as('planner', 'identity-planner');
    const project = await createProject(
      t,
      projectInput(uniqueCode('DONE'), { status: 'UNDER_CONSTRUCTION', statusEffectiveOn: '2024-01-01' }),
      planner,
    );
    const done = await t.query(
      CHANGE_STATUS,
      { input: { projectId: project.id, status: 'COMPLETED', effectiveOn: today(), expectedVersion: 1 } },
      planner,
    );
    expect(dataOf(done).changeProjectStatus.userErrors).toEqual([]);
    const result = await importOne({ id: `oc4ids-xxxxxx-${project.code}`, status: 'implementation' });
    expect(result.packageErrors).toEqual([]);
    expect(result.projects[0].outcome).toBe('REJECTED');
    expect(result.projects[0].reasons.join(' ')).toMatch(
      /COMPLETED and cannot become UNDER_CONSTRUCTION; that status is final/,
    );
    expect((await projectByCode(t, project.code)).status).toBe('COMPLETED');
  });

  it('builds package addresses from PUBLIC_URL, whatever Host and X-Forwarded-Host say', async () => {
    const response = await fetch(`${t.url}/oc4ids/projects/BD-METRO-1.json`, {
      headers: { host: 'evil.example.com', 'x-forwarded-host': 'evil.example.com' },
    });
    expect(((await response.json()) as any).uri).toBe(
      'https://registry.example.org/data/oc4ids/projects/BD-METRO-1.json',
    );
  });

  it('without PUBLIC_URL, ignores X-Forwarded-Host unless TRUST_PROXY, and in production ignores Host', async () => {
    const plain = await startTestApp({ seedOnStart: true });
    const proxied = await startTestApp({ operations: { ...testConfig().operations, trustProxy: true } });
    const production = await startTestApp({ nodeEnv: 'production' });
    try {
      const uri = async (app: TestApp, headers: Record<string, string>) =>
        ((await (await fetch(`${app.url}/oc4ids/projects/BD-METRO-1.json`, { headers })).json()) as any).uri as string;
      expect(await uri(plain, { 'x-forwarded-host': 'evil.example.com' })).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(await uri(proxied, { 'x-forwarded-host': 'registry.example.org', 'x-forwarded-proto': 'https' })).toBe(
        'https://registry.example.org/oc4ids/projects/BD-METRO-1.json',
      );
      expect(await uri(production, { host: 'evil.example.com' })).toMatch(/^http:\/\/localhost:\d+\//);
    } finally {
      await plain.stop();
      await proxied.stop();
      await production.stop();
    }
  });
});
