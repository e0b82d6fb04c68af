import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config';
import { queryRows } from '../../src/db/client';
import { totalStatements } from '../../src/db/statement-counter';
import { OC4IDS_PROJECT_STATUS } from '../../src/modules/project/status';
import { SECTOR_CODES } from '../../src/modules/oc4ids/mapping';
import { validatePackage, validateProject } from '../../src/modules/oc4ids/validator';
import { generateSyntheticPortfolio } from '../../seeds/synthetic';
import { signToken } from '../../src/http/auth';
import { dataOf, startTestApp, testConfig, TEST_JWT_SECRET, type TestApp } from '../helpers/test-app';

/**
 * OC4IDS export: every seeded project and a 500-project synthetic sample validate against the official 0.9.5
 * schemas (offline, ajv-draft-04) with zero errors; filters narrow the export as they narrow `projects`.
 */

const repoRoot = path.resolve(__dirname, '../..');
const seedProjects: any[] = JSON.parse(
  readFileSync(path.join(repoRoot, 'seeds/data/projects.json'), 'utf8').normalize('NFC'),
);
const PREFIX = 'oc4ids-xxxxxx-';
/** The OC4IDS sector codes of the sectors the seed uses, with their parents. */
const SEED_SECTORS: Record<string, string[]> = {
  TRANSPORT_ROAD: ['transport', 'transport.road'],
  TRANSPORT_RAIL: ['transport', 'transport.rail'],
  TRANSPORT_URBAN: ['transport', 'transport.urban'],
  WATER_AND_WASTE: ['waterAndWaste'],
  NATURAL_RESOURCES_FLOOD_PROTECTION: ['naturalResources', 'naturalResources.floodProtection'],
};
const codelist = (name: string) =>
  readFileSync(path.join(repoRoot, 'standards/oc4ids/codelists', name), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0])
    .filter(Boolean);
const DATE_TIME_KEYS = new Set([
  'updated',
  'publishedDate',
  'startDate',
  'endDate',
  'maxExtentDate',
  'datePublished',
  'dateModified',
  'requestDate',
  'approvalDate',
]);

/** Every place in a JSON value that holds a null, an empty (or blank) string, array or object, or a date-time without a
 * zone. */
function emptiesIn(value: unknown, where = '$', found: string[] = []): string[] {
  if (value === null) found.push(`${where} is null`);
  else if (typeof value === 'string') {
    if (value.trim() === '') found.push(`${where} is an empty string`);
  } else if (Array.isArray(value)) {
    if (value.length === 0) found.push(`${where} is an empty array`);
    value.forEach((item, i) => emptiesIn(item, `${where}[${i}]`, found));
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as object);
    if (entries.length === 0) found.push(`${where} is an empty object`);
    for (const [key, item] of entries) {
      if (
        DATE_TIME_KEYS.has(key) &&
        !(typeof item === 'string' && /T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(item))
      )
        found.push(`${where}.${key} is not a date-time with a time zone`);
      emptiesIn(item, `${where}.${key}`, found);
    }
  }
  return found;
}

/** Every `Value` object (amount + currency) has a JSON number amount and a three-letter currency. */
function valuesIn(
  value: unknown,
  found: { amount: unknown; currency: unknown }[] = [],
): { amount: unknown; currency: unknown }[] {
  if (Array.isArray(value)) value.forEach((item) => valuesIn(item, found));
  else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('currency' in object && 'amount' in object) found.push({ amount: object.amount, currency: object.currency });
    for (const item of Object.values(object)) valuesIn(item, found);
  }
  return found;
}

async function getJson(t: TestApp, pathAndQuery: string) {
  const response = await fetch(`${t.url}${pathAndQuery}`);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    total: response.headers.get('x-total-count'),
    body: (await response.json()) as any,
  };
}

function expectValidPackage(pkg: any) {
  expect(validatePackage(pkg)).toEqual([]);
  for (const project of pkg.projects)
    expect({ id: project.id, errors: validateProject(project) }).toEqual({ id: project.id, errors: [] });
  expect(emptiesIn(pkg)).toEqual([]);
  for (const v of valuesIn(pkg.projects)) {
    expect(typeof v.amount).toBe('number');
    expect(v.currency).toMatch(/^[A-Z]{3}$/);
  }
}

const PROJECTS_COUNT = /* GraphQL */ `
  query Count($filter: ProjectFilter) {
    projects(filter: $filter, first: 1) {
      totalCount
    }
  }
`;

