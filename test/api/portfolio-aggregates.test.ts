import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client';
import { generateSyntheticPortfolio } from '../../seeds/synthetic';
import { dataOf, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * ProjectConnection.aggregate and Query.fundingMix over the whole portfolio, against sums computed here with BigInt
 * from plain selects of the base tables (projects, funding_allocations, funding_sources, project_tasks, plan_tasks,
 * plans, task_assignments, agencies, agency_successions, project_locations), never from the repository or the views.
 */

// ---- Exact money: hundredths of a đồng as BigInt; printed as the API prints decimals. ----

function cents(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length > 2) throw new Error(`more than two decimals: ${text}`);
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** A non-negative fixed-point number of `scale` decimals, trailing zeros trimmed: "2290000000000", "0.357945". */
function fixed(n: bigint, scale: number): string {
  const unit = 10n ** BigInt(scale);
  const fraction = (n % unit).toString().padStart(scale, '0').replace(/0+$/, '');
  return fraction ? `${n / unit}.${fraction}` : `${n / unit}`;
}

const money = (c: bigint) => fixed(c, 2);

/** part / whole to six decimals, half away from zero (both non-negative). */
const ratio6 = (part: bigint, whole: bigint) => fixed((2n * part * 1_000_000n + whole) / (2n * whole), 6);

// ---- Independent model of the data. ----

interface Allocation {
  id: number;
  projectId: number;
  sourceId: number;
  financier: string | null;
  vnd: bigint | null;
}

interface Project {
  id: number;
  code: string;
  name: string;
  sector: string;
  status: string;
  plannedCompletion: string | null;
  total: bigint | null;
  ownerAgencyId: number | null;
  archived: boolean;
  doc: string;
  taskIds: number[];
  allocations: Allocation[];
}

interface World {
  projects: Project[];
  sources: Map<number, { code: string; position: number }>;
  tasks: Map<number, { id: number; planId: number; code: string; text: string }>;
  plans: Map<number, { id: number; code: string; title: string; issuerId: number }>;
  agencies: Map<number, { id: number; code: string; name: string }>;
  assignments: { taskId: number; agencyId: number; role: string }[];
  successions: { id: number; predecessorId: number; successorId: number; effectiveOn: string }[];
}

const fold = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

async function loadWorld(db: Db): Promise<World> {
  const q = <T>(query: ReturnType<typeof sql>) => queryRows<T>(db, query);
  const [projects, locations, allocations, sources, links, tasks, plans, assignments, agencies, successions] =
    await Promise.all([
      q<any>(sql`select id, code, name, name_en, description, sector::text as sector, status::text as status,
                      planned_completion::text as planned_completion, total_investment_vnd::text as total, owner_agency_id,
                      archived_at is not null as archived
               from projects`),
      q<any>(sql`select project_id, name, position from project_locations`),
      q<any>(sql`select id, project_id, source_id, financier, amount_vnd::text as amount_vnd from funding_allocations`),
      q<any>(sql`select id, code, position from funding_sources`),
      q<any>(sql`select project_id, task_id from project_tasks`),
      q<any>(sql`select id, plan_id, code, text from plan_tasks`),
      q<any>(sql`select id, code, title, issuer_id from plans`),
      q<any>(sql`select task_id, agency_id, role::text as role from task_assignments`),
      q<any>(sql`select id, code, name from agencies`),
      q<any>(sql`select id, predecessor_id, successor_id, effective_on::text as effective_on from agency_successions`),
    ]);
  const places = new Map<number, { name: string; position: number }[]>();
  for (const l of locations)
    places.set(Number(l.project_id), [
      ...(places.get(Number(l.project_id)) ?? []),
      { name: l.name, position: Number(l.position) },
    ]);
  const list: Project[] = projects.map((p) => {
    const names = (places.get(Number(p.id)) ?? []).sort((a, b) => a.position - b.position).map((l) => l.name);
    return {
      id: Number(p.id),
      code: p.code,
      name: p.name,
      sector: p.sector,
      status: p.status,
      plannedCompletion: p.planned_completion,
      total: p.total === null ? null : cents(p.total),
      ownerAgencyId: p.owner_agency_id === null ? null : Number(p.owner_agency_id),
      archived: p.archived === true,
      doc: fold(
        [p.code, p.name, p.name_en, p.description, names.length ? names.join(' ') : null]
          .filter((x) => x !== null)
          .join(' '),
      ),
      taskIds: [],
      allocations: [],
    };
  });
  const byId = new Map(list.map((p) => [p.id, p]));
  for (const l of links) byId.get(Number(l.project_id))!.taskIds.push(Number(l.task_id));
  for (const a of allocations) {
    byId.get(Number(a.project_id))!.allocations.push({
      id: Number(a.id),
      projectId: Number(a.project_id),
      sourceId: Number(a.source_id),
      financier: a.financier,
      vnd: a.amount_vnd === null ? null : cents(a.amount_vnd),
    });
  }
  return {
    projects: list,
    sources: new Map(sources.map((s) => [Number(s.id), { code: s.code, position: Number(s.position) }])),
    tasks: new Map(
      tasks.map((t) => [Number(t.id), { id: Number(t.id), planId: Number(t.plan_id), code: t.code, text: t.text }]),
    ),
    plans: new Map(
      plans.map((p) => [
        Number(p.id),
        { id: Number(p.id), code: p.code, title: p.title, issuerId: Number(p.issuer_id) },
      ]),
    ),
    agencies: new Map(agencies.map((a) => [Number(a.id), { id: Number(a.id), code: a.code, name: a.name }])),
    assignments: assignments.map((a) => ({ taskId: Number(a.task_id), agencyId: Number(a.agency_id), role: a.role })),
    successions: successions.map((s) => ({
      id: Number(s.id),
      predecessorId: Number(s.predecessor_id),
      successorId: Number(s.successor_id),
      effectiveOn: s.effective_on,
    })),
  };
}

// ---- Expected figures. ----

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const vnd = (c: bigint) => ({ amount: money(c), currency: 'VND' });

/** A funding mix of allocations, shares sorted by source code (the API's are compared after the same sort). */
function mixOf(world: World, allocations: Allocation[]) {
  const bySource = new Map<number, { amount: bigint; allocationCount: number; unknownCount: number }>();
  let total = 0n;
  let unknown = 0;
  for (const a of allocations) {
    const entry = bySource.get(a.sourceId) ?? { amount: 0n, allocationCount: 0, unknownCount: 0 };
    entry.allocationCount += 1;
    if (a.vnd === null) {
      entry.unknownCount += 1;
      unknown += 1;
    } else {
      entry.amount += a.vnd;
      total += a.vnd;
    }
    bySource.set(a.sourceId, entry);
  }
  return {
    total: vnd(total),
    shares: [...bySource]
      .map(([sourceId, e]) => ({
        source: { code: world.sources.get(sourceId)!.code },
        amount: vnd(e.amount),
        share: total > 0n ? ratio6(e.amount, total) : null,
        allocationCount: e.allocationCount,
        unknownCount: e.unknownCount,
      }))
      .sort((a, b) => byteOrder(a.source.code, b.source.code)),
    knownShare:
      allocations.length === 0 ? '0' : ratio6(BigInt(allocations.length - unknown), BigInt(allocations.length)),
    allocationCount: allocations.length,
    unknownCount: unknown,
  };
}

const sortedShares = (shares: any[]) => [...shares].sort((a, b) => byteOrder(a.source.code, b.source.code));
const sortedMix = (mix: any) => ({ ...mix, shares: sortedShares(mix.shares) });

function bucketsBy(projects: Project[], keyOf: (p: Project) => string | number | null, name: string) {
  const groups = new Map<string | number | null, { count: number; total: bigint }>();
  for (const p of projects) {
    const key = keyOf(p);
    const g = groups.get(key) ?? { count: 0, total: 0n };
    g.count += 1;
    g.total += p.total ?? 0n;
    groups.set(key, g);
  }
  return sortBuckets(
    [...groups].map(([key, g]) => ({ [name]: key, count: g.count, totalInvestment: vnd(g.total) })),
    name,
  );
}

function sortBuckets(buckets: any[], name: string) {
  return [...buckets].sort((a, b) => {
    const [x, y] = [a[name], b[name]];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function aggregateOf(world: World, projects: Project[]) {
  const allocations = projects.flatMap((p) => p.allocations);
  const mix = mixOf(world, allocations);
  return {
    count: projects.length,
    totalInvestment: vnd(projects.reduce((s, p) => s + (p.total ?? 0n), 0n)),
    investmentKnownCount: projects.filter((p) => p.total !== null).length,
    byStatus: bucketsBy(projects, (p) => p.status, 'status'),
    bySector: bucketsBy(projects, (p) => p.sector, 'sector'),
    byYear: bucketsBy(
      projects,
      (p) => (p.plannedCompletion === null ? null : Number(p.plannedCompletion.slice(0, 4))),
      'year',
    ),
    byFundingSource: mix.shares,
    fundingMix: mix,
  };
}

/** The API's aggregate with its lists in the order of `aggregateOf`. */
function normalizedAggregate(a: any) {
  return {
    ...a,
    byStatus: sortBuckets(a.byStatus, 'status'),
    bySector: sortBuckets(a.bySector, 'sector'),
    byYear: sortBuckets(a.byYear, 'year'),
    byFundingSource: sortedShares(a.byFundingSource),
    fundingMix: sortedMix(a.fundingMix),
  };
}

/** Shares come largest first; with a positive total they add up to 1 within 0.000005. */
function expectWellFormedMix(mix: {
  total: { amount: string };
  shares: { amount: { amount: string }; share: string | null }[];
}) {
  for (let i = 1; i < mix.shares.length; i++)
    expect(cents(mix.shares[i - 1].amount.amount) >= cents(mix.shares[i].amount.amount)).toBe(true);
  if (cents(mix.total.amount) === 0n) return;
  const micro = mix.shares.reduce((s, x) => {
    const [whole, fraction = ''] = x.share!.split('.');
    return s + BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  }, 0n);
  expect(micro >= 1_000_000n - 5n && micro <= 1_000_000n + 5n).toBe(true);
}

const words = (search: string) => search.normalize('NFC').trim().split(/\s+/);

/** The few filter fields these tests use, evaluated in JavaScript. */
function matches(p: Project, f: any): boolean {
  if (f.status && !f.status.includes(p.status)) return false;
  if (f.sector && !f.sector.includes(p.sector)) return false;
  if (f.search != null && !words(f.search).every((w) => p.doc.includes(fold(w)))) return false;
  if (f.minInvestment != null && (p.total === null || p.total < cents(f.minInvestment))) return false;
  if (f.or && !f.or.some((g: any) => matches(p, g))) return false;
  if (f.not && matches(p, f.not)) return false;
  return true;
}

const selected = (world: World, filter: any, scope: (p: Project) => boolean = () => true) =>
  world.projects.filter((p) => !p.archived && scope(p) && matches(p, filter ?? {}));

// ---- GraphQL. ----

const SHARE = `source { code } amount { amount currency } share allocationCount unknownCount`;
const MIX = `total { amount currency } knownShare allocationCount unknownCount shares { ${SHARE} }`;
const AGGREGATE = `aggregate {
  count
  totalInvestment { amount currency }
  investmentKnownCount
  byStatus { status count totalInvestment { amount currency } }
  bySector { sector count totalInvestment { amount currency } }
  byYear { year count totalInvestment { amount currency } }
  byFundingSource { ${SHARE} }
  fundingMix { ${MIX} }
}`;

const FILTERS: [string, any][] = [
  ['no filter', null],
  ['sector in [TRANSPORT_ROAD, TRANSPORT_RAIL]', { sector: ['TRANSPORT_ROAD', 'TRANSPORT_RAIL'] }],
  ['a search for "loc ninh"', { search: 'loc ninh' }],
  [
    'status and a minimum investment, or not a search',
    { or: [{ status: ['COMPLETED'], minInvestment: '200000000000' }, { not: { search: 'đường' } }] },
  ],
  ['a filter that selects nothing', { search: 'zzqxvw' }],
];

describe('aggregates and funding-mix groups against an independent computation', () => {
  let t: TestApp;
  let world: World;

  beforeAll(async () => {
    t = await startTestApp();
    await generateSyntheticPortfolio(t.app.database.db, { projects: 300, seed: 7 });
    world = await loadWorld(t.app.database.db);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('has data with ties, unknown amounts, several currencies and successions', async () => {
    const [c] = await queryRows<any>(
      t.app.database.db,
      sql`select count(distinct currency)::int as currencies, count(*) filter (where amount_vnd is null)::int as unknown from funding_allocations`,
    );
    expect(Number(c.currencies)).toBeGreaterThanOrEqual(3);
    expect(Number(c.unknown)).toBeGreaterThan(0);
    expect(world.projects.filter((p) => p.total === null).length).toBeGreaterThan(0);
    expect(world.successions.length).toBeGreaterThan(16);
  });

  describe('ProjectConnection.aggregate', () => {
    it.each(FILTERS)('over %s equals the independent computation', async (_, filter) => {
      const response = await t.query(
        `query($filter: ProjectFilter) { projects(filter: $filter, first: 3) { totalCount ${AGGREGATE} } }`,
        { filter },
      );
      const data = dataOf(response).projects;
      const projects = selected(world, filter);
      expect(data.totalCount).toBe(projects.length);
      expect(normalizedAggregate(data.aggregate)).toEqual(aggregateOf(world, projects));
      expectWellFormedMix(data.aggregate.fundingMix);
      expect(sortedShares(data.aggregate.byFundingSource)).toEqual(sortedShares(data.aggregate.fundingMix.shares));
      if (filter?.search === 'zzqxvw') {
        expect(data.aggregate).toMatchObject({
          count: 0,
          totalInvestment: { amount: '0' },
          byStatus: [],
          byFundingSource: [],
        });
        expect(data.aggregate.fundingMix).toMatchObject({
          total: { amount: '0' },
          knownShare: '0',
          allocationCount: 0,
        });
      }
    });

    it('counts a null year for projects whose planned completion is unknown', async () => {
      const data = dataOf(await t.query(`{ projects(first: 1) { aggregate { byYear { year count } } } }`)).projects
        .aggregate;
      const unknown = world.projects.filter((p) => p.plannedCompletion === null).length;
      expect(unknown).toBeGreaterThan(0);
      expect(data.byYear.find((b: any) => b.year === null)).toEqual({ year: null, count: unknown });
    });

    it("on Plan.projects covers the plan's projects only, each once", async () => {
      for (const [code, filter] of [
        ['SYN-PLAN-001', null],
        ['SYN-PLAN-002', { sector: ['TRANSPORT_ROAD', 'TRANSPORT_RAIL'] }],
        ['6408/KH-UBND', null],
        ['6408/KH-UBND', { search: 'loc ninh' }],
      ] as [string, any][]) {
        const plan = [...world.plans.values()].find((p) => p.code === code)!;
        const projects = selected(world, filter, (p) =>
          p.taskIds.some((id) => world.tasks.get(id)!.planId === plan.id),
        );
        const data = dataOf(
          await t.query(
            `query($code: String!, $filter: ProjectFilter) { plan(code: $code) { projects(filter: $filter, first: 2) { totalCount ${AGGREGATE} } } }`,
            {
              code,
              filter,
            },
          ),
        ).plan.projects;
        expect({ code, filter, totalCount: data.totalCount }).toEqual({ code, filter, totalCount: projects.length });
        expect(normalizedAggregate(data.aggregate)).toEqual(aggregateOf(world, projects));
      }
    });

    it("on PlanTask.projects covers the task's projects only", async () => {
      const plan1 = [...world.plans.values()].find((p) => p.code === 'SYN-PLAN-001')!;
      const load = (id: number) => world.projects.filter((p) => p.taskIds.includes(id)).length;
      const busiest = [...world.tasks.values()]
        .filter((x) => x.planId === plan1.id)
        .sort((a, b) => load(b.id) - load(a.id))[0];
      for (const [planCode, taskCode, filter] of [
        ['6408/KH-UBND', 'II.4.b.1', null],
        ['6408/KH-UBND', 'II.4.c.1', { not: { sector: ['TRANSPORT_URBAN'] } }],
        ['SYN-PLAN-001', busiest.code, null],
      ] as [string, string, any][]) {
        const task = [...world.tasks.values()].find(
          (x) => x.code === taskCode && world.plans.get(x.planId)!.code === planCode,
        )!;
        const projects = selected(world, filter, (p) => p.taskIds.includes(task.id));
        expect(projects.length).toBeGreaterThan(0);
        const data = dataOf(
          await t.query(
            `query($plan: String!, $task: String!, $filter: ProjectFilter) { plan(code: $plan) { task(code: $task) { projects(filter: $filter, first: 2) { totalCount ${AGGREGATE} } } } }`,
            { plan: planCode, task: taskCode, filter },
          ),
        ).plan.task.projects;
        expect(data.totalCount).toBe(projects.length);
        expect(normalizedAggregate(data.aggregate)).toEqual(aggregateOf(world, projects));
      }
    });

    it("on every task of a plan at once (one statement for all the tasks) equals each task's own computation", async () => {
      for (const [planCode, filter] of [
        ['SYN-PLAN-001', null],
        ['SYN-PLAN-001', { sector: ['TRANSPORT_ROAD', 'WATER_AND_WASTE'] }],
      ] as [string, any][]) {
        const response = await t.query(
          `query($plan: String!, $filter: ProjectFilter) { plan(code: $plan) { tasks(first: 100) { nodes { code projects(filter: $filter, first: 2) { totalCount ${AGGREGATE} } } } } }`,
          { plan: planCode, filter },
        );
        const tasks = dataOf(response).plan.tasks.nodes;
        expect(tasks.length).toBeGreaterThan(5);
        for (const node of tasks) {
          const task = [...world.tasks.values()].find(
            (x) => x.code === node.code && world.plans.get(x.planId)!.code === planCode,
          )!;
          const projects = selected(world, filter, (p) => p.taskIds.includes(task.id));
          expect({ task: node.code, totalCount: node.projects.totalCount }).toEqual({
            task: node.code,
            totalCount: projects.length,
          });
          expect(normalizedAggregate(node.projects.aggregate)).toEqual(aggregateOf(world, projects));
        }
      }
    });

    it('on Agency.projects covers the projects the agency owns or is assigned', async () => {
      for (const code of ['BD.UBND', 'SYN-P01.BQLDA', 'SYN-P02.SXD']) {
        const agency = [...world.agencies.values()].find((a) => a.code === code)!;
        const linked = (p: Project) =>
          p.ownerAgencyId === agency.id ||
          world.assignments.some((a) => a.agencyId === agency.id && p.taskIds.includes(a.taskId));
        const projects = selected(world, null, linked);
        expect(projects.length).toBeGreaterThan(0);
        const data = dataOf(
          await t.query(
            `query($code: String!) { agency(code: $code) { projects(first: 2) { totalCount ${AGGREGATE} } } }`,
            { code },
          ),
        ).agency.projects;
        expect(data.totalCount).toBe(projects.length);
        expect(normalizedAggregate(data.aggregate)).toEqual(aggregateOf(world, projects));
      }
    });

    it('costs the same statements, at most 8, for a page of 5, 50 or 100 with totalCount and the full aggregate', async () => {
      const query = `query($first: Int) { projects(first: $first) { totalCount nodes { code } ${AGGREGATE} } }`;
      const counts: number[] = [];
      for (const first of [5, 50, 100]) {
        const response = await t.query(query, { first });
        expect(dataOf(response).projects.nodes).toHaveLength(first);
        counts.push(response.statements);
      }
      expect(counts[1]).toBe(counts[0]);
      expect(counts[2]).toBe(counts[0]);
      expect(counts[0]).toBeLessThanOrEqual(8);
    });
  });

  describe('Query.fundingMix', () => {
    const GROUPS = `query($groupBy: FundingGroupBy!, $filter: ProjectFilter, $current: Boolean) {
      fundingMix(groupBy: $groupBy, filter: $filter, currentAgencies: $current) {
        key
        label
        projectCount
        node {
          __typename
          ... on Plan { code }
          ... on PlanTask { code plan { code } }
          ... on Agency { code }
          ... on Project { code }
        }
        mix { ${MIX} }
      }
    }`;

    interface Group {
      key: string;
      label: string | null;
      node: any;
      projects: Set<number>;
      allocations: Allocation[];
    }

    /** The agency holding an agency's duties today: follow the latest succession (by date, then id), repeatedly. */
    function currentOf(id: number): number {
      let current = id;
      for (let step = 0; step < 50; step++) {
        const next = world.successions
          .filter((s) => s.predecessorId === current)
          .sort((a, b) => byteOrder(b.effectiveOn, a.effectiveOn) || b.id - a.id)[0];
        if (!next) return current;
        current = next.successorId;
      }
      return current;
    }

    /** The agencies leading a task: its LEADs, else its IMPLEMENTING agencies, else the plan's issuer. */
    function leadsOf(taskId: number): number[] {
      const of = (role: string) =>
        world.assignments.filter((a) => a.taskId === taskId && a.role === role).map((a) => a.agencyId);
      const lead = of('LEAD');
      if (lead.length) return lead;
      const implementing = of('IMPLEMENTING');
      if (implementing.length) return implementing;
      return [world.plans.get(world.tasks.get(taskId)!.planId)!.issuerId];
    }

    /** Expected groups by an identity that is unique across plans (a task code is not). */
    function expectedGroups(groupBy: string, filter: any, currentAgencies: boolean): Map<string, Group> {
      const groups = new Map<string, Group>();
      const add = (
        id: string,
        init: () => Omit<Group, 'projects' | 'allocations'>,
        p: Project,
        allocations: Allocation[] = p.allocations,
      ) => {
        let g = groups.get(id);
        if (!g) groups.set(id, (g = { ...init(), projects: new Set(), allocations: [] }));
        if (!g.projects.has(p.id) || groupBy === 'FINANCIER') g.allocations.push(...allocations);
        g.projects.add(p.id);
      };
      for (const p of selected(world, filter)) {
        switch (groupBy) {
          case 'PLAN':
            for (const planId of new Set(p.taskIds.map((id) => world.tasks.get(id)!.planId))) {
              const plan = world.plans.get(planId)!;
              add(
                plan.code,
                () => ({ key: plan.code, label: plan.title, node: { __typename: 'Plan', code: plan.code } }),
                p,
              );
            }
            break;
          case 'TASK':
            for (const id of p.taskIds) {
              const task = world.tasks.get(id)!;
              const planCode = world.plans.get(task.planId)!.code;
              add(
                `${planCode}|${task.code}`,
                () => ({
                  key: task.code,
                  label: task.text,
                  node: { __typename: 'PlanTask', code: task.code, plan: { code: planCode } },
                }),
                p,
              );
            }
            break;
          case 'SECTOR':
            add(p.sector, () => ({ key: p.sector, label: null, node: null }), p);
            break;
          case 'STATUS':
            add(p.status, () => ({ key: p.status, label: null, node: null }), p);
            break;
          case 'AGENCY': {
            const ids = new Set(
              p.taskIds.flatMap((id) => leadsOf(id)).map((id) => (currentAgencies ? currentOf(id) : id)),
            );
            for (const id of ids) {
              const agency = world.agencies.get(id)!;
              add(
                agency.code,
                () => ({ key: agency.code, label: agency.name, node: { __typename: 'Agency', code: agency.code } }),
                p,
              );
            }
            break;
          }
          case 'PROJECT':
            add(p.code, () => ({ key: p.code, label: p.name, node: { __typename: 'Project', code: p.code } }), p);
            break;
          case 'FINANCIER':
            for (const a of p.allocations) {
              const key = a.financier ?? '(not recorded)';
              add(key, () => ({ key, label: a.financier, node: null }), p, [a]);
            }
            break;
        }
      }
      return groups;
    }

    const identity = (groupBy: string, g: any) => (groupBy === 'TASK' ? `${g.node.plan.code}|${g.node.code}` : g.key);

    const cases: [string, boolean][] = [
      ['PLAN', true],
      ['TASK', true],
      ['SECTOR', true],
      ['STATUS', true],
      ['AGENCY', true],
      ['AGENCY', false],
      ['PROJECT', true],
      ['FINANCIER', true],
    ];

    describe.each(FILTERS.slice(0, 4))('over %s', (_, filter) => {
      it.each(cases)(
        'groups by %s (currentAgencies %s): keys, labels, nodes, project counts and mixes, largest total first',
        async (groupBy, current) => {
          const response = await t.query(GROUPS, { groupBy, filter, current });
          const groups: any[] = dataOf(response).fundingMix;
          const expected = expectedGroups(groupBy, filter, current);
          expect(expected.size).toBeGreaterThan(0);
          expect(groups.map((g) => identity(groupBy, g)).sort(byteOrder)).toEqual([...expected.keys()].sort(byteOrder));
          for (const g of groups) {
            const e = expected.get(identity(groupBy, g))!;
            expect(typeof g.label).toBe('string');
            expect(g.label.length).toBeGreaterThan(0);
            expect({
              key: g.key,
              label: e.label === null ? null : g.label,
              node: g.node,
              projectCount: g.projectCount,
              mix: sortedMix(g.mix),
            }).toEqual({
              key: e.key,
              label: e.label,
              node: e.node,
              projectCount: e.projects.size,
              mix: mixOf(world, e.allocations),
            });
            expectWellFormedMix(g.mix);
          }
          for (let i = 1; i < groups.length; i++) {
            expect(cents(groups[i - 1].mix.total.amount) >= cents(groups[i].mix.total.amount)).toBe(true);
          }
        },
      );
    });

    it.each(cases)(
      'costs at most 3 statements per call grouped by %s (currentAgencies %s), with nodes and mixes',
      async (groupBy, current) => {
        const query = `query($groupBy: FundingGroupBy!, $filter: ProjectFilter, $current: Boolean) {
        fundingMix(groupBy: $groupBy, filter: $filter, currentAgencies: $current) {
          key label projectCount
          node { __typename id ... on Plan { code } ... on PlanTask { code } ... on Agency { code name } ... on Project { code name } }
          mix { ${MIX} }
        }
      }`;
        for (const filter of [null, { sector: ['TRANSPORT_ROAD', 'TRANSPORT_RAIL'] }]) {
          const response = await t.query(query, { groupBy, current, filter });
          expect(dataOf(response).fundingMix.length).toBeGreaterThan(0);
          expect(response.statements).toBeLessThanOrEqual(3);
        }
      },
    );

    it('refuses the filters that project lists refuse, with BAD_USER_INPUT', async () => {
      for (const filter of [
        { search: 'x'.repeat(201) },
        { sector: [], includeSuccessors: true },
        { plannedCompletion: { from: '2031-01-01', to: '2030-01-01' } },
      ]) {
        const response = await t.query(GROUPS, { groupBy: 'SECTOR', filter });
        expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(response.body.data ?? null).toBeNull();
      }
    });

    it('with a filter that selects nothing gives no groups', async () => {
      for (const [groupBy, current] of cases) {
        expect(dataOf(await t.query(GROUPS, { groupBy, current, filter: { search: 'zzqxvw' } })).fundingMix).toEqual(
          [],
        );
      }
    });

    it("groups BD.SGTVT's and BD.SXD's projects under HCM.SXD with currentAgencies, and under themselves without", async () => {
      const current = dataOf(await t.query(GROUPS, { groupBy: 'AGENCY', current: true })).fundingMix;
      const named = dataOf(await t.query(GROUPS, { groupBy: 'AGENCY', current: false })).fundingMix;
      const keys = (groups: any[]) => groups.map((g) => g.key);
      expect(keys(current)).toContain('HCM.SXD');
      expect(keys(current)).not.toContain('BD.SGTVT');
      expect(keys(current)).not.toContain('BD.SXD');
      expect(keys(named)).not.toContain('HCM.SXD');
      const before = named.filter((g: any) => g.key === 'BD.SGTVT' || g.key === 'BD.SXD');
      expect(before.length).toBeGreaterThan(0);
      const hcm = current.find((g: any) => g.key === 'HCM.SXD');
      expect(hcm.node).toEqual({ __typename: 'Agency', code: 'HCM.SXD' });
      expect(hcm.projectCount).toBe(expectedGroups('AGENCY', null, true).get('HCM.SXD')!.projects.size);
      expect(hcm.projectCount).toBeGreaterThanOrEqual(Math.max(...before.map((g: any) => g.projectCount)));
    });

    it('defaults currentAgencies to true', async () => {
      const implicit = dataOf(
        await t.query(`{ fundingMix(groupBy: AGENCY) { key projectCount mix { total { amount } } } }`),
      ).fundingMix;
      const explicit = dataOf(
        await t.query(
          `{ fundingMix(groupBy: AGENCY, currentAgencies: true) { key projectCount mix { total { amount } } } }`,
        ),
      ).fundingMix;
      expect(implicit).toEqual(explicit);
    });

    it('leaves archived projects out of lists, totals, aggregates and groups', async () => {
      const db = t.app.database.db;
      const plan = [...world.plans.values()].find((p) => p.code === 'SYN-PLAN-001')!;
      const inPlan = (p: Project) => p.taskIds.some((id) => world.tasks.get(id)!.planId === plan.id);
      const victim = world.projects.find(
        (p) => p.code.startsWith('SYN-') && inPlan(p) && p.total !== null && p.allocations.some((a) => a.vnd !== null),
      )!;
      await queryRows(db, sql`update projects set archived_at = now() where id = ${victim.id}`);
      try {
        const archivedWorld = await loadWorld(db);
        expect(archivedWorld.projects.find((p) => p.id === victim.id)!.archived).toBe(true);
        const live = selected(archivedWorld, null);
        expect(live.length).toBe(world.projects.length - 1);
        const data = dataOf(
          await t.query(`{
            projects(first: 100, orderBy: [{ field: TOTAL_INVESTMENT, direction: DESC }]) { totalCount nodes { code } ${AGGREGATE} }
            plan(code: "SYN-PLAN-001") { projects(first: 100) { totalCount nodes { code } ${AGGREGATE} } }
            byProject: fundingMix(groupBy: PROJECT) { key }
            byPlan: fundingMix(groupBy: PLAN) { key projectCount mix { ${MIX} } }
          }`),
        );
        expect(data.projects.totalCount).toBe(live.length);
        expect(data.projects.nodes.map((n: any) => n.code)).not.toContain(victim.code);
        expect(normalizedAggregate(data.projects.aggregate)).toEqual(aggregateOf(archivedWorld, live));
        const livePlan = selected(archivedWorld, null, inPlan);
        expect(data.plan.projects.totalCount).toBe(livePlan.length);
        expect(data.plan.projects.nodes.map((n: any) => n.code)).not.toContain(victim.code);
        expect(normalizedAggregate(data.plan.projects.aggregate)).toEqual(aggregateOf(archivedWorld, livePlan));
        expect(data.byProject.map((g: any) => g.key)).not.toContain(victim.code);
        expect(data.byProject).toHaveLength(live.length);
        const planGroup = data.byPlan.find((g: any) => g.key === 'SYN-PLAN-001');
        expect({ projectCount: planGroup.projectCount, mix: sortedMix(planGroup.mix) }).toEqual({
          projectCount: livePlan.length,
          mix: mixOf(
            archivedWorld,
            livePlan.flatMap((p) => p.allocations),
          ),
        });
      } finally {
        await queryRows(db, sql`update projects set archived_at = null where id = ${victim.id}`);
      }
    });

    it('keys the allocations without a financier "(not recorded)"', async () => {
      const groups = dataOf(await t.query(GROUPS, { groupBy: 'FINANCIER' })).fundingMix;
      const unrecorded = world.projects.flatMap((p) => p.allocations).filter((a) => a.financier === null);
      expect(unrecorded.length).toBeGreaterThan(0);
      const group = groups.find((g: any) => g.key === '(not recorded)');
      expect(group.node).toBeNull();
      expect(group.mix.allocationCount).toBe(unrecorded.length);
    });
  });
});
