import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataOf, startTestApp, type GraphQLResponse, type TestApp } from '../helpers/test-app';

/** Global object identification (`node`, `nodes`), cursor pagination of every connection, and HTTP-level errors. */

const repoRoot = path.resolve(__dirname, '../..');
const readJson = (file: string): any =>
  JSON.parse(readFileSync(path.join(repoRoot, 'seeds/data', file), 'utf8').normalize('NFC'));

const seedPlan = readJson('plan-6408-KH-UBND.json');
const seedProjects: any[] = readJson('projects.json');
const seedAgencies: any[] = readJson('agencies.json');
const seedDocuments: any[] = readJson('legal-documents.json');

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const taskCodes: string[] = [];
(function walk(sections: any[]) {
  for (const s of sections) {
    (s.tasks ?? []).forEach((_: unknown, i: number) => taskCodes.push(`${s.number}.${i + 1}`));
    walk(s.children ?? []);
  }
})(seedPlan.sections);

/** What no error response may ever reveal: stack traces, SQL, table names. */
const LEAKS = [
  'stacktrace',
  'select ',
  'from "',
  'plan_tasks',
  'plan_sections',
  'plan_legal_bases',
  'section_assignments',
  'task_assignments',
  'project_tasks',
  'project_status_changes',
  'funding_allocations',
  'source_references',
  'agency_successions',
  'drizzle',
  'node_modules',
];

function expectNoLeak(text: string) {
  const lower = text.toLowerCase();
  for (const leak of LEAKS) expect({ leak, found: lower.includes(leak.toLowerCase()) }).toEqual({ leak, found: false });
}

