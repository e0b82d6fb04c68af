import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { DEFAULT_LIMITS } from '../../src/config';
import { generateSyntheticPortfolio } from '../../seeds/synthetic';
import { dataOf, startTestApp, testConfig, type GraphQLResponse, type TestApp } from '../helpers/test-app';

/**
 * Input is bounded where it is parsed and counted in the cost, so that no filter an anonymous caller may send
 * keeps a statement long, on either database: the widest filters the limits allow are answered well within a
 * short statement timeout over 2,000 projects; one term more is refused before any SQL; nesting a thousand levels
 * deep is refused before anything recursive meets it; codes nothing has are said in `extensions.warnings`.
 */

jest.setTimeout(300_000);

const LIST =
  'query($f: ProjectFilter) { projects(filter: $f, first: 20) { totalCount nodes { code } aggregate { count fundingMix { knownShare } } } }';
const MIX = 'query($f: ProjectFilter) { fundingMix(groupBy: AGENCY, filter: $f) { key projectCount } }';

function expectRefused(response: GraphQLResponse, setting: string, limit: number) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', setting, limit });
  expect(response.statements).toBe(0);
}

/** A filter literal as GraphQL (keys unquoted, enum values bare). */
function literal(value: unknown, enumKeys = new Set(['status', 'sector', 'type'])): string {
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, enumKeys)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${enumKeys.has(k) && Array.isArray(v) ? `[${v.join(', ')}]` : literal(v, enumKeys)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

describe('input bounds', () => {
  let t: TestApp;
  let financiers: string[];
  let agencies: string[];

  beforeAll(async () => {
    // A short statement timeout: the widest filters must answer well within it.
    t = await startTestApp({ operations: { ...testConfig().operations, statementTimeoutMs: 3000 } });
    await generateSyntheticPortfolio(t.app.database.db, { projects: 2000, seed: 11 });
    financiers = (
      await queryRows<{ f: string }>(
        t.app.database.db,
        sql`select distinct financier as f from funding_allocations where financier is not null order by 1 limit 100`,
      )
    ).map((r) => r.f);
    agencies = (
      await queryRows<{ c: string }>(t.app.database.db, sql`select code as c from agencies order by code limit 100`)
    ).map((r) => r.c);
    expect(financiers.length).toBeGreaterThan(20);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const widest: [string, () => Record<string, unknown>][] = [
    [
      'or of 100 branches, each a financier and a search word (200 terms)',
      () => ({
        or: Array.from({ length: 100 }, (_, i) => ({
          financier: [financiers[i % financiers.length]],
          search: ['duong', 'nuoc', 'cau', 'sat'][i % 4],
        })),
      }),
    ],
    [
      '100 financiers and 100 agencies with their successors (200 terms)',
      () => ({
        financier: Array.from(
          { length: 100 },
          (_, i) => financiers[i % financiers.length] + (i >= financiers.length ? ` ${i}` : ''),
        ),
        agency: agencies,
        includeSuccessors: true,
      }),
    ],
    [
      'six 32-word searches, and conditions nested five deep under not, and, or (200 terms)',
      () => ({
        not: {
          and: [
            {
              or: Array.from({ length: 6 }, (_, i) => ({
                search: Array.from({ length: 32 }, (_, w) => `w${i}${w}`).join(' '),
              })),
            },
            { not: { or: [{ not: { status: ['CANCELLED', 'SUSPENDED'] } }] } },
            { sector: ['TRANSPORT_ROAD', 'TRANSPORT_RAIL', 'WATER_AND_WASTE', 'ENERGY_SOLAR', 'HEALTH', 'EDUCATION'] },
          ],
        },
      }),
    ],
  ];

  it.each(widest)(
    'answers the widest filter as a variable and as a literal, within the statement timeout: %s',
    async (_name, build) => {
      const filter = build();
      for (const document of [LIST, MIX]) {
        const started = Date.now();
        const asVariable = await t.query(document, { f: filter });
        expect(asVariable.body.errors).toBeUndefined();
        expect(asVariable.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(3000);
        const inline = document
          .replace('query($f: ProjectFilter) ', '')
          .replace('filter: $f', `filter: ${literal(filter)}`);
        const asLiteral = await t.query(inline);
        expect(asLiteral.body.errors).toBeUndefined();
        expect(asLiteral.body.data).toEqual(asVariable.body.data);
      }
    },
  );

  it('refuses one term over the limit (201) before any SQL, as a variable and as a literal', async () => {
    const filter = {
      financier: Array.from({ length: 100 }, (_, i) => `F${i}`),
      agency: Array.from({ length: 100 }, (_, i) => `A${i}`),
      status: ['PLANNED'],
    };
    expectRefused(await t.query(LIST, { f: filter }), 'MAX_FILTER_TERMS', DEFAULT_LIMITS.maxFilterTerms);
    expectRefused(
      await t.query(`{ projects(filter: ${literal(filter)}) { totalCount } }`),
      'MAX_FILTER_TERMS',
      DEFAULT_LIMITS.maxFilterTerms,
    );
    expectRefused(await t.query(MIX, { f: filter }), 'MAX_FILTER_TERMS', DEFAULT_LIMITS.maxFilterTerms);
    // Nested under a task list too.
    expectRefused(
      await t.query(
        'query($f: ProjectFilter) { plans { nodes { tasks { nodes { projects(filter: $f) { totalCount } } } } } }',
        { f: filter },
      ),
      'MAX_FILTER_TERMS',
      DEFAULT_LIMITS.maxFilterTerms,
    );
  });

  it('refuses 101 values in a list, a sixth level of nesting, 33 search words and 201 characters, before any SQL', async () => {
    expectRefused(
      await t.query(LIST, { f: { taskCode: Array.from({ length: 101 }, (_, i) => `T${i}`) } }),
      'MAX_FILTER_VALUES',
      100,
    );
    let deep: Record<string, unknown> = { status: ['PLANNED'] };
    for (let i = 0; i < 6; i++) deep = { not: deep };
    expectRefused(await t.query(LIST, { f: deep }), 'MAX_FILTER_DEPTH', 5);
    expectRefused(
      await t.query(LIST, { f: { search: Array.from({ length: 33 }, (_, i) => `w${i}`).join(' ') } }),
      'MAX_SEARCH_WORDS',
      32,
    );
    expectRefused(await t.query(LIST, { f: { search: 'x'.repeat(201) } }), 'MAX_SEARCH_LENGTH', 200);
  });

  it('refuses a filter nested 1,000 and 10,000 levels deep, as a variable and as a literal, without a crash', async () => {
    for (const levels of [1000, 10_000]) {
      // Written as text: JSON.stringify itself cannot go that deep.
      const deep = `${'{"not":'.repeat(levels)}{"status":["PLANNED"]}${'}'.repeat(levels)}`;
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"query":${JSON.stringify(LIST)},"variables":{"f":${deep}}}`,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('x-sql-statements')).toBe('0');
      expect(((await response.json()) as any).errors[0].extensions).toMatchObject({
        code: 'BAD_REQUEST',
        setting: 'MAX_JSON_DEPTH',
      });
      const asLiteral = await t.query(
        `{ projects(filter: ${'{ not: '.repeat(levels)}{ status: [PLANNED] }${' }'.repeat(levels)}) { totalCount } }`,
      );
      expect(asLiteral.status).toBe(400);
      expect(['BAD_REQUEST', 'TOKEN_LIMIT_EXCEEDED']).toContain(asLiteral.body.errors![0].extensions!.code);
      expect(asLiteral.statements).toBe(0);
    }
    expect(dataOf(await t.query('{ plans { totalCount } }')).plans.totalCount).toBeGreaterThan(0);
  });

  it('merges an or of one-field branches into one list: the same projects as the list itself', async () => {
    const names = financiers.slice(0, 30);
    const merged = dataOf(await t.query(LIST, { f: { or: names.map((name) => ({ financier: [name] })) } })).projects;
    const listed = dataOf(await t.query(LIST, { f: { financier: names } })).projects;
    expect(merged).toEqual(listed);
    expect(merged.totalCount).toBeGreaterThan(0);
  });

  it('answers codes that nothing has with no match and a warning naming each, for a variable and a literal', async () => {
    const filter = {
      or: [
        { agency: ['BD.NOPE'] },
        { fundingSource: ['oda', 'ODA'] },
        { planCode: ['NO-PLAN'] },
        { taskCode: ['II.4.b.1', 'Z.9'] },
      ],
    };
    for (const response of [
      await t.query(LIST, { f: filter }),
      await t.query(
        `{ projects(filter: ${literal(filter)}, first: 20) { totalCount nodes { code } aggregate { count fundingMix { knownShare } } } }`,
      ),
    ]) {
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      const warnings =
        (response.body as { extensions?: { warnings?: { code: string; argument: string; value: string }[] } })
          .extensions?.warnings ?? [];
      expect(warnings.map((w) => [w.code, w.argument, w.value]).sort()).toEqual(
        [
          ['UNKNOWN_CODE', 'filter.agency', 'BD.NOPE'],
          ['UNKNOWN_CODE', 'filter.fundingSource', 'oda'],
          ['UNKNOWN_CODE', 'filter.planCode', 'NO-PLAN'],
          ['UNKNOWN_CODE', 'filter.taskCode', 'Z.9'],
        ].sort(),
      );
    }
    const mix = await t.query(MIX, { f: { agency: ['BD.NOPE'] } });
    expect(mix.body.data).toEqual({ fundingMix: [] });
    expect((mix.body as any).extensions.warnings).toEqual([
      {
        code: 'UNKNOWN_CODE',
        message: 'No agency has the code "BD.NOPE": the filter\'s "agency" matches no project through it.',
        argument: 'filter.agency',
        value: 'BD.NOPE',
      },
    ]);
    const known = await t.query(LIST, { f: { agency: ['BD.SGTVT'], fundingSource: ['ODA'] } });
    expect((known.body as any).extensions).toBeUndefined();
  });

  it('names unknown codes on the OC4IDS export too', async () => {
    const response = await fetch(`${t.url}/oc4ids/projects.json?agency=BD.NOPE`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).errors[0].message).toMatch(/No record has these codes: agency "BD\.NOPE"/);
    expect(response.headers.get('registry-warning')).toMatch(/^UNKNOWN_CODE /);
  });

  it('takes the full-width ％ and ＿ (which unaccent folds to LIKE wildcards) literally, as it takes % and _', async () => {
    const all = dataOf(await t.query(LIST, { f: null })).projects.totalCount;
    for (const search of ['％', '＿', '%', '_', '\\']) {
      // The projects whose text holds the folded character itself (a description saying "80%", say), not every one.
      const [{ n }] = await queryRows<{ n: number }>(
        t.app.database.db,
        sql`select count(*)::int as n from projects where archived_at is null and strpos(search_text, registry_fold(${search})) > 0`,
      );
      const found = dataOf(await t.query(LIST, { f: { search } })).projects.totalCount;
      expect({ search, found }).toEqual({ search, found: Number(n) });
      expect(found).toBeLessThan(all / 10);
    }
    expect(dataOf(await t.query(LIST, { f: { search: 'duong' } })).projects.totalCount).toBeGreaterThan(0);
  });
});
