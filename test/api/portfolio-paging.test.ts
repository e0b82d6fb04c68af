import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client';
import { generateSyntheticPortfolio } from '../../seeds/synthetic';
import { dataOf, startTestApp, type GraphQLResponse, type TestApp } from '../helpers/test-app';

/**
 * Ordering and cursor paging of project lists over the whole portfolio: every ProjectOrderField both ways,
 * multi-key orderings, relevance, forward and backward walks, cursors that survive inserts, and the limits. The
 * expected order is a JavaScript sort of rows read with plain selects, with the id as the last tie-breaker.
 */

interface Row {
  id: number;
  code: string;
  name: string;
  sector: string;
  status: string;
  /** total_investment_vnd in hundredths of a đồng. */
  total: bigint | null;
  plannedCompletion: string | null;
  statusChangedOn: string | null;
  archived: boolean;
  /** Codes of the plans whose tasks the project serves. */
  planCodes: string[];
  /** Code, names, description and location names, folded: no diacritics, đ → d, lower case. */
  doc: string;
}

const fold = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

function cents(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

async function loadRows(db: Db): Promise<Row[]> {
  const [projects, locations, plans] = await Promise.all([
    queryRows<any>(
      db,
      sql`select id, code, name, name_en, description, sector::text as sector, status::text as status, total_investment_vnd::text as total,
                 planned_completion::text as planned_completion, status_changed_on::text as status_changed_on, archived_at is not null as archived
          from projects`,
    ),
    queryRows<any>(db, sql`select project_id, name, position from project_locations`),
    queryRows<any>(
      db,
      sql`select distinct pt.project_id, pl.code from project_tasks pt join plan_tasks t on t.id = pt.task_id join plans pl on pl.id = t.plan_id`,
    ),
  ]);
  const planCodes = new Map<number, string[]>();
  for (const p of plans) planCodes.set(Number(p.project_id), [...(planCodes.get(Number(p.project_id)) ?? []), p.code]);
  const places = new Map<number, { name: string; position: number }[]>();
  for (const l of locations)
    places.set(Number(l.project_id), [
      ...(places.get(Number(l.project_id)) ?? []),
      { name: l.name, position: Number(l.position) },
    ]);
  return projects.map((p) => {
    const names = (places.get(Number(p.id)) ?? []).sort((a, b) => a.position - b.position).map((l) => l.name);
    const raw = [p.code, p.name, p.name_en, p.description, names.length ? names.join(' ') : null]
      .filter((x) => x !== null)
      .join(' ');
    return {
      id: Number(p.id),
      code: p.code,
      name: p.name,
      sector: p.sector,
      status: p.status,
      total: p.total === null ? null : cents(p.total),
      plannedCompletion: p.planned_completion,
      statusChangedOn: p.status_changed_on,
      archived: p.archived === true,
      planCodes: planCodes.get(Number(p.id)) ?? [],
      doc: fold(raw),
    };
  });
}

type Field = 'CODE' | 'NAME' | 'TOTAL_INVESTMENT' | 'STATUS' | 'PLANNED_COMPLETION' | 'STATUS_CHANGED_AT';
type Direction = 'ASC' | 'DESC';
interface Order {
  field: Field;
  direction: Direction;
}

/** Lifecycle order, as the schema documents it. */
const LIFECYCLE = ['PLANNED', 'PREPARATION', 'APPROVED', 'UNDER_CONSTRUCTION', 'COMPLETED', 'SUSPENDED', 'CANCELLED'];
const FIELDS: Field[] = ['CODE', 'NAME', 'TOTAL_INVESTMENT', 'STATUS', 'PLANNED_COMPLETION', 'STATUS_CHANGED_AT'];

const value = (row: Row, field: Field): string | bigint | number | null =>
  field === 'CODE'
    ? row.code
    : field === 'NAME'
      ? row.name
      : field === 'TOTAL_INVESTMENT'
        ? row.total
        : field === 'STATUS'
          ? LIFECYCLE.indexOf(row.status)
          : field === 'PLANNED_COMPLETION'
            ? row.plannedCompletion
            : row.statusChangedOn;

const compareValues = (a: string | bigint | number, b: string | bigint | number) => (a < b ? -1 : a > b ? 1 : 0);

/** The rows in the order `orderBy` asks for: unknown values last in both directions, then the id ascending. */
function sortRows(rows: Row[], orderBy: Order[]): Row[] {
  return [...rows].sort((x, y) => {
    for (const { field, direction } of orderBy) {
      const a = value(x, field);
      const b = value(y, field);
      if (a === null || b === null) {
        if (a === null && b === null) continue;
        return a === null ? 1 : -1;
      }
      const c = compareValues(a, b);
      if (c !== 0) return direction === 'ASC' ? c : -c;
    }
    return x.id - y.id;
  });
}

/** Relevance as documented: rows holding the whole phrase first, earlier phrase first; then earlier first word. */
function sortByRelevance(rows: Row[], search: string): Row[] {
  const words = search.trim().split(/\s+/).map(fold);
  const phrase = words.join(' ');
  const key = (row: Row) => {
    const at = row.doc.indexOf(phrase);
    return at >= 0 ? [0, at] : [1, row.doc.indexOf(words[0])];
  };
  return [...rows].sort((x, y) => {
    const [a, b] = [key(x), key(y)];
    return a[0] - b[0] || a[1] - b[1] || x.id - y.id;
  });
}

const searchMatches = (row: Row, search: string) =>
  search
    .trim()
    .split(/\s+/)
    .every((w) => row.doc.includes(fold(w)));

const CONNECTION = `totalCount edges { cursor node { code } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const VARS = `$filter: ProjectFilter, $orderBy: [ProjectOrder!], $first: Int, $after: String, $last: Int, $before: String`;
const ARGS = `filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before`;
const QUERY = `query(${VARS}) { projects(${ARGS}) { ${CONNECTION} } }`;
const PLAN_QUERY = `query(${VARS}, $plan: String!) { plan(code: $plan) { projects(${ARGS}) { ${CONNECTION} } } }`;

function expectBadUserInput(response: GraphQLResponse, message: RegExp) {
  expect(response.body.errors?.length).toBeGreaterThan(0);
  const error = response.body.errors![0];
  expect({ code: error.extensions?.code, message: error.message }).toEqual({
    code: 'BAD_USER_INPUT',
    message: expect.stringMatching(message),
  });
  expect(response.body.data ?? null).toBeNull();
}

describe('ordering and cursor paging of projects', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await generateSyntheticPortfolio(t.app.database.db, { projects: 300, seed: 7 });
    // Two road projects with no status history, no total and no planned completion, whose name and status tie
    // with a synthetic project: unknown values of every nullable key, and ties broken by id.
    await queryRows(
      t.app.database.db,
      sql`insert into projects (code, name, sector, type, status)
          select code, (select name from projects where code = 'SYN-PRJ-000001'), 'TRANSPORT_ROAD', 'CONSTRUCTION',
                 (select status from projects where code = 'SYN-PRJ-000001')
          from (values ('ZZ-UNKNOWN-2'), ('ZZ-UNKNOWN-1')) v(code)`,
    );
  });

  afterAll(async () => {
    await t?.stop();
  });

  const rows = async () => (await loadRows(t.app.database.db)).filter((r) => !r.archived);

  /** A page of the root list, or of a plan's list when `plan` is given. */
  async function page(variables: Record<string, unknown>) {
    if (variables.plan) return dataOf(await t.query(PLAN_QUERY, variables)).plan.projects;
    return dataOf(await t.query(QUERY, variables)).projects;
  }

  /** Every code in order, reading forward with pages of `size`; checks totalCount and the page flags at each step. */
  async function walkForward(
    variables: Record<string, unknown>,
    size: number,
    expectedTotal: number,
  ): Promise<string[]> {
    const codes: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 200; i++) {
      const c = await page({ ...variables, first: size, after });
      expect(c.totalCount).toBe(expectedTotal);
      expect(c.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(c.edges.length).toBeLessThanOrEqual(size);
      if (c.edges.length > 0) {
        expect(c.pageInfo.startCursor).toBe(c.edges[0].cursor);
        expect(c.pageInfo.endCursor).toBe(c.edges[c.edges.length - 1].cursor);
      }
      codes.push(...c.edges.map((e: any) => e.node.code));
      if (!c.pageInfo.hasNextPage) {
        expect(codes.length).toBe(expectedTotal);
        return codes;
      }
      expect(c.edges.length).toBe(size);
      after = c.pageInfo.endCursor;
    }
    throw new Error('too many pages');
  }

  /** Every code in order, reading backward from the end with pages of `size`. */
  async function walkBackward(
    variables: Record<string, unknown>,
    size: number,
    expectedTotal: number,
  ): Promise<string[]> {
    const pages: string[][] = [];
    let before: string | null = null;
    for (let i = 0; i < 200; i++) {
      const c = await page({ ...variables, last: size, before });
      expect(c.totalCount).toBe(expectedTotal);
      expect(c.pageInfo.hasNextPage).toBe(i > 0);
      pages.unshift(c.edges.map((e: any) => e.node.code));
      if (!c.pageInfo.hasPreviousPage) {
        const codes = pages.flat();
        expect(codes.length).toBe(expectedTotal);
        return codes;
      }
      expect(c.edges.length).toBe(size);
      before = c.pageInfo.startCursor;
    }
    throw new Error('too many pages');
  }

  describe('by each field, both ways, over the whole portfolio', () => {
    const cases = FIELDS.flatMap((field) =>
      (['ASC', 'DESC'] as Direction[]).map((direction) => [field, direction] as const),
    );

    it.each(cases)(
      '%s %s matches a JavaScript sort with the id breaking ties and unknown values last',
      async (field, direction) => {
        const all = await rows();
        const expected = sortRows(all, [{ field, direction }]).map((r) => r.code);
        expect(await walkForward({ orderBy: [{ field, direction }] }, 100, all.length)).toEqual(expected);
      },
    );

    it.each(['TOTAL_INVESTMENT', 'PLANNED_COMPLETION', 'STATUS_CHANGED_AT'] as Field[])(
      'puts unknown %s last in both directions',
      async (field) => {
        const all = await rows();
        const unknown = all.filter((r) => value(r, field) === null).map((r) => r.code);
        expect(unknown.length).toBeGreaterThanOrEqual(2);
        for (const direction of ['ASC', 'DESC'] as Direction[]) {
          const codes = await walkForward({ orderBy: [{ field, direction }] }, 100, all.length);
          expect(new Set(codes.slice(codes.length - unknown.length))).toEqual(new Set(unknown));
        }
      },
    );

    it('orders STATUS by lifecycle, not alphabetically', async () => {
      const codes = await walkForward({ orderBy: [{ field: 'STATUS', direction: 'ASC' }] }, 100, (await rows()).length);
      const byCode = new Map((await rows()).map((r) => [r.code, r.status]));
      const statuses = [...new Set(codes.map((c) => byCode.get(c)!))];
      expect(statuses).toEqual(LIFECYCLE);
    });

    it('orders by code by default', async () => {
      const all = await rows();
      expect(await walkForward({}, 100, all.length)).toEqual(
        sortRows(all, [{ field: 'CODE', direction: 'ASC' }]).map((r) => r.code),
      );
    });
  });

  describe('multi-key orderings', () => {
    const orderings: Order[][] = [
      [
        { field: 'STATUS', direction: 'ASC' },
        { field: 'TOTAL_INVESTMENT', direction: 'DESC' },
      ],
      [
        { field: 'STATUS', direction: 'DESC' },
        { field: 'PLANNED_COMPLETION', direction: 'ASC' },
      ],
      [
        { field: 'STATUS', direction: 'ASC' },
        { field: 'PLANNED_COMPLETION', direction: 'DESC' },
      ],
      [
        { field: 'NAME', direction: 'ASC' },
        { field: 'STATUS_CHANGED_AT', direction: 'DESC' },
      ],
      [
        { field: 'PLANNED_COMPLETION', direction: 'DESC' },
        { field: 'NAME', direction: 'DESC' },
      ],
      [
        { field: 'STATUS_CHANGED_AT', direction: 'ASC' },
        { field: 'STATUS', direction: 'DESC' },
        { field: 'TOTAL_INVESTMENT', direction: 'ASC' },
        { field: 'PLANNED_COMPLETION', direction: 'ASC' },
        { field: 'NAME', direction: 'DESC' },
        { field: 'CODE', direction: 'DESC' },
      ],
    ];

    it.each(orderings.map((o) => [o.map((k) => `${k.field} ${k.direction}`).join(', '), o] as const))(
      '%s matches a JavaScript sort',
      async (_, orderBy) => {
        const all = await rows();
        expect(await walkForward({ orderBy }, 100, all.length)).toEqual(sortRows(all, orderBy).map((r) => r.code));
      },
    );
  });

  describe('walking every page of a filtered list', () => {
    const filter = { sector: ['TRANSPORT_ROAD', 'WATER_AND_WASTE', 'TRANSPORT_URBAN'] };
    const selected = (r: Row) => filter.sector.includes(r.sector);
    const orderings: Order[][] = [
      [{ field: 'TOTAL_INVESTMENT', direction: 'DESC' }],
      [{ field: 'PLANNED_COMPLETION', direction: 'ASC' }],
      [
        { field: 'STATUS', direction: 'ASC' },
        { field: 'STATUS_CHANGED_AT', direction: 'DESC' },
      ],
      [{ field: 'NAME', direction: 'DESC' }],
      [
        { field: 'STATUS', direction: 'DESC' },
        { field: 'TOTAL_INVESTMENT', direction: 'ASC' },
        { field: 'PLANNED_COMPLETION', direction: 'DESC' },
      ],
    ];

    it.each(orderings.map((o) => [o.map((k) => `${k.field} ${k.direction}`).join(', '), o] as const))(
      '%s: forwards by 7 and backwards by 7 both give the unpaged order, with no skip and no repeat',
      async (_, orderBy) => {
        const all = (await rows()).filter(selected);
        const expected = sortRows(all, orderBy).map((r) => r.code);
        expect(expected.length).toBeGreaterThan(50);
        const unpaged = await walkForward({ filter, orderBy }, 100, all.length);
        expect(unpaged).toEqual(expected);
        expect(await walkForward({ filter, orderBy }, 7, all.length)).toEqual(expected);
        expect(await walkBackward({ filter, orderBy }, 7, all.length)).toEqual(expected);
      },
    );

    it.each(['loc ninh', 'duong sat', 'Thủ Dầu Một'])(
      'relevance for %j: forwards and backwards by 7 give the relevance order',
      async (search) => {
        const all = (await rows()).filter((r) => searchMatches(r, search));
        const expected = sortByRelevance(all, search).map((r) => r.code);
        expect(expected.length).toBeGreaterThan(14);
        expect(all.some((r) => r.doc.includes(fold(search)))).toBe(true);
        expect(await walkForward({ filter: { search } }, 100, all.length)).toEqual(expected);
        expect(await walkForward({ filter: { search } }, 7, all.length)).toEqual(expected);
        expect(await walkBackward({ filter: { search } }, 7, all.length)).toEqual(expected);
      },
    );

    it('relevance with a filter: the phrase-holding projects come first, and the walk is complete', async () => {
      const search = 'lộc ninh';
      const filter2 = { search, status: ['UNDER_CONSTRUCTION', 'COMPLETED', 'PREPARATION'] };
      const all = (await rows()).filter((r) => searchMatches(r, search) && filter2.status.includes(r.status));
      const expected = sortByRelevance(all, search).map((r) => r.code);
      const holding = all.filter((r) => r.doc.includes(fold(search))).length;
      expect(holding).toBeGreaterThan(0);
      expect(
        expected.slice(0, holding).every((code) => all.find((r) => r.code === code)!.doc.includes(fold(search))),
      ).toBe(true);
      expect(await walkForward({ filter: filter2 }, 7, all.length)).toEqual(expected);
      expect(await walkBackward({ filter: filter2 }, 7, all.length)).toEqual(expected);
    });
  });

  describe("walking every page of a plan's list (paged per parent)", () => {
    const plan = 'SYN-PLAN-001';
    const orderings: Order[][] = [
      [{ field: 'TOTAL_INVESTMENT', direction: 'ASC' }],
      [
        { field: 'PLANNED_COMPLETION', direction: 'DESC' },
        { field: 'NAME', direction: 'ASC' },
      ],
      [
        { field: 'STATUS', direction: 'DESC' },
        { field: 'STATUS_CHANGED_AT', direction: 'ASC' },
      ],
    ];

    it.each(orderings.map((o) => [o.map((k) => `${k.field} ${k.direction}`).join(', '), o] as const))(
      "%s: forwards and backwards by 7 give the unpaged order of the plan's projects",
      async (_, orderBy) => {
        const all = (await rows()).filter((r) => r.planCodes.includes(plan));
        const expected = sortRows(all, orderBy).map((r) => r.code);
        expect(expected.length).toBeGreaterThan(50);
        expect(await walkForward({ plan, orderBy }, 100, all.length)).toEqual(expected);
        expect(await walkForward({ plan, orderBy }, 7, all.length)).toEqual(expected);
        expect(await walkBackward({ plan, orderBy }, 7, all.length)).toEqual(expected);
      },
    );

    it('relevance for "loc ninh" with a filter: forwards and backwards by 7 give the relevance order of the plan\'s projects', async () => {
      const filter = {
        search: 'loc ninh',
        sector: ['TRANSPORT_ROAD', 'WATER_AND_WASTE', 'TRANSPORT_URBAN', 'TRANSPORT_RAIL'],
      };
      const all = (await rows()).filter(
        (r) => r.planCodes.includes(plan) && searchMatches(r, filter.search) && filter.sector.includes(r.sector),
      );
      const expected = sortByRelevance(all, filter.search).map((r) => r.code);
      expect(expected.length).toBeGreaterThan(14);
      expect(await walkForward({ plan, filter }, 7, all.length)).toEqual(expected);
      expect(await walkBackward({ plan, filter }, 7, all.length)).toEqual(expected);
    });
  });

  describe('page sizes and limits', () => {
    it('gives 20 projects when neither first nor last is given', async () => {
      const all = await rows();
      const c = await page({});
      expect(c.edges.map((e: any) => e.node.code)).toEqual(
        sortRows(all, [{ field: 'CODE', direction: 'ASC' }])
          .slice(0, 20)
          .map((r) => r.code),
      );
      expect(c.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(c.totalCount).toBe(all.length);
    });

    it('refuses first: 101 and last: 101, naming the maximum of 100', async () => {
      expectBadUserInput(await t.query(QUERY, { first: 101 }), /100/);
      expectBadUserInput(await t.query(QUERY, { last: 101 }), /100/);
      expect((await page({ first: 100 })).edges).toHaveLength(100);
      expect((await page({ last: 100 })).edges).toHaveLength(100);
    });

    it('refuses an orderBy of 7 keys', async () => {
      const seven = [...FIELDS, 'CODE'].map((field) => ({ field, direction: 'ASC' }));
      expectBadUserInput(await t.query(QUERY, { orderBy: seven }), /7 keys.*6/);
    });

    it('refuses an orderBy naming a field twice', async () => {
      const twice = [
        { field: 'STATUS', direction: 'ASC' },
        { field: 'NAME', direction: 'ASC' },
        { field: 'STATUS', direction: 'DESC' },
      ];
      expectBadUserInput(await t.query(QUERY, { orderBy: twice }), /twice/);
    });
  });

  describe('cursors', () => {
    it('refuses a cursor of one ordering used with another ordering', async () => {
      const byStatus = [
        { field: 'STATUS', direction: 'ASC' },
        { field: 'TOTAL_INVESTMENT', direction: 'DESC' },
      ];
      const cursor = (await page({ orderBy: byStatus, first: 5 })).pageInfo.endCursor;
      for (const orderBy of [
        [{ field: 'STATUS', direction: 'ASC' }],
        [
          { field: 'STATUS', direction: 'ASC' },
          { field: 'TOTAL_INVESTMENT', direction: 'ASC' },
        ],
        [{ field: 'NAME', direction: 'ASC' }],
        null,
      ]) {
        expectBadUserInput(await t.query(QUERY, { orderBy, first: 5, after: cursor }), /cursor/);
      }
      const codeCursor = (await page({ first: 5 })).pageInfo.endCursor;
      expectBadUserInput(
        await t.query(QUERY, { orderBy: [{ field: 'CODE', direction: 'DESC' }], first: 5, after: codeCursor }),
        /cursor/,
      );
      expectBadUserInput(
        await t.query(QUERY, { orderBy: [{ field: 'CODE', direction: 'DESC' }], last: 5, before: codeCursor }),
        /cursor/,
      );
    });

    it('refuses a relevance cursor of one search used with another search, or with an explicit ordering', async () => {
      const cursor = (await page({ filter: { search: 'loc ninh' }, first: 5 })).pageInfo.endCursor;
      expect((await page({ filter: { search: 'loc ninh' }, first: 5, after: cursor })).edges).toHaveLength(5);
      expectBadUserInput(await t.query(QUERY, { filter: { search: 'duong sat' }, first: 5, after: cursor }), /cursor/);
      expectBadUserInput(await t.query(QUERY, { filter: { search: 'loc' }, first: 5, after: cursor }), /cursor/);
      expectBadUserInput(
        await t.query(QUERY, {
          filter: { search: 'loc ninh' },
          orderBy: [{ field: 'CODE', direction: 'ASC' }],
          first: 5,
          after: cursor,
        }),
        /cursor/,
      );
      expectBadUserInput(await t.query(QUERY, { first: 5, after: cursor }), /cursor/);
    });

    it('stay valid while rows are inserted: the walk continues with no repeat and no skip', async () => {
      const orderings: (Order[] | null)[] = [
        null,
        [{ field: 'NAME', direction: 'ASC' }],
        [{ field: 'TOTAL_INVESTMENT', direction: 'DESC' }],
      ];
      const before = await rows();
      const started = await Promise.all(orderings.map((orderBy) => page({ orderBy, first: 7 })));
      // A project that sorts first in every one of these orderings, inserted between two pages.
      await queryRows(
        t.app.database.db,
        sql`insert into projects (code, name, sector, type, status, total_investment_amount, total_investment_currency, total_investment_vnd)
            values ('AAA-NEW', 'AAA new project', 'TRANSPORT_ROAD', 'CONSTRUCTION', 'PLANNED', 999999999999999, 'VND', 999999999999999)`,
      );
      const after = await rows();
      expect(after.length).toBe(before.length + 1);
      for (const [i, orderBy] of orderings.entries()) {
        const expected = sortRows(before, orderBy ?? [{ field: 'CODE', direction: 'ASC' }]).map((r) => r.code);
        expect(sortRows(after, orderBy ?? [{ field: 'CODE', direction: 'ASC' }])[0].code).toBe('AAA-NEW');
        const codes = started[i].edges.map((e: any) => e.node.code);
        let cursor = started[i].pageInfo.endCursor;
        for (let n = 0; n < 50; n++) {
          const c = await page({ orderBy, first: 7, after: cursor });
          expect(c.totalCount).toBe(after.length);
          codes.push(...c.edges.map((e: any) => e.node.code));
          if (!c.pageInfo.hasNextPage) break;
          cursor = c.pageInfo.endCursor;
        }
        expect(codes).toEqual(expected);
        // Reading back from where the walk began now meets the new project.
        const back = await page({ orderBy, last: 7, before: started[i].edges[0].cursor });
        expect(back.edges.map((e: any) => e.node.code)).toEqual(['AAA-NEW']);
        expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
        const fresh = await page({ orderBy, first: 1 });
        expect(fresh.edges.map((e: any) => e.node.code)).toEqual(['AAA-NEW']);
      }
    });
  });
});