/** The response is an error with `code`; its message matches `message` when given; it leaks nothing. */
function expectError(response: GraphQLResponse, code: string, message?: RegExp) {
  expect(response.body.errors?.length).toBeGreaterThan(0);
  const error = response.body.errors![0];
  expect(error.extensions?.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  expectNoLeak(JSON.stringify(response.body));
}

const connectionOf = (node: string) =>
  `totalCount edges { cursor node { ${node} } } nodes { ${node} } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const CONNECTION = connectionOf('code');
const ARGS = `first: $first, after: $after, last: $last, before: $before`;
const VARS = `$first: Int, $after: String, $last: Int, $before: String`;

interface ListSpec {
  name: string;
  query: string;
  pick(data: any): any;
  expected: string[];
  /** The key of a node as `expected` lists it (its code unless said otherwise). */
  keyOf?(node: any): string;
}

const keyOf = (list: ListSpec, node: any): string => (list.keyOf ? list.keyOf(node) : node.code);

/** BD.SXD's assignments in plan document order, as the plan text makes them. */
const SXD_ASSIGNMENTS = ['II.3.a.1', 'II.3.a.2', 'II.3.a.3', 'II.4.c.1', 'II.4.c.2', 'II.4.d.1', 'II.4.d.2'];

const LISTS: ListSpec[] = [
  {
    name: 'projects',
    query: `query(${VARS}) { c: projects(${ARGS}) { ${CONNECTION} } }`,
    pick: (data) => data.c,
    expected: seedProjects.map((p) => p.code as string).sort(byteOrder),
  },
  {
    name: 'agencies',
    query: `query(${VARS}) { c: agencies(${ARGS}) { ${CONNECTION} } }`,
    pick: (data) => data.c,
    expected: seedAgencies.map((a) => a.code as string).sort(byteOrder),
  },
  {
    name: 'plans',
    query: `query(${VARS}) { c: plans(${ARGS}) { ${CONNECTION} } }`,
    pick: (data) => data.c,
    expected: [seedPlan.code],
  },
  {
    name: 'plan.tasks',
    query: `query(${VARS}) { plan(code: "6408/KH-UBND") { c: tasks(${ARGS}) { ${CONNECTION} } } }`,
    pick: (data) => data.plan.c,
    expected: taskCodes,
  },
  {
    name: 'task.projects',
    query: `query(${VARS}) { plan(code: "6408/KH-UBND") { task(code: "II.4.b.1") { c: projects(${ARGS}) { ${CONNECTION} } } } }`,
    pick: (data) => data.plan.task.c,
    expected: seedProjects
      .filter((p) => p.taskCodes.includes('II.4.b.1'))
      .map((p) => p.code as string)
      .sort(byteOrder),
  },
  {
    name: 'plan.projects',
    query: `query(${VARS}) { plan(code: "6408/KH-UBND") { c: projects(${ARGS}) { ${CONNECTION} } } }`,
    pick: (data) => data.plan.c,
    expected: seedProjects
      .filter((p) => p.taskCodes.length > 0)
      .map((p) => p.code as string)
      .sort(byteOrder),
  },
  {
    name: 'agency.projects',
    query: `query(${VARS}) { agency(code: "BD.UBND") { c: projects(${ARGS}) { ${CONNECTION} } } }`,
    pick: (data) => data.agency.c,
    expected: seedProjects
      .filter((p) => p.ownerAgencyCode === 'BD.UBND')
      .map((p) => p.code as string)
      .sort(byteOrder),
  },
  {
    name: 'agency.assignments',
    query: `query(${VARS}) { agency(code: "BD.SXD") { c: assignments(${ARGS}) { ${connectionOf('task { code }')} } } }`,
    pick: (data) => data.agency.c,
    expected: SXD_ASSIGNMENTS,
    keyOf: (node) => node.task.code,
  },
];

describe('node(id:) and nodes(ids:)', () => {
  let t: TestApp;
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    const data = dataOf(
      await t.query(`{
        plan(code: "6408/KH-UBND") {
          id
          section(number: "II.4.đ") { id }
          task(code: "II.4.b.2") { id }
          legalBasis { document { id code } }
        }
        agency(code: "BD.SGTVT") { id }
        project(code: "BD-METRO-1") {
          id
          statusHistory { id status effectiveOn }
          funding { id source { code } amount { amount currency } }
          sources { id url quote }
        }
      }`),
    );
    ids = {
      Plan: data.plan.id,
      PlanSection: data.plan.section.id,
      PlanTask: data.plan.task.id,
      Agency: data.agency.id,
      Project: data.project.id,
      ProjectStatusChange: data.project.statusHistory[1].id,
      LegalDocument: data.plan.legalBasis.find((b: any) => b.document.code === '693/QĐ-TTg').document.id,
      FundingAllocation: data.project.funding[1].id,
      SourceReference: data.project.sources[0].id,
    };
  });

  afterAll(async () => {
    await t?.stop();
  });

  const NODE_QUERY = `query($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Plan { code }
      ... on PlanSection { number }
      ... on PlanTask { code }
      ... on Agency { code }
      ... on Project { code }
      ... on ProjectStatusChange { status effectiveOn }
      ... on LegalDocument { code issuedOn }
      ... on FundingAllocation { source { code } amount { amount currency } }
      ... on SourceReference { url quote }
    }
  }`;

  const metro = seedProjects.find((p) => p.code === 'BD-METRO-1');
  /** What each node must be, from the seed files. */
  const expectedNodes: Record<string, Record<string, unknown>> = {
    Plan: { code: '6408/KH-UBND' },
    PlanSection: { number: 'II.4.đ' },
    PlanTask: { code: 'II.4.b.2' },
    Agency: { code: 'BD.SGTVT' },
    Project: { code: 'BD-METRO-1' },
    ProjectStatusChange: { status: metro.statusHistory[1].status, effectiveOn: metro.statusHistory[1].effectiveOn },
    LegalDocument: { code: '693/QĐ-TTg', issuedOn: seedDocuments.find((d) => d.code === '693/QĐ-TTg').issuedOn },
    FundingAllocation: {
      source: { code: metro.funding[1].sourceCode },
      amount: { amount: metro.funding[1].amount, currency: metro.funding[1].currency },
    },
    SourceReference: { url: metro.sources[0].url ?? null, quote: metro.sources[0].quote ?? null },
  };

  it.each(Object.keys(expectedNodes))('resolves the ID of a %s to that object with node(id:)', async (type) => {
    const node = dataOf(await t.query(NODE_QUERY, { id: ids[type] })).node;
    expect(node).toEqual({ __typename: type, id: ids[type], ...expectedNodes[type] });
  });

  it('gives nine distinct IDs to the nine node types', () => {
    expect(new Set(Object.values(ids)).size).toBe(9);
  });

  it('resolves nodes(ids:) in the order given, with null for an unknown or malformed ID', async () => {
    // A well-formed ID naming no row: the project's ID with a database id no row has.
    const decoded = Buffer.from(ids.Project, 'base64url').toString('utf8');
    expect(decoded).toMatch(/^Project:\d+$/);
    const unknown = Buffer.from('Project:987654', 'utf8').toString('base64url');
    const response = await t.query(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Agency { code } ... on Project { code } ... on PlanTask { code } } }`,
      { ids: [ids.Project, unknown, ids.Agency, 'garbage', ids.PlanTask, '%%%', ids.Project] },
    );
    expect(dataOf(response).nodes).toEqual([
      { __typename: 'Project', id: ids.Project, code: 'BD-METRO-1' },
      null,
      { __typename: 'Agency', id: ids.Agency, code: 'BD.SGTVT' },
      null,
      { __typename: 'PlanTask', id: ids.PlanTask, code: 'II.4.b.2' },
      null,
      { __typename: 'Project', id: ids.Project, code: 'BD-METRO-1' },
    ]);
  });

  it.each([
    'garbage',
    '',
    '%%%',
    Buffer.from('Project:abc').toString('base64url'),
    Buffer.from('Nope:1').toString('base64url'),
  ])('answers node(id: %j) with null and no error', async (id) => {
    const response = await t.query(`query($id: ID!) { node(id: $id) { id } }`, { id });
    expect(response.body.errors).toBeUndefined();
    expect(dataOf(response)).toEqual({ node: null });
  });
});