describe('OC4IDS export of the seeded projects', () => {
  let t: TestApp;
  let pkg: any;

  beforeAll(async () => {
    t = await startTestApp();
    const response = await getJson(t, '/oc4ids/projects.json');
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^application\/json/);
    pkg = response.body;
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('is a project package of every seeded project, valid against the official package and project schemas', () => {
    expect(pkg.version).toBe('0.9');
    expect(pkg.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oc4ids\/projects\.json$/);
    expect(pkg.publisher.name).toBeTruthy();
    expect(pkg.license).toMatch(/^https:\/\//);
    expect(pkg.projects.map((p: any) => p.id).sort()).toEqual(seedProjects.map((p) => `${PREFIX}${p.code}`).sort());
    expectValidPackage(pkg);
  });

  it('uses codes of the OC4IDS codelists for every sector, status, type and role', () => {
    expect(Object.keys(SECTOR_CODES)).toHaveLength(23);
    for (const codes of Object.values(SECTOR_CODES))
      for (const code of codes) expect(codelist('projectSector.csv')).toContain(code);
    for (const code of Object.values(OC4IDS_PROJECT_STATUS)) expect(codelist('projectStatus.csv')).toContain(code);
    for (const p of pkg.projects) {
      expect(codelist('projectType.csv')).toContain(p.type);
      for (const party of p.parties ?? [])
        for (const role of party.roles) expect(codelist('partyRole.csv')).toContain(role);
      for (const doc of p.documents ?? [])
        if (doc.documentType) expect(codelist('documentType.csv')).toContain(doc.documentType);
      for (const policy of p.policyAlignment?.policies ?? []) expect(codelist('policyAlignment.csv')).toContain(policy);
    }
  });

  it('dates the package by the newest change of its projects', () => {
    const newest = pkg.projects
      .map((p: any) => p.updated)
      .sort()
      .at(-1);
    expect(pkg.publishedDate).toBe(newest);
  });

  it.each(seedProjects.map((p) => [p.code as string, p] as const))("%s maps the seed's fields", (code, seed) => {
    const project = pkg.projects.find((p: any) => p.id === `${PREFIX}${code}`);
    const status = seed.statusHistory.at(-1).status as keyof typeof OC4IDS_PROJECT_STATUS;
    expect(project.title).toBe(seed.name);
    expect(project.description).toBe(seed.description);
    expect(project.language).toBe('vi');
    expect(project.status).toBe(OC4IDS_PROJECT_STATUS[status]);
    expect(project.type).toBe(seed.type.toLowerCase());
    expect(project.sector).toEqual(SEED_SECTORS[seed.sector]);
    if (seed.plannedStart) expect(project.period.startDate).toBe(`${seed.plannedStart}T00:00:00Z`);
    if (seed.plannedCompletion) expect(project.period.endDate).toBe(`${seed.plannedCompletion}T00:00:00Z`);
    if (seed.totalInvestment?.amount)
      expect(project.budget.amount).toEqual({
        amount: Number(seed.totalInvestment.amount),
        currency: seed.totalInvestment.currency,
      });
    // One budget breakdown entry per allocation, in its original currency, with its financier as source party.
    const entries = project.budget?.budgetBreakdowns?.[0]?.budgetBreakdown ?? [];
    expect(entries).toHaveLength(seed.funding.length);
    seed.funding.forEach((f: any, i: number) => {
      if (f.amount !== null) expect(entries[i].amount).toEqual({ amount: Number(f.amount), currency: f.currency });
      else expect(entries[i].amount).toBeUndefined();
      if (f.financier) {
        expect(entries[i].sourceParty.name).toBe(f.financier);
        const party = project.parties.find((p: any) => p.id === entries[i].sourceParty.id);
        expect(party.roles).toContain('funder');
      }
    });
    if (seed.ownerAgencyCode) {
      expect(project.publicAuthority.id).toBe(seed.ownerAgencyCode);
      expect(project.parties.find((p: any) => p.id === seed.ownerAgencyCode).roles).toContain('publicAuthority');
    }
    expect(project.locations.map((l: any) => l.description)).toEqual(
      seed.locations.map((l: any) => (l.description ? `${l.name} — ${l.description}` : l.name)),
    );
    // Plan tasks are policyAlignment documents.
    const taskDocs = (project.documents ?? []).filter((d: any) => d.documentType === 'policyAlignment');
    expect(taskDocs.map((d: any) => d.id.split(':').at(-1)).sort()).toEqual(
      [...new Set(seed.taskCodes as string[])].sort(),
    );
    if (status === 'COMPLETED')
      expect(project.completion.endDate).toBe(`${seed.statusHistory.at(-1).effectiveOn}T00:00:00Z`);
    else expect(project.completion).toBeUndefined();
  });

  it('answers GET /oc4ids/projects/BD-METRO-1.json with a valid package equal to Project.oc4ids', async () => {
    const one = await getJson(t, '/oc4ids/projects/BD-METRO-1.json');
    expect(one.status).toBe(200);
    expect(one.type).toMatch(/^application\/json/);
    expectValidPackage(one.body);
    expect(one.body.projects).toHaveLength(1);
    const data = dataOf(await t.query('{ project(code: "BD-METRO-1") { oc4ids } }'));
    expect(data.project.oc4ids).toEqual(one.body.projects[0]);
    expect(one.body.projects[0]).toEqual(pkg.projects.find((p: any) => p.id === `${PREFIX}BD-METRO-1`));
    expect(one.body.publishedDate).toBe(one.body.projects[0].updated);
  });

  it('reads Project.oc4ids of a whole page in a constant number of statements', async () => {
    const one = await t.query('{ projects(first: 1) { nodes { oc4ids } } }');
    const all = await t.query('{ projects(first: 50) { nodes { oc4ids } } }');
    expect(dataOf(all).projects.nodes).toHaveLength(seedProjects.length);
    expect(all.statements).toBe(one.statements);
  });

  it('answers an unknown code with 404 NOT_FOUND', async () => {
    const missing = await getJson(t, '/oc4ids/projects/NO-SUCH-PROJECT.json');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(missing.type).toMatch(/^application\/json/);
  });

  it('fails validation when an exported object is broken on purpose: the validator really runs', () => {
    const broken = structuredClone(pkg);
    delete broken.projects[0].id;
    broken.projects[1].title = null;
    broken.projects[2].budget = { amount: { amount: '12', currency: 'XYZ' } };
    broken.projects[3].period = { startDate: '2024-01-01' };
    const errors = validatePackage(broken);
    expect(errors.map((e) => e.pointer)).toEqual(
      expect.arrayContaining([
        '/projects/0',
        '/projects/1/title',
        '/projects/2/budget/amount/amount',
        '/projects/2/budget/amount/currency',
        '/projects/3/period/startDate',
      ]),
    );
    expect(validateProject(broken.projects[0]).map((e) => e.message)).toContain('"id" is required');
    const noVersion = { ...pkg, version: undefined, projects: [] };
    expect(validatePackage(noVersion).length).toBeGreaterThan(0);
  });

  describe('filters as query parameters', () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['status', 'status=UNDER_CONSTRUCTION', { status: ['UNDER_CONSTRUCTION'] }],
      [
        'comma-separated sectors',
        'sector=TRANSPORT_RAIL,TRANSPORT_URBAN',
        { sector: ['TRANSPORT_RAIL', 'TRANSPORT_URBAN'] },
      ],
      [
        'repeated types and a status',
        'type=CONSTRUCTION&type=REHABILITATION&status=PREPARATION',
        { type: ['CONSTRUCTION', 'REHABILITATION'], status: ['PREPARATION'] },
      ],
      ['funding source', 'fundingSource=ODA', { fundingSource: ['ODA'] }],
      [
        'financier (with a comma in the name)',
        `financier=${encodeURIComponent('Liên danh Becamex IDC - Becamex IJC - BCMC - DCG (investor, BOT)')}`,
        { financier: ['Liên danh Becamex IDC - Becamex IJC - BCMC - DCG (investor, BOT)'] },
      ],
      [
        'agency with successors',
        'agency=BD.SGTVT&includeSuccessors=true',
        { agency: ['BD.SGTVT'], includeSuccessors: true },
      ],
      ['plan', `planCode=${encodeURIComponent('6408/KH-UBND')}`, { planCode: ['6408/KH-UBND'] }],
      ['tasks', 'taskCode=II.4.b.2,II.2.2', { taskCode: ['II.4.b.2', 'II.2.2'] }],
      ['search', 'search=duong%20sat', { search: 'duong sat' }],
      [
        'investment range',
        'minInvestment=1000000000000&maxInvestment=20000000000000',
        { minInvestment: '1000000000000', maxInvestment: '20000000000000' },
      ],
      [
        'planned completion',
        'plannedCompletionFrom=2026-01-01&plannedCompletionTo=2030-12-31',
        { plannedCompletion: { from: '2026-01-01', to: '2030-12-31' } },
      ],
      ['updated since', 'updatedSince=2000-01-01T00:00:00Z', { updatedSince: '2000-01-01T00:00:00Z' }],
    ];

    it.each(cases)('%s narrows the export as it narrows projects', async (_name, query, filter) => {
      const expected = dataOf(await t.query(PROJECTS_COUNT, { filter })).projects.totalCount;
      const response = await getJson(t, `/oc4ids/projects.json?${query}`);
      if (expected === 0) {
        expect(response.status).toBe(404);
        return;
      }
      expect(response.status).toBe(200);
      expect(response.body.projects).toHaveLength(expected);
      expect(Number(response.total)).toBe(expected);
      expectValidPackage(response.body);
      expect(response.body.uri).toContain(`/oc4ids/projects.json?${query}`);
    });

    it('selects fewer projects than the whole export for most filters', async () => {
      const narrowed = await getJson(t, '/oc4ids/projects.json?sector=TRANSPORT_RAIL');
      expect(narrowed.body.projects.length).toBeGreaterThan(0);
      expect(narrowed.body.projects.length).toBeLessThan(pkg.projects.length);
      expect(narrowed.body.projects.every((p: any) => p.sector.includes('transport.rail'))).toBe(true);
    });

    it('answers a filter that selects nothing with 404 (a package holds at least one project)', async () => {
      const none = await getJson(t, '/oc4ids/projects.json?search=zzzqqqxxx');
      expect(none.status).toBe(404);
      expect(none.body.errors[0].extensions.code).toBe('NOT_FOUND');
    });

    it.each([
      ['an unknown status', 'status=FINISHED', /status.*FINISHED/],
      ['an unknown sector among good ones', 'sector=TRANSPORT_RAIL,SPACE', /sector.*SPACE/],
      ['an unknown parameter', 'colour=red', /Unknown query parameter "colour"/],
      ['an empty value', 'status=', /empty value/],
      ['a malformed decimal', 'minInvestment=lots', /minInvestment/],
      ['a malformed date', 'plannedCompletionFrom=2026-02-30', /plannedCompletionFrom/],
      ['a reversed date range', 'plannedCompletionFrom=2030-01-01&plannedCompletionTo=2020-01-01', /plannedCompletion/],
      ['an instant without a time zone', 'updatedSince=2024-01-01T00:00:00', /updatedSince/],
      ['includeSuccessors that is not a boolean', 'agency=BD.SGTVT&includeSuccessors=yes', /includeSuccessors/],
      ['includeSuccessors without agency', 'includeSuccessors=true', /includeSuccessors/],
      ['a repeated single parameter', 'search=a&search=b', /search/],
      ['more than 100 values', `taskCode=${Array.from({ length: 101 }, (_, i) => `T${i}`).join(',')}`, /taskCode.*100/],
      ['a search too long', `search=${'a'.repeat(201)}`, /search/],
    ])('answers %s with 400 BAD_USER_INPUT', async (_name, query, message) => {
      const response = await getJson(t, `/oc4ids/projects.json?${query}`);
      expect(response.status).toBe(400);
      expect(response.type).toMatch(/^application\/json/);
      expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(response.body.errors[0].message).toMatch(message);
    });
  });
});

