import { execute, parse } from 'graphql';
import { compiledExecution, recursiveInputTypes } from '../../src/execution/compiled';
import { generateSyntheticPortfolio } from '../../seeds/synthetic';
import { createContext } from '../../src/graphql/context';
import { buildSchema } from '../../src/graphql/schema';
import { dataOf, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The server executes operations with graphql-jit; graphql-js is the reference. Every answer here is compared with
 * graphql-js executing the same document over the same database.
 */
const DOCUMENTS: [string, string, Record<string, unknown>?][] = [
  [
    'plan tree with fragments, aliases, typenames and nested connections',
    /* GraphQL */ `
      query Tree($code: String!) {
        plan(code: $code) {
          __typename
          id
          code
          sections {
            ...Section
            children {
              ...Section
              children {
                ...Section
              }
            }
          }
        }
      }
      fragment Section on PlanSection {
        number
        heading
        tasks {
          code
          text
          assignments {
            role
            agency {
              code
              name
              current {
                code
              }
            }
          }
          leadAgency {
            code
          }
          fundingMix {
            total {
              amount
            }
            knownShare
            shares {
              source {
                code
              }
              amount {
                amount
              }
              share
            }
          }
          first: projects(first: 2) {
            totalCount
            pageInfo {
              hasNextPage
              endCursor
            }
            edges {
              cursor
              node {
                code
              }
            }
          }
          all: projects(first: 50) {
            nodes {
              code
              name
              status
              fundingMix {
                total {
                  amount
                }
              }
            }
          }
        }
      }
    `,
    { code: '6408/KH-UBND' },
  ],
  [
    'portfolio page with aggregate, ordering and every scalar kind',
    /* GraphQL */ `
      {
        projects(first: 5, orderBy: [{ field: TOTAL_INVESTMENT, direction: DESC }]) {
          totalCount
          aggregate {
            count
            totalInvestment {
              amount
              currency
            }
            byStatus {
              status
              count
            }
            bySector {
              sector
              count
            }
            byFundingSource {
              source {
                code
              }
              share
            }
          }
          nodes {
            id
            code
            name
            sector
            status
            plannedCompletion
            lengthKm
            totalInvestment {
              amount
              currency
            }
            totalInvestmentVnd
            updatedAt
          }
        }
      }
    `,
  ],
  [
    'node and nodes over interfaces and unions of types',
    /* GraphQL */ `
      query Nodes($ids: [ID!]!) {
        nodes(ids: $ids) {
          __typename
          id
          ... on Project {
            code
            statusHistory {
              status
              effectiveOn
              note
            }
          }
          ... on Plan {
            code
          }
        }
      }
    `,
    { ids: ['UHJvamVjdDox', 'UGxhbjox', 'UHJvamVjdDo5OTk5OTk', 'bm90LWFuLWlk'] },
  ],
  [
    'skip and include, and a nullable field that fails',
    /* GraphQL */ `
      query Conditional($yes: Boolean!, $no: Boolean!) {
        projects(first: 3) @include(if: $yes) {
          nodes {
            code
            name @skip(if: $yes)
            status @include(if: $no)
          }
        }
        project(code: "NO-SUCH-PROJECT") {
          code
        }
        broken: projects(first: -1) {
          totalCount
        }
      }
    `,
    { yes: true, no: false },
  ],
  [
    'a filter passed as a variable (a recursive input type, interpreted by graphql-js)',
    /* GraphQL */ `
      query Filtered($filter: ProjectFilter) {
        projects(filter: $filter, first: 10) {
          totalCount
          nodes {
            code
          }
        }
      }
    `,
    { filter: { or: [{ sector: ['TRANSPORT_ROAD'] }, { not: { status: ['COMPLETED'] } }], search: 'duong' } },
  ],
];

describe('compiled execution', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each(DOCUMENTS)(
    'answers like graphql-js, the first time (interpreted) and the next (compiled): %s',
    async (_name, document, variables = {}) => {
      const first = await t.query(document, variables);
      const served = await t.query(document, variables);
      expect(served.body).toEqual(first.body);
      const schema = buildSchema();
      const reference = await execute({
        schema,
        document: parse(document),
        variableValues: variables,
        contextValue: createContext(t.app.database, 'reference', { statements: 0 }),
      });
      expect(served.body.data).toEqual(JSON.parse(JSON.stringify(reference.data)));
      expect((served.body.errors ?? []).map((e) => [e.message, e.path, e.extensions?.code])).toEqual(
        (reference.errors ?? []).map((e) => [e.message, e.path, e.extensions?.code]),
      );
      if (document.includes('Tree')) expect(JSON.stringify(served.body.data).length).toBeGreaterThan(5000);
      if (document.includes('broken'))
        expect(served.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      if (document.includes('Nodes'))
        expect(served.body.data.nodes.filter(Boolean).map((n: { __typename: string }) => n.__typename)).toEqual([
          'Project',
          'Plan',
        ]);
    },
  );

  it('finds the input types that contain themselves, and those that contain them', () => {
    expect([...recursiveInputTypes(buildSchema())].sort()).toEqual([
      'CreatePlanInput',
      'PlanSectionInput',
      'ProjectFilter',
    ]);
  });

  it('resolves an operation whose filter variable nests and/or/not deeply', async () => {
    let filter: Record<string, unknown> = { sector: ['TRANSPORT_ROAD'] };
    for (let i = 0; i < 4; i++) filter = { and: [filter, { not: { status: ['CANCELLED'] } }] };
    const data = dataOf(
      await t.query('query($f: ProjectFilter) { projects(filter: $f) { totalCount } }', { f: filter }),
    );
    const inline = dataOf(await t.query('{ projects(filter: { sector: [TRANSPORT_ROAD] }) { totalCount } }'));
    expect(data.projects.totalCount).toBe(inline.projects.totalCount);
    expect(data.projects.totalCount).toBeGreaterThan(0);
  });

  it('reads a list and its aggregate with one statement for both counts', async () => {
    const both = await t.query('{ projects(filter: { sector: [TRANSPORT_ROAD] }) { totalCount aggregate { count } } }');
    const countOnly = await t.query('{ projects(filter: { sector: [TRANSPORT_ROAD] }) { totalCount } }');
    const aggregateOnly = await t.query('{ projects(filter: { sector: [TRANSPORT_ROAD] }) { aggregate { count } } }');
    expect(dataOf(both).projects.totalCount).toBe(dataOf(both).projects.aggregate.count);
    expect(dataOf(both).projects.totalCount).toBe(dataOf(countOnly).projects.totalCount);
    expect(both.statements).toBe(aggregateOnly.statements);
    expect(countOnly.statements).toBe(1);
    // Through a fragment too.
    const viaFragment = await t.query(
      '{ projects(filter: { sector: [TRANSPORT_ROAD] }) { totalCount ...A } } fragment A on ProjectConnection { aggregate { count } }',
    );
    expect(viaFragment.statements).toBe(aggregateOnly.statements);
  });

  it('loads more IDs in one batch than a statement can take parameters', async () => {
    // 70,000 IDs: an IN list of parameters stops at 65,535; the prepared reads send one array.
    const context = createContext(t.app.database, 'batch', { statements: 0 });
    const rows = await context.repos.projects.projectsByIds(Array.from({ length: 70_000 }, (_, i) => i + 1));
    const all = dataOf(await t.query('{ projects { totalCount } }')).projects.totalCount;
    expect(rows.length).toBeGreaterThanOrEqual(all);
    expect(context.tally.statements).toBe(1);
    expect(await context.repos.projects.projectsByIds([])).toEqual([]);
  });
});

describe('project lists read only the columns their selection needs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await generateSyntheticPortfolio(t.app.database.db, { projects: 60, seed: 3 });
  });
  afterAll(async () => {
    await t.stop();
  });

  const FIELDS = [
    'id',
    'name',
    'nameEn',
    'description',
    'sector',
    'type',
    'status',
    'lengthKm',
    'ownerAgency { code }',
    'plannedStart',
    'plannedCompletion',
    'totalInvestment { amount currency }',
    'totalInvestmentVnd',
    'totalInvestmentNote',
    'notes',
    'version',
    'createdAt',
    'updatedAt',
    'archivedAt',
    'statusHistory { status }',
    'locations { name }',
    'tasks { code }',
    'funding { amount { amount } }',
    'fundingMix { total { amount } }',
    'sources { url }',
  ];
  // `oc4ids` needs the whole row, so this reference reads every column.
  const whole = `code oc4ids ${FIELDS.join(' ')}`;

  it.each(FIELDS)(
    "%s is the same read alone as with the whole row, in the root list and in a task's list",
    async (field) => {
      const name = field.split(' ')[0];
      const reference = dataOf(await t.query(`{ projects(first: 50) { nodes { ${whole} } } }`)).projects.nodes;
      const alone = dataOf(await t.query(`{ projects(first: 50) { nodes { code ${field} } } }`)).projects.nodes;
      expect(alone.map((n: any) => [n.code, n[name]])).toEqual(reference.map((n: any) => [n.code, n[name]]));
      // Listed projects are never archived; every other field has values here.
      if (name !== 'archivedAt')
        expect(reference.some((n: any) => n[name] !== null && !(Array.isArray(n[name]) && n[name].length === 0))).toBe(
          true,
        );

      const tree = (selection: string) =>
        t.query(
          `{ plan(code: "6408/KH-UBND") { tasks(first: 20) { nodes { code projects(first: 20) { edges { cursor node { ${selection} } } } } } } }`,
        );
      const referenceTree = dataOf(await tree(whole)).plan.tasks.nodes;
      const aloneTree = dataOf(await tree(`code ${field}`)).plan.tasks.nodes;
      const pick = (tasks: any[]) =>
        tasks.flatMap((task) => task.projects.edges.map((e: any) => [task.code, e.cursor, e.node.code, e.node[name]]));
      expect(pick(aloneTree)).toEqual(pick(referenceTree));
      expect(pick(aloneTree).length).toBeGreaterThan(5);
    },
  );

  it('a pruned page does not stand in for a whole project elsewhere in the request', async () => {
    const data = dataOf(
      await t.query(`{
        projects(first: 50) { nodes { code } }
        project(code: "BD-ROAD-CT02-CTDH") { code description totalInvestment { amount } }
      }`),
    );
    const whole = dataOf(
      await t.query('{ project(code: "BD-ROAD-CT02-CTDH") { code description totalInvestment { amount } } }'),
    );
    expect(data.project).toEqual(whole.project);
    expect(data.project.description).toEqual(expect.any(String));
  });
});

describe('compiled plans', () => {
  it('are kept within their byte budget, most recently used first, and answer after being dropped', async () => {
    const schema = buildSchema();
    // Room for about two small plans.
    const gateway = compiledExecution(schema, 9000);
    gateway.onSchemaLoadOrUpdate(() => {});
    const loaded: any = await gateway.load({
      apollo: { key: undefined, keyHash: undefined, graphRef: undefined },
    } as any);
    const texts = ['{ __typename }', '{ a: __typename }', '{ b: __typename }'];
    const run = (text: string) => {
      const document = parse(text);
      return loaded.executor({
        document,
        queryHash: text,
        request: { variables: {} },
        operation: document.definitions[0],
        context: {},
      } as any);
    };
    for (const text of [...texts, ...texts]) {
      const { data } = await run(text);
      expect(data).toEqual(text === texts[0] ? { __typename: 'Query' } : { [text[2]]: 'Query' });
    }
  });
});