describe('cursor pagination', () => {
  let t: TestApp;
  const page = async (list: ListSpec, args: Record<string, unknown>) =>
    list.pick(dataOf(await t.query(list.query, args)));
  const keysOf = (list: ListSpec, connection: any) => connection.edges.map((e: any) => keyOf(list, e.node));

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.stop();
  });

  describe.each(LISTS.map((list) => [list.name, list] as const))('%s', (_name, list) => {
    it('lists the whole set unpaged with first: 100, in its order', async () => {
      const all = await page(list, { first: 100 });
      expect(keysOf(list, all)).toEqual(list.expected);
      expect(all.nodes.map((n: any) => keyOf(list, n))).toEqual(list.expected);
      expect(all.totalCount).toBe(list.expected.length);
      expect(all.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    });

    it('gives an empty page for first: 0, with hasNextPage saying more rows exist', async () => {
      const empty = await page(list, { first: 0 });
      expect(empty.edges).toEqual([]);
      expect(empty.nodes).toEqual([]);
      expect(empty.pageInfo.hasNextPage).toBe(list.expected.length > 0);
      expect(empty.totalCount).toBe(list.expected.length);
    });

    it('walks forward with first: 3 and after, matching the unpaged list with no skip or repeat', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 50; i++) {
        const current: any = await page(list, { first: 3, after });
        const codes = keysOf(list, current);
        expect(current.nodes.map((n: any) => keyOf(list, n))).toEqual(codes);
        expect(current.totalCount).toBe(list.expected.length);
        expect(current.pageInfo.startCursor).toBe(current.edges[0]?.cursor ?? null);
        expect(current.pageInfo.endCursor).toBe(current.edges[current.edges.length - 1]?.cursor ?? null);
        if (after === null) expect(current.pageInfo.hasPreviousPage).toBe(false);
        seen.push(...codes);
        if (!current.pageInfo.hasNextPage) {
          expect(codes.length).toBeGreaterThan(0);
          expect(codes.length).toBeLessThanOrEqual(3);
          break;
        }
        expect(codes).toHaveLength(3);
        after = current.pageInfo.endCursor;
      }
      expect(seen).toEqual(list.expected);
    });

    it('walks backward with last: 3 and before, matching the unpaged list with no skip or repeat', async () => {
      const seen: string[] = [];
      let before: string | null = null;
      for (let i = 0; i < 50; i++) {
        const current: any = await page(list, { last: 3, before });
        const codes = keysOf(list, current);
        expect(current.totalCount).toBe(list.expected.length);
        expect(current.pageInfo.startCursor).toBe(current.edges[0]?.cursor ?? null);
        expect(current.pageInfo.endCursor).toBe(current.edges[current.edges.length - 1]?.cursor ?? null);
        if (before === null) expect(current.pageInfo.hasNextPage).toBe(false);
        seen.unshift(...codes);
        if (!current.pageInfo.hasPreviousPage) {
          expect(codes.length).toBeGreaterThan(0);
          expect(codes.length).toBeLessThanOrEqual(3);
          break;
        }
        expect(codes).toHaveLength(3);
        before = current.pageInfo.startCursor;
      }
      expect(seen).toEqual(list.expected);
    });

    it('says hasNextPage false on a page that ends exactly at the last row', async () => {
      const n = list.expected.length;
      const whole = await page(list, { first: n });
      expect(keysOf(list, whole)).toEqual(list.expected);
      expect(whole.pageInfo.hasNextPage).toBe(false);
      if (n >= 2) {
        const start = await page(list, { first: n - 1 });
        expect(start.pageInfo.hasNextPage).toBe(true);
        const rest = await page(list, { first: 1, after: start.pageInfo.endCursor });
        expect(keysOf(list, rest)).toEqual([list.expected[n - 1]]);
        expect(rest.pageInfo.hasNextPage).toBe(false);
        const nothing = await page(list, { first: 3, after: rest.pageInfo.endCursor });
        expect(nothing.edges).toEqual([]);
        expect(nothing.pageInfo.hasNextPage).toBe(false);
        expect(nothing.totalCount).toBe(n);
      }
    });

    it.each([
      ['first: 101', { first: 101 }],
      ['last: 101', { last: 101 }],
    ])('refuses %s with BAD_USER_INPUT naming the maximum 100', async (_label, args) => {
      expectError(await t.query(list.query, args), 'BAD_USER_INPUT', /\b100\b/);
    });

    it.each([
      ['first: -1', { first: -1 }],
      ['last: -1', { last: -1 }],
      ['first and last together', { first: 2, last: 2 }],
      ['a malformed cursor "%%%"', { first: 2, after: '%%%' }],
      ['a malformed cursor "abc"', { first: 2, after: 'abc' }],
      ['a malformed before cursor "%%%"', { last: 2, before: '%%%' }],
      ['"before" with "first"', { first: 2, before: 'abc' }],
      ['"after" with "last"', { last: 2, after: 'abc' }],
    ])('refuses %s with BAD_USER_INPUT', async (_label, args) => {
      expectError(await t.query(list.query, args), 'BAD_USER_INPUT');
    });
  });

  it('refuses a cursor of agencies used on projects: it belongs to another list', async () => {
    const agencies = await page(LISTS[1], { first: 2 });
    const response = await t.query(LISTS[0].query, { first: 2, after: agencies.pageInfo.endCursor });
    expectError(response, 'BAD_USER_INPUT', /another list/);
  });

  it('refuses a cursor of plan.tasks used on projects: it belongs to another list', async () => {
    const tasks = await page(LISTS[3], { first: 2 });
    const response = await t.query(LISTS[0].query, { first: 2, after: tasks.pageInfo.endCursor });
    expectError(response, 'BAD_USER_INPUT', /another list/);
    const backward = await t.query(LISTS[0].query, { last: 2, before: tasks.pageInfo.startCursor });
    expectError(backward, 'BAD_USER_INPUT', /another list/);
  });

  it('refuses, between lists of different types, every cursor of one used on another', async () => {
    const byType = ['projects', 'agencies', 'plans', 'plan.tasks', 'agency.assignments'].map((name) =>
      LISTS.find((l) => l.name === name)!,
    );
    const cursors = new Map<string, string>();
    for (const list of byType) cursors.set(list.name, (await page(list, { first: 1 })).pageInfo.endCursor);
    for (const from of byType) {
      for (const to of byType) {
        if (from === to) continue;
        const response = await t.query(to.query, { first: 2, after: cursors.get(from.name) });
        expect({ from: from.name, to: to.name, code: response.body.errors?.[0]?.extensions?.code }).toEqual({
          from: from.name,
          to: to.name,
          code: 'BAD_USER_INPUT',
        });
        expectError(response, 'BAD_USER_INPUT', /another list/);
      }
    }
  });

  /**
   * A cursor is opaque, but a client can send any string. These take a real cursor and change one value inside it
   * (the cursor is base64url JSON `[tag, ...keys]`) to one that passes for its type but PostgreSQL cannot cast.
   */
  const tamper = (cursor: string, change: (values: unknown[]) => unknown[]) => {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    expect(Array.isArray(decoded)).toBe(true);
    return Buffer.from(JSON.stringify(change(decoded)), 'utf8').toString('base64url');
  };

  it('refuses a tampered cursor whose last integer key is beyond the integer range with BAD_USER_INPUT, not an internal error', async () => {
    const failures: string[] = [];
    for (const list of LISTS) {
      const cursor = (await page(list, { first: 1 })).pageInfo.endCursor;
      const forged = tamper(cursor, (values) => {
        const last = values[values.length - 1];
        expect(typeof last).toBe('number');
        return [...values.slice(0, -1), 2147483648];
      });
      const response = await t.query(list.query, { first: 2, after: forged });
      expectNoLeak(JSON.stringify(response.body));
      const code = response.body.errors?.[0]?.extensions?.code ?? 'no error';
      if (code !== 'BAD_USER_INPUT') failures.push(`${list.name}: ${code}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses a tampered projects cursor holding a NUL character with BAD_USER_INPUT, not an internal error', async () => {
    const cursor = (await page(LISTS[0], { first: 1 })).pageInfo.endCursor;
    const forged = tamper(cursor, ([tag, code, ...rest]) => [tag, `${code}\u0000`, ...rest]);
    const response = await t.query(LISTS[0].query, { first: 2, after: forged });
    expectError(response, 'BAD_USER_INPUT');
  });

  it('refuses a tampered plans cursor holding 30 February with BAD_USER_INPUT, not an internal error', async () => {
    const cursor = (await page(LISTS[2], { first: 1 })).pageInfo.endCursor;
    const forged = tamper(cursor, ([tag, issuedOn, ...rest]) => {
      expect(issuedOn).toBe('2024-11-12');
      return [tag, '2024-02-30', ...rest];
    });
    const response = await t.query(LISTS[2].query, { first: 2, after: forged });
    expectError(response, 'BAD_USER_INPUT');
  });

  it('counts the whole set in totalCount whatever the page', async () => {
    for (const list of LISTS) {
      for (const args of [{ first: 1 }, { last: 1 }, { first: 0 }, { first: 100 }]) {
        const connection = await page(list, args);
        expect({ list: list.name, args, totalCount: connection.totalCount }).toEqual({
          list: list.name,
          args,
          totalCount: list.expected.length,
        });
      }
    }
  });
});

describe('HTTP requests', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.stop();
  });

  const getQuery = (headers: Record<string, string> = {}) =>
    fetch(`${t.url}/graphql?query=${encodeURIComponent('{plans{totalCount}}')}`, { method: 'GET', headers });

  it('answers a GET query with the apollo-require-preflight header with 200 and the data', async () => {
    const response = await getQuery({ 'apollo-require-preflight': 'true' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { plans: { totalCount: 1 } } });
  });

  it('refuses a GET query without a preflight header with 400 (CSRF prevention)', async () => {
    const response = await getQuery();
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toContain('totalCount');
    expectNoLeak(text);
  });

  it('answers a POST with invalid JSON with 400 and BAD_REQUEST', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ plans { totalCount } }"',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expectNoLeak(text);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers a syntax error with 400 and GRAPHQL_PARSE_FAILED', async () => {
    const response = await t.query('{ plans { totalCount ');
    expect(response.status).toBe(400);
    expectError(response, 'GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with 400 and GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await t.query('{ plans { totalCount nope } }');
    expect(response.status).toBe(400);
    expectError(response, 'GRAPHQL_VALIDATION_FAILED', /nope/);
  });

  it('leaks no stack trace, SQL or table name in any error response', async () => {
    const responses = await Promise.all([
      t.query('{ plans(first: 101) { totalCount } }'),
      t.query('{ projects(after: "abc") { totalCount edges { cursor } } }'),
      t.query('{ plan(code: "6408/KH-UBND") { tasks(first: -1) { totalCount nodes { code } } } }'),
      t.query('{ plan(code: "6408/KH-UBND") { task(code: "II.4.b.1") { projects(last: 500) { nodes { code } } } } }'),
      t.query('query { plan_tasks { id } }'),
      t.query('{ projects { nodes { code } } '),
      t.query('query($id: ID!) { node(id: $id) { id } }', {}),
      t.query('{ agencies(first: 1, last: 1) { totalCount } }'),
    ]);
    for (const response of responses) {
      expect(response.body.errors?.length).toBeGreaterThan(0);
      const text = JSON.stringify(response.body);
      expect(text.toLowerCase()).not.toContain('stacktrace');
      expect(text.toLowerCase()).not.toContain('select ');
      expect(text.toLowerCase()).not.toContain('from "');
      // The one field named after a table is the unknown field the query itself asked for.
      const withoutEcho = text.replace(/Cannot query field \\"plan_tasks\\"/g, '');
      expectNoLeak(withoutEcho);
    }
  });
});