describe('OC4IDS export of a 500-project synthetic sample', () => {
  let t: TestApp;
  let pkg: any;

  beforeAll(async () => {
    t = await startTestApp();
    await generateSyntheticPortfolio(t.app.database.db, { projects: 500, seed: 3 });
    // One archived project, which the export leaves out.
    await t.app.database.db.execute(sql`update projects set archived_at = now() where code = 'SYN-PRJ-000007'`);
    const response = await getJson(t, '/oc4ids/projects.json');
    expect(response.status).toBe(200);
    pkg = response.body;
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('holds every non-archived project, each once', async () => {
    const [row] = await queryRows<{ n: number }>(
      t.app.database.db,
      sql`select count(*)::int as n from projects where archived_at is null`,
    );
    expect(pkg.projects).toHaveLength(Number(row.n));
    expect(pkg.projects).toHaveLength(500 + seedProjects.length - 1);
    expect(dataOf(await t.query(PROJECTS_COUNT, {})).projects.totalCount).toBe(pkg.projects.length);
    expect(new Set(pkg.projects.map((p: any) => p.id)).size).toBe(pkg.projects.length);
    expect(pkg.projects.some((p: any) => p.id === `${PREFIX}SYN-PRJ-000007`)).toBe(false);
  });

  it('validates against the official package and project schemas with zero errors', () => {
    expectValidPackage(pkg);
  });

  it('keeps foreign-currency allocations in their currency, and synthetic geometries', () => {
    const currencies = new Set(
      pkg.projects.flatMap((p: any) =>
        (p.budget?.budgetBreakdowns?.[0]?.budgetBreakdown ?? []).map((e: any) => e.amount?.currency).filter(Boolean),
      ),
    );
    expect(currencies.has('VND')).toBe(true);
    expect([...currencies].some((c) => c !== 'VND')).toBe(true);
    expect(pkg.projects.some((p: any) => p.locations?.some((l: any) => l.geometry?.type === 'Point'))).toBe(true);
  });

  it('reads a constant number of statements per batch of 500, never one per project', async () => {
    const counted = async (query: string) => {
      const before = totalStatements();
      const response = await fetch(`${t.url}/oc4ids/projects.json${query}`);
      await response.text();
      return totalStatements() - before;
    };
    // A summary, then per batch: one page of projects and seven statements of related rows.
    expect(await counted('?sector=TRANSPORT_RAIL')).toBeLessThanOrEqual(1 + 8);
    expect(await counted('')).toBeLessThanOrEqual(1 + 8 * Math.ceil(pkg.projects.length / 500));
  });
});

describe('OC4IDS routes: methods and closed reads', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      auth: { ...testConfig().auth, requireAuthForReads: true },
      oc4idsPrefix: 'oc4ids-abc123-',
    });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('needs a token when reads are closed, like /graphql', async () => {
    const anonymous = await fetch(`${t.url}/oc4ids/projects.json`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await fetch(`${t.url}/oc4ids/projects/BD-METRO-1.json`, {
      headers: { authorization: 'Bearer a.b.c' },
    });
    expect(forged.status).toBe(401);
    const token = await signToken(TEST_JWT_SECRET, { sub: 'reader', role: 'viewer' });
    const allowed = await fetch(`${t.url}/oc4ids/projects/BD-METRO-1.json`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(allowed.status).toBe(200);
    expect(validatePackage(await allowed.json())).toEqual([]);
  });

  it('writes ids with the configured prefix, in the HTTP export and in Project.oc4ids alike', async () => {
    const headers = { authorization: `Bearer ${await signToken(TEST_JWT_SECRET, { sub: 'reader', role: 'viewer' })}` };
    const pkg: any = await (await fetch(`${t.url}/oc4ids/projects/BD-METRO-1.json`, { headers })).json();
    expect(pkg.projects[0].id).toBe('oc4ids-abc123-BD-METRO-1');
    expect(pkg.projects[0].relatedProjects.every((r: any) => r.identifier.startsWith('oc4ids-abc123-'))).toBe(true);
    expect(dataOf(await t.query('{ project(code: "BD-METRO-1") { oc4ids } }', {}, headers)).project.oc4ids).toEqual(
      pkg.projects[0],
    );
  });

  it('takes OC4IDS_PREFIX from the environment, a placeholder by default, and refuses a malformed one', () => {
    expect(loadConfig({}).oc4idsPrefix).toBe('oc4ids-xxxxxx-');
    expect(loadConfig({ OC4IDS_PREFIX: 'oc4ids-bu3kcz-' }).oc4idsPrefix).toBe('oc4ids-bu3kcz-');
    expect(() => loadConfig({ OC4IDS_PREFIX: 'oc4ids-bu3kcz' })).toThrow(/OC4IDS_PREFIX must be/);
    expect(() => loadConfig({ OC4IDS_PREFIX: `${'x'.repeat(100)}-` })).toThrow(/OC4IDS_PREFIX must be/);
  });

  it('answers HEAD without a body, other methods with 405, other paths with 404', async () => {
    const headers = { authorization: `Bearer ${await signToken(TEST_JWT_SECRET, { sub: 'reader', role: 'viewer' })}` };
    const head = await fetch(`${t.url}/oc4ids/projects.json`, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number(head.headers.get('x-total-count'))).toBe(seedProjects.length);
    expect(await head.text()).toBe('');
    const post = await fetch(`${t.url}/oc4ids/projects.json`, { method: 'POST', headers });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const other = await fetch(`${t.url}/oc4ids/plans.json`, { headers });
    expect(other.status).toBe(404);
    expect(((await other.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
