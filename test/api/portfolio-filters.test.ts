import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client';
import { generateSyntheticPortfolio } from '../../seeds/synthetic';
import { dataOf, startTestApp, type GraphQLResponse, type TestApp } from '../helpers/test-app';

/**
 * ProjectFilter over the whole portfolio (the 14 real projects, 300 synthetic ones and one fixture): every field
 * alone, combined, nested, and scoped to a plan, a task or an agency, and every input the API must refuse. Each
 * expected set is computed here from plain selects of the base tables, never from the repository or the views.
 */

// ---- Independent model of the data, read from the base tables. ----

interface Allocation {
  id: number;
  sourceCode: string;
  financier: string | null;
}

interface Project {
  id: number;
  code: string;
  sector: string;
  type: string;
  status: string;
  ownerAgencyId: number | null;
  plannedCompletion: string | null;
  /** total_investment_vnd in hundredths of a đồng; null when unknown. */
  total: bigint | null;
  /** updated_at in microseconds since the epoch. */
  updatedUs: bigint;
  archived: boolean;
  /** Code, names, description and location names as written (NFC). */
  raw: string;
  /** `raw` folded: no diacritics, đ → d, lower case. */
  doc: string;
  taskIds: number[];
  allocations: Allocation[];
}

interface World {
  projects: Project[];
  tasks: Map<number, { id: number; planId: number; code: string }>;
  plans: Map<number, { id: number; code: string }>;
  agencyByCode: Map<string, number>;
  /** task id → agency ids assigned in any role. */
  assignees: Map<number, number[]>;
  successions: { predecessorId: number; successorId: number }[];
}

const fold = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

/** A decimal string with at most two decimals as hundredths. */
function cents(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length > 2) throw new Error(`more than two decimals: ${text}`);
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** An ISO 8601 instant with up to six decimals as microseconds since the epoch. */
function instantUs(iso: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an instant: ${iso}`);
  return BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

function usToIso(us: bigint): string {
  const ms = us / 1000n;
  const micro = us % 1000000n;
  return `${new Date(Number(ms)).toISOString().slice(0, 19)}.${micro.toString().padStart(6, '0')}Z`;
}

async function loadWorld(db: Db): Promise<World> {
  const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(db, query);
  const [projectRows, locations, allocations, sources, links, tasks, plans, assignments, agencies, successions] =
    await Promise.all([
      rows<any>(sql`select id, code, name, name_en, description, sector::text as sector, type::text as type, status::text as status,
                         owner_agency_id, planned_completion::text as planned_completion, total_investment_vnd::text as total,
                         (extract(epoch from updated_at) * 1000000)::bigint::text as updated_us, archived_at is not null as archived
                  from projects`),
      rows<any>(sql`select project_id, name, position from project_locations`),
      rows<any>(sql`select id, project_id, source_id, financier from funding_allocations`),
      rows<any>(sql`select id, code from funding_sources`),
      rows<any>(sql`select project_id, task_id from project_tasks`),
      rows<any>(sql`select id, plan_id, code from plan_tasks`),
      rows<any>(sql`select id, code from plans`),
      rows<any>(sql`select task_id, agency_id from task_assignments`),
      rows<any>(sql`select id, code from agencies`),
      rows<any>(sql`select predecessor_id, successor_id from agency_successions`),
    ]);
  const sourceCode = new Map<number, string>(sources.map((s) => [Number(s.id), s.code]));
  const locationNames = new Map<number, { name: string; position: number }[]>();
  for (const l of locations) {
    const list = locationNames.get(Number(l.project_id)) ?? [];
    list.push({ name: l.name, position: Number(l.position) });
    locationNames.set(Number(l.project_id), list);
  }
  const projects: Project[] = projectRows.map((p) => {
    const places = (locationNames.get(Number(p.id)) ?? []).sort((a, b) => a.position - b.position).map((l) => l.name);
    const raw = [p.code, p.name, p.name_en, p.description, places.length ? places.join(' ') : null]
      .filter((x) => x !== null)
      .join(' ');
    return {
      id: Number(p.id),
      code: p.code,
      sector: p.sector,
      type: p.type,
      status: p.status,
      ownerAgencyId: p.owner_agency_id === null ? null : Number(p.owner_agency_id),
      plannedCompletion: p.planned_completion,
      total: p.total === null ? null : cents(p.total),
      updatedUs: BigInt(p.updated_us),
      archived: p.archived === true,
      raw,
      doc: fold(raw),
      taskIds: [],
      allocations: [],
    };
  });
  const byId = new Map(projects.map((p) => [p.id, p]));
  for (const link of links) byId.get(Number(link.project_id))?.taskIds.push(Number(link.task_id));
  for (const a of allocations) {
    byId.get(Number(a.project_id))?.allocations.push({
      id: Number(a.id),
      sourceCode: sourceCode.get(Number(a.source_id))!,
      financier: a.financier,
    });
  }
  const assignees = new Map<number, number[]>();
  for (const a of assignments)
    assignees.set(Number(a.task_id), [...(assignees.get(Number(a.task_id)) ?? []), Number(a.agency_id)]);
  return {
    projects,
    tasks: new Map(tasks.map((t) => [Number(t.id), { id: Number(t.id), planId: Number(t.plan_id), code: t.code }])),
    plans: new Map(plans.map((p) => [Number(p.id), { id: Number(p.id), code: p.code }])),
    agencyByCode: new Map(agencies.map((a) => [a.code, Number(a.id)])),
    assignees,
    successions: successions.map((s) => ({
      predecessorId: Number(s.predecessor_id),
      successorId: Number(s.successor_id),
    })),
  };
}

/** Agencies of the codes; with successors, every agency reached forward and every agency reached backward. */
function agencySet(world: World, codes: string[], withSuccessors: boolean): Set<number> {
  const start = codes.map((c) => world.agencyByCode.get(c)).filter((id): id is number => id !== undefined);
  if (!withSuccessors) return new Set(start);
  const reach = (
    from: (s: World['successions'][number]) => number,
    to: (s: World['successions'][number]) => number,
  ) => {
    const seen = new Set(start);
    const queue = [...start];
    while (queue.length) {
      const id = queue.shift()!;
      for (const s of world.successions) {
        if (from(s) === id && !seen.has(to(s))) {
          seen.add(to(s));
          queue.push(to(s));
        }
      }
    }
    return seen;
  };
  return new Set([
    ...reach(
      (s) => s.predecessorId,
      (s) => s.successorId,
    ),
    ...reach(
      (s) => s.successorId,
      (s) => s.predecessorId,
    ),
  ]);
}

/** Agencies a project answers to: its owner and every agency assigned a task it serves. */
function linkedAgencies(world: World, p: Project): Set<number> {
  const ids = new Set<number>();
  if (p.ownerAgencyId !== null) ids.add(p.ownerAgencyId);
  for (const taskId of p.taskIds) for (const a of world.assignees.get(taskId) ?? []) ids.add(a);
  return ids;
}

const words = (search: string) =>
  search
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);

/** The filter, evaluated in JavaScript: the specification of ProjectFilter. */
function matches(world: World, p: Project, f: any): boolean {
  if (f.status && !f.status.includes(p.status)) return false;
  if (f.sector && !f.sector.includes(p.sector)) return false;
  if (f.type && !f.type.includes(p.type)) return false;
  if (f.fundingSource && !p.allocations.some((a) => f.fundingSource.includes(a.sourceCode))) return false;
  if (f.financier) {
    const names = f.financier.map((n: string) => n.trim().toLowerCase());
    if (!p.allocations.some((a) => a.financier !== null && names.includes(a.financier.toLowerCase()))) return false;
  }
  if (f.agency) {
    const wanted = agencySet(world, f.agency, f.includeSuccessors === true);
    if (![...linkedAgencies(world, p)].some((id) => wanted.has(id))) return false;
  }
  if (f.planCode && !p.taskIds.some((t) => f.planCode.includes(world.plans.get(world.tasks.get(t)!.planId)!.code)))
    return false;
  if (f.taskCode && !p.taskIds.some((t) => f.taskCode.includes(world.tasks.get(t)!.code))) return false;
  if (f.search != null && !words(f.search).every((w) => p.doc.includes(fold(w)))) return false;
  if (f.minInvestment != null && (p.total === null || p.total < cents(f.minInvestment))) return false;
  if (f.maxInvestment != null && (p.total === null || p.total > cents(f.maxInvestment))) return false;
  if (f.plannedCompletion) {
    const { from, to } = f.plannedCompletion;
    if (p.plannedCompletion === null) return false;
    if (from != null && p.plannedCompletion < from) return false;
    if (to != null && p.plannedCompletion > to) return false;
  }
  if (f.updatedSince != null && p.updatedUs < instantUs(f.updatedSince)) return false;
  if (f.and && !f.and.every((g: any) => matches(world, p, g))) return false;
  if (f.or && !f.or.some((g: any) => matches(world, p, g))) return false;
  if (f.not && matches(world, p, f.not)) return false;
  return true;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function expectedCodes(world: World, filter: any, scope: (p: Project) => boolean = () => true): string[] {
  return world.projects
    .filter((p) => !p.archived && scope(p) && matches(world, p, filter))
    .map((p) => p.code)
    .sort(byteOrder);
}

// ---- API helpers. ----

const PAGE = `totalCount pageInfo { hasNextPage endCursor } nodes { code }`;
/** Code order, so that searches (most relevant first by default) compare as sets in a fixed order. */
const BY_CODE = [{ field: 'CODE', direction: 'ASC' }];
const ARGS = `filter: $filter, orderBy: $orderBy, first: $first, after: $after`;
const VARS = `$filter: ProjectFilter, $orderBy: [ProjectOrder!], $first: Int, $after: String`;

/** Every code of a connection, reading pages of 100; every page must report the same totalCount. */
async function allCodes(t: TestApp, query: string, variables: Record<string, unknown>, pick: (data: any) => any) {
  const codes: string[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const connection = pick(dataOf(await t.query(query, { orderBy: BY_CODE, ...variables, first: 100, after })));
    codes.push(...connection.nodes.map((n: any) => n.code));
    totals.add(connection.totalCount);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  expect([...totals]).toEqual([codes.length]);
  return codes;
}

const ROOT_QUERY = `query(${VARS}) { projects(${ARGS}) { ${PAGE} } }`;
const rootCodes = (t: TestApp, filter: unknown) => allCodes(t, ROOT_QUERY, { filter }, (d) => d.projects);

function expectBadUserInput(response: GraphQLResponse, message: RegExp) {
  expect(response.body.errors?.length).toBeGreaterThan(0);
  const error = response.body.errors![0];
  expect({ code: error.extensions?.code, message: error.message }).toEqual({
    code: 'BAD_USER_INPUT',
    message: expect.stringMatching(message),
  });
  expect(response.body.data ?? null).toBeNull();
}

/** A filter nested `levels` deep through `not`. */
function nestedNot(levels: number): any {
  let filter: any = { status: ['CANCELLED'] };
  for (let i = 0; i < levels; i++) filter = { not: filter };
  return filter;
}

describe('ProjectFilter against an independent computation over the whole portfolio', () => {
  let t: TestApp;
  let world: World;
  const fixtureCode = 'ZZ-TEST-HCM-SXD';

  beforeAll(async () => {
    t = await startTestApp();
    await generateSyntheticPortfolio(t.app.database.db, { projects: 300, seed: 7 });
    // One project tied only to HCM.SXD, the successor of BD.SXD and BD.SGTVT, whose text holds a % and an _.
    await queryRows(
      t.app.database.db,
      sql`insert into projects (code, name, name_en, description, sector, type, status, owner_agency_id)
          values (${fixtureCode}, 'Dự án kiểm thử của Sở Xây dựng Thành phố Hồ Chí Minh', 'Test project of the HCMC Department of Construction',
                  'Vốn 100% ngân sách thành phố; mã_nội_bộ KT_01; hồ sơ tại \\KT\\du-an.', 'TRANSPORT_URBAN', 'CONSTRUCTION', 'PLANNED',
                  (select id from agencies where code = 'HCM.SXD'))`,
    );
    world = await loadWorld(t.app.database.db);
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** The API's codes for the filter equal the independent computation; returns them. */
  async function expectFilter(filter: any, options: { nonEmpty?: boolean } = { nonEmpty: true }) {
    const expected = expectedCodes(world, filter);
    if (options.nonEmpty) {
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(world.projects.length);
    }
    expect(await rootCodes(t, filter)).toEqual(expected);
    return expected;
  }

  it('lists every project without a filter, in code order, across pages of 100', async () => {
    const codes = await allCodes(t, ROOT_QUERY, { filter: null, orderBy: null }, (d) => d.projects);
    expect(codes).toEqual(expectedCodes(world, {}));
    // 14 real projects, 300 synthetic ones and the fixture.
    expect(codes.length).toBeGreaterThanOrEqual(315);
  });

  describe('each field alone', () => {
    it.each([[['UNDER_CONSTRUCTION']], [['PLANNED', 'CANCELLED']], [['SUSPENDED', 'COMPLETED', 'APPROVED']]])(
      'status %j',
      async (status) => {
        await expectFilter({ status });
      },
    );

    it.each([[['TRANSPORT_RAIL']], [['TRANSPORT_ROAD', 'WATER_AND_WASTE']], [['ENERGY_SOLAR', 'HEALTH', 'EDUCATION']]])(
      'sector %j',
      async (sector) => {
        await expectFilter({ sector });
      },
    );

    it.each([[['REHABILITATION']], [['EXPANSION', 'REPLACEMENT']]])('type %j', async (type) => {
      await expectFilter({ type });
    });

    it.each([[['ODA']], [['PPP', 'LAND_VALUE_CAPTURE']], [['OTHER']]])(
      'fundingSource %j: projects with an allocation from any of them',
      async (fundingSource) => {
        await expectFilter({ fundingSource });
      },
    );

    it('financier matches without regard to case, in Vietnamese too', async () => {
      const wb = await expectFilter({ financier: ['world bank'] });
      expect(await rootCodes(t, { financier: ['WORLD BANK'] })).toEqual(wb);
      expect(await rootCodes(t, { financier: ['World Bank'] })).toEqual(wb);
      const province = await expectFilter({ financier: ['NGÂN SÁCH TỈNH LỘC NINH'] });
      expect(await rootCodes(t, { financier: ['ngân sách tỉnh lộc ninh'] })).toEqual(province);
      await expectFilter({ financier: ['jica (japanese oda loan)', 'Bình Dương local budget', 'EIB'] });
    });

    it('agency matches projects the agency owns or whose tasks assign it in any role', async () => {
      await expectFilter({ agency: ['BD.UBND'] });
      await expectFilter({ agency: ['SYN-P01.SXD'] });
      await expectFilter({ agency: ['SYN-P02.SCT', 'SYN-P02.BQLDA'] });
    });

    it('agency BD.SGTVT without includeSuccessors leaves out BD.SXD-only and HCM.SXD-only projects', async () => {
      const codes = await expectFilter({ agency: ['BD.SGTVT'] });
      expect(codes).not.toContain(fixtureCode);
      const sxdOnly = expectedCodes(world, { agency: ['BD.SXD'], not: { agency: ['BD.SGTVT'] } });
      expect(sxdOnly.length).toBeGreaterThan(0);
      for (const code of sxdOnly) expect(codes).not.toContain(code);
      expect(await rootCodes(t, { agency: ['BD.SGTVT'], includeSuccessors: false })).toEqual(codes);
    });

    it("agency BD.SGTVT with includeSuccessors also matches BD.SXD's and HCM.SXD's projects", async () => {
      const codes = await expectFilter({ agency: ['BD.SGTVT'], includeSuccessors: true });
      const own = expectedCodes(world, { agency: ['BD.SGTVT'] });
      const sxd = expectedCodes(world, { agency: ['BD.SXD'] });
      const hcm = expectedCodes(world, { agency: ['HCM.SXD'] });
      expect(hcm).toContain(fixtureCode);
      expect(codes).toEqual([...new Set([...own, ...sxd, ...hcm])].sort(byteOrder));
      // Backwards too: HCM.SXD with its predecessors is the same set.
      expect(await rootCodes(t, { agency: ['HCM.SXD'], includeSuccessors: true })).toEqual(codes);
    });

    it('agency with includeSuccessors follows synthetic chains of renames, mergers and transfers', async () => {
      const chained = world.successions.find((s) => world.successions.some((n) => n.predecessorId === s.successorId));
      expect(chained).toBeDefined();
      const code = [...world.agencyByCode].find(([, id]) => id === chained!.predecessorId)![0];
      await expectFilter({ agency: [code], includeSuccessors: true });
    });

    it.each([[['SYN-PLAN-002']], [['6408/KH-UBND']], [['6408/KH-UBND', 'SYN-PLAN-002']]])(
      'planCode %j: projects serving any task of the plans',
      async (planCode) => {
        await expectFilter({ planCode });
      },
    );

    it.each([[['II.4.b.1']], [['II.1.a.1', 'I.1']], [['II.4.c.1', 'II.2.2']]])(
      'taskCode %j: projects serving these tasks',
      async (taskCode) => {
        await expectFilter({ taskCode });
      },
    );

    it('minInvestment and maxInvestment bound the known total in VND; unknown totals never match', async () => {
      const unknown = world.projects.filter((p) => p.total === null).map((p) => p.code);
      expect(unknown.length).toBeGreaterThan(0);
      for (const filter of [
        { minInvestment: '1000000000000' },
        { maxInvestment: '100000000000' },
        { minInvestment: '50000000000', maxInvestment: '500000000000.5' },
      ]) {
        const codes = await expectFilter(filter);
        for (const code of unknown) expect(codes).not.toContain(code);
      }
      const all = await rootCodes(t, { minInvestment: '0' });
      expect(all).toEqual(expectedCodes(world, { minInvestment: '0' }));
      expect(all.length).toBe(world.projects.length - unknown.length);
    });

    it('minInvestment and maxInvestment include a project whose total equals the bound', async () => {
      const known = world.projects.filter((p) => p.total !== null && p.total % 100n === 0n);
      const amount = (known[7].total! / 100n).toString();
      const codes = await expectFilter({ minInvestment: amount, maxInvestment: amount });
      expect(codes).toContain(known[7].code);
    });

    it('plannedCompletion includes both ends of the range, and either end may be open', async () => {
      await expectFilter({ plannedCompletion: { from: '2027-01-01', to: '2028-12-31' } });
      await expectFilter({ plannedCompletion: { from: '2030-01-01' } });
      await expectFilter({ plannedCompletion: { to: '2026-06-30' } });
      const shared = world.projects
        .map((p) => p.plannedCompletion)
        .find((d, i, all) => d !== null && all.indexOf(d) !== i)!;
      const onDay = await expectFilter({ plannedCompletion: { from: shared, to: shared } });
      expect(onDay.length).toBeGreaterThanOrEqual(2);
      const unknown = world.projects.filter((p) => p.plannedCompletion === null).map((p) => p.code);
      expect(unknown.length).toBeGreaterThan(0);
      const open = await rootCodes(t, { plannedCompletion: {} });
      expect(open).toEqual(expectedCodes(world, { plannedCompletion: {} }));
      for (const code of unknown) expect(open).not.toContain(code);
    });

    it('updatedSince selects projects changed at or after the instant', async () => {
      const instants = [...new Set(world.projects.map((p) => p.updatedUs))].sort((a, b) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      expect(instants.length).toBeGreaterThanOrEqual(2);
      const latest = instants[instants.length - 1];
      await expectFilter({ updatedSince: usToIso(latest) });
      expect(await rootCodes(t, { updatedSince: usToIso(instants[0]) })).toEqual(expectedCodes(world, {}));
      expect(await rootCodes(t, { updatedSince: '2199-01-01T00:00:00Z' })).toEqual([]);
      expect(await rootCodes(t, { updatedSince: '2000-01-01T07:00:00+07:00' })).toEqual(expectedCodes(world, {}));
    });

    it('updatedSince does not select a project changed a fraction of a millisecond before the instant', async () => {
      const db = t.app.database.db;
      const probe = world.projects.find((p) => p.code.startsWith('SYN-'))!;
      const [before] = await queryRows<{ updated_at: string }>(
        db,
        sql`select updated_at::text as updated_at from projects where id = ${probe.id}`,
      );
      try {
        await queryRows(
          db,
          sql`update projects set updated_at = '2099-01-01 00:00:00.000400+00' where id = ${probe.id}`,
        );
        // Changed at .000400; asked for changes at or after .000800: it changed before, so it must not match.
        expect(await rootCodes(t, { updatedSince: '2099-01-01T00:00:00.000400Z' })).toEqual([probe.code]);
        expect(await rootCodes(t, { updatedSince: '2099-01-01T00:00:00.000800Z' })).toEqual([]);
      } finally {
        await queryRows(
          db,
          sql`update projects set updated_at = cast(${before.updated_at} as timestamptz) where id = ${probe.id}`,
        );
      }
    });
  });

  describe('search', () => {
    const DALN = 'BD-RAIL-DALN';

    it.each(['loc ninh', 'Lộc Ninh', 'LOC NINH', 'lỘc   NINH'])(
      '%j finds the Dĩ An–Lộc Ninh railway and exactly the projects holding every word',
      async (search) => {
        const codes = await expectFilter({ search });
        expect(codes).toContain(DALN);
      },
    );

    it('gives the same projects for "loc ninh", "Lộc Ninh" and "LOC NINH"', async () => {
      const a = await rootCodes(t, { search: 'loc ninh' });
      expect(await rootCodes(t, { search: 'Lộc Ninh' })).toEqual(a);
      expect(await rootCodes(t, { search: 'LOC NINH' })).toEqual(a);
    });

    it('"duong sat" finds every project whose text says "đường sắt"', async () => {
      const codes = await expectFilter({ search: 'duong sat' });
      const written = world.projects.filter((p) => p.raw.toLowerCase().includes('đường sắt')).map((p) => p.code);
      expect(written.length).toBeGreaterThan(0);
      expect(written).toContain(DALN);
      for (const code of written) expect(codes).toContain(code);
    });

    it('searches the English name, the description and the location names', async () => {
      await expectFilter({ search: 'railway' });
      await expectFilter({ search: 'wastewater treatment' });
      await expectFilter({ search: 'Tỉnh Thủ Dầu Một' });
      await expectFilter({ search: 'SYN-PRJ-000042' });
    });

    it('a word that occurs nowhere gives totalCount 0', async () => {
      const response = dataOf(
        await t.query(`{ projects(filter: { search: "zzqxvw" }) { totalCount nodes { code } } }`),
      );
      expect(response.projects).toEqual({ totalCount: 0, nodes: [] });
      expect(expectedCodes(world, { search: 'zzqxvw' })).toEqual([]);
      expect(
        dataOf(await t.query(`{ projects(filter: { search: "loc ninh zzqxvw" }) { totalCount } }`)).projects.totalCount,
      ).toBe(0);
    });

    it('never matches a project lacking one of the words, however many words the search has', async () => {
      // Twelve words that all occur in the Dĩ An–Lộc Ninh railway's text, then one that occurs nowhere.
      const search = 'tuyen duong sat bau bang an binh loc ninh railway binh duong zzqxvw';
      expect(expectedCodes(world, { search: search.replace(' zzqxvw', '') })).toContain(DALN);
      const response = await t.query(
        `query($filter: ProjectFilter) { projects(filter: $filter) { totalCount nodes { code } } }`,
        { filter: { search } },
      );
      if (response.body.errors) {
        expect(response.body.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
      } else {
        expect(response.body.data.projects).toEqual({ totalCount: 0, nodes: [] });
      }
    });

    it('takes LIKE wildcards and the escape character literally: "%" finds only texts with a %, "_" only texts with an _', async () => {
      const percent = await expectFilter({ search: '%' });
      expect(percent).toEqual(
        world.projects
          .filter((p) => p.raw.includes('%'))
          .map((p) => p.code)
          .sort(byteOrder),
      );
      expect(percent).toContain('BD-FLOOD-SUOICAI');
      expect(percent).toContain(fixtureCode);
      const underscore = await expectFilter({ search: '_' });
      expect(underscore).toEqual([fixtureCode]);
      expect(await rootCodes(t, { search: '100%' })).toEqual([fixtureCode]);
      expect(await rootCodes(t, { search: 'KT_01' })).toEqual([fixtureCode]);
      expect(await rootCodes(t, { search: 'KTx01' })).toEqual([]);
      expect(await rootCodes(t, { search: '1%0' })).toEqual([]);
      const backslash = await expectFilter({ search: '\\' });
      expect(backslash).toEqual([fixtureCode]);
      expect(await rootCodes(t, { search: '\\KT\\' })).toEqual([fixtureCode]);
      expect(await rootCodes(t, { search: 'K\\T' })).toEqual([]);
    });

    it('without orderBy, comes most relevant first: the first result contains the whole phrase', async () => {
      for (const search of ['loc ninh', 'duong sat', 'Thủ Dầu Một']) {
        const data = dataOf(
          await t.query(
            `query($s: String) { projects(filter: { search: $s }, first: 5) { totalCount nodes { code } } }`,
            { s: search },
          ),
        );
        const first = world.projects.find((p) => p.code === data.projects.nodes[0].code)!;
        expect({ search, contains: first.doc.includes(fold(search)) }).toEqual({ search, contains: true });
        expect(data.projects.totalCount).toBe(expectedCodes(world, { search }).length);
      }
    });
  });

  describe('combinations', () => {
    it('ANDs the fields of one filter', async () => {
      await expectFilter({
        sector: ['TRANSPORT_ROAD', 'TRANSPORT_URBAN'],
        status: ['UNDER_CONSTRUCTION', 'APPROVED'],
        minInvestment: '100000000000',
      });
      await expectFilter({
        financier: ['World Bank', 'JICA'],
        search: 'lộc ninh',
        plannedCompletion: { to: '2032-12-31' },
      });
      await expectFilter({
        agency: ['BD.SGTVT'],
        includeSuccessors: true,
        type: ['CONSTRUCTION'],
        maxInvestment: '20000000000000',
      });
    });

    it('ANDs fundingSource, planCode and taskCode with other fields', async () => {
      await expectFilter({
        fundingSource: ['ODA'],
        planCode: ['SYN-PLAN-001'],
        search: 'lộc ninh',
        plannedCompletion: { to: '2032-12-31' },
      });
      await expectFilter({
        agency: ['BD.SGTVT'],
        includeSuccessors: true,
        type: ['CONSTRUCTION'],
        taskCode: ['II.4.b.1', 'II.4.b.2'],
      });
      await expectFilter({
        or: [{ fundingSource: ['PPP'] }, { not: { planCode: ['SYN-PLAN-002'] } }],
        status: ['COMPLETED'],
      });
    });

    it('or matches any of its filters', async () => {
      await expectFilter({ or: [{ status: ['PLANNED'] }, { sector: ['TRANSPORT_RAIL'] }] });
      await expectFilter({
        or: [{ minInvestment: '5000000000000' }, { financier: ['JICA'] }, { search: 'bệnh viện' }],
      });
    });

    it('not excludes what its filter matches, and keeps unknown values that its filter cannot match', async () => {
      await expectFilter({ not: { status: ['UNDER_CONSTRUCTION'] } });
      const codes = await expectFilter({ not: { minInvestment: '100000000000' } });
      for (const p of world.projects.filter((x) => x.total === null)) expect(codes).toContain(p.code);
      await expectFilter({
        sector: ['WATER_AND_WASTE'],
        not: { financier: ['Ngân sách tỉnh Lộc Ninh', 'Ngân sách tỉnh Thủ Dầu Một'] },
      });
    });

    it('nests and, or and not', async () => {
      await expectFilter({
        and: [
          { or: [{ sector: ['TRANSPORT_ROAD'] }, { financier: ['World Bank', 'KfW', 'AFD'] }] },
          { not: { or: [{ status: ['CANCELLED', 'SUSPENDED'] }, { maxInvestment: '50000000000' }] } },
        ],
      });
      await expectFilter({
        or: [
          { and: [{ agency: ['SYN-P02.UBND'] }, { not: { plannedCompletion: { from: '2030-01-01' } } }] },
          { and: [{ search: 'railway' }, { not: { not: { status: ['PREPARATION', 'PLANNED'] } } }] },
        ],
      });
      await expectFilter(nestedNot(5), { nonEmpty: false });
      expect(await rootCodes(t, nestedNot(4))).toEqual(expectedCodes(world, nestedNot(4)));
    });

    it('empty lists match nothing', async () => {
      for (const field of [
        'status',
        'sector',
        'type',
        'fundingSource',
        'financier',
        'agency',
        'planCode',
        'taskCode',
        'or',
      ]) {
        const data = dataOf(
          await t.query(`query($f: ProjectFilter) { projects(filter: $f) { totalCount nodes { code } } }`, {
            f: { [field]: [] },
          }),
        );
        expect({ field, projects: data.projects }).toEqual({ field, projects: { totalCount: 0, nodes: [] } });
      }
    });
  });

  describe('scoped to a parent', () => {
    it("Plan.projects applies the filter to the plan's projects only", async () => {
      const plan = [...world.plans.values()].find((p) => p.code === 'SYN-PLAN-001')!;
      const inPlan = (p: Project) => p.taskIds.some((id) => world.tasks.get(id)!.planId === plan.id);
      for (const filter of [
        { sector: ['TRANSPORT_ROAD', 'WATER_AND_WASTE'] },
        { search: 'loc ninh', status: ['UNDER_CONSTRUCTION', 'COMPLETED'] },
        { not: { financier: ['World Bank', 'JICA', 'ADB'] } },
      ]) {
        const expected = expectedCodes(world, filter, inPlan);
        expect(expected.length).toBeGreaterThan(0);
        const query = `query(${VARS}) { plan(code: "SYN-PLAN-001") { projects(${ARGS}) { ${PAGE} } } }`;
        expect(await allCodes(t, query, { filter }, (d) => d.plan.projects)).toEqual(expected);
      }
    });

    it("PlanTask.projects applies the filter to the task's projects only", async () => {
      // The synthetic plan's busiest task.
      const plan1 = [...world.plans.values()].find((p) => p.code === 'SYN-PLAN-001')!;
      const load = (id: number) => world.projects.filter((p) => p.taskIds.includes(id)).length;
      const busiest = [...world.tasks.values()]
        .filter((x) => x.planId === plan1.id)
        .sort((a, b) => load(b.id) - load(a.id))[0];
      expect(load(busiest.id)).toBeGreaterThanOrEqual(3);
      const cases: [string, string, any][] = [
        ['6408/KH-UBND', 'II.4.b.1', { sector: ['TRANSPORT_RAIL'] }],
        [
          '6408/KH-UBND',
          'II.4.c.1',
          { or: [{ financier: ['Asian Development Bank (ADB) and JICA (co-financing loans)'] }, { search: 'metro' }] },
        ],
        ['SYN-PLAN-001', busiest.code, { not: { status: ['CANCELLED'] } }],
      ];
      for (const [planCode, taskCode, filter] of cases) {
        const task = [...world.tasks.values()].find(
          (x) => x.code === taskCode && world.plans.get(x.planId)!.code === planCode,
        )!;
        const expected = expectedCodes(world, filter, (p) => p.taskIds.includes(task.id));
        expect(expected.length).toBeGreaterThan(0);
        const query = `query(${VARS}, $plan: String!, $task: String!) { plan(code: $plan) { task(code: $task) { projects(${ARGS}) { ${PAGE} } } } }`;
        expect(
          await allCodes(t, query, { filter, plan: planCode, task: taskCode }, (d) => d.plan.task.projects),
        ).toEqual(expected);
      }
    });

    it("Agency.projects applies the filter to the agency's own projects only (no successors)", async () => {
      for (const [code, filter] of [
        ['BD.SXD', { sector: ['TRANSPORT_URBAN', 'WATER_AND_WASTE', 'NATURAL_RESOURCES_FLOOD_PROTECTION'] }],
        ['SYN-P01.BQLDA', { minInvestment: '100000000000' }],
        ['SYN-P02.SXD', { or: [{ status: ['COMPLETED'] }, { search: 'nước' }] }],
      ] as [string, any][]) {
        const id = world.agencyByCode.get(code)!;
        const expected = expectedCodes(world, filter, (p) => linkedAgencies(world, p).has(id));
        expect(expected.length).toBeGreaterThan(0);
        const query = `query(${VARS}, $code: String!) { agency(code: $code) { projects(${ARGS}) { ${PAGE} } } }`;
        expect(await allCodes(t, query, { filter, code }, (d) => d.agency.projects)).toEqual(expected);
      }
    });
  });

  describe('refused input', () => {
    const QUERY = `query($f: ProjectFilter) { projects(filter: $f) { totalCount nodes { code } } }`;

    it('refuses a list of 101 values, naming the limit of 100', async () => {
      const many = Array.from({ length: 101 }, (_, i) => `CODE-${i}`);
      expectBadUserInput(await t.query(QUERY, { f: { fundingSource: many } }), /fundingSource.*101.*100/);
      expectBadUserInput(await t.query(QUERY, { f: { planCode: many } }), /planCode.*101.*100/);
      expectBadUserInput(
        await t.query(QUERY, { f: { or: many.map(() => ({ status: ['PLANNED'] })) } }),
        /or.*101.*100/,
      );
      expect(dataOf(await t.query(QUERY, { f: { financier: many.slice(0, 100) } })).projects.totalCount).toBe(0);
    });

    it('refuses a search of 201 characters and takes one of 200', async () => {
      expectBadUserInput(await t.query(QUERY, { f: { search: 'a'.repeat(201) } }), /search.*200/);
      expect(dataOf(await t.query(QUERY, { f: { search: 'a'.repeat(200) } })).projects.totalCount).toBe(0);
    });

    it('refuses filters nested 6 deep and takes 5', async () => {
      expectBadUserInput(await t.query(QUERY, { f: nestedNot(6) }), /5 levels/);
      let deepAnd: any = { status: ['PLANNED'] };
      for (let i = 0; i < 6; i++) deepAnd = { and: [deepAnd] };
      expectBadUserInput(await t.query(QUERY, { f: deepAnd }), /5 levels/);
      expect(dataOf(await t.query(QUERY, { f: nestedNot(5) })).projects.totalCount).toBe(
        expectedCodes(world, nestedNot(5)).length,
      );
    });

    it('refuses includeSuccessors without agency', async () => {
      expectBadUserInput(await t.query(QUERY, { f: { includeSuccessors: true } }), /includeSuccessors.*agency/);
      expectBadUserInput(
        await t.query(QUERY, { f: { includeSuccessors: false, status: ['PLANNED'] } }),
        /includeSuccessors.*agency/,
      );
    });

    it('refuses a plannedCompletion range whose from is after its to', async () => {
      expectBadUserInput(
        await t.query(QUERY, { f: { plannedCompletion: { from: '2030-01-02', to: '2030-01-01' } } }),
        /from.*after.*to/,
      );
    });

    it('refuses an updatedSince on a day that does not exist (30 February, 29 February 2025, year 0)', async () => {
      for (const updatedSince of ['2025-02-30T00:00:00Z', '2025-02-29T12:00:00+07:00', '0000-01-01T00:00:00Z']) {
        expectBadUserInput(await t.query(QUERY, { f: { updatedSince } }), /DateTime/);
      }
      expect(
        dataOf(await t.query(QUERY, { f: { updatedSince: '2024-02-29T12:00:00+07:00' } })).projects.totalCount,
      ).toBe(world.projects.length);
    });

    it('refuses an invalid Decimal', async () => {
      expectBadUserInput(await t.query(QUERY, { f: { minInvestment: '12abc' } }), /Decimal/);
      expectBadUserInput(await t.query(QUERY, { f: { maxInvestment: '1e9' } }), /Decimal/);
    });

    it('refuses an invalid status value with an error code and no data', async () => {
      for (const response of [
        await t.query(QUERY, { f: { status: ['BUILDING'] } }),
        await t.query(`{ projects(filter: { status: [BUILDING] }) { totalCount } }`),
      ]) {
        expect(response.body.errors?.length).toBeGreaterThan(0);
        expect(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(response.body.errors![0].extensions?.code);
        expect(response.body.data ?? null).toBeNull();
      }
    });

    it.each(['search', 'financier', 'agency', 'planCode', 'taskCode'])(
      'treats SQL in %s as plain text: no match, and the projects table keeps every row',
      async (field) => {
        const attacks = [
          `'; drop table projects; --`,
          `x' or '1'='1`,
          `%' or 1=1 --`,
          `\\'; delete from projects where ''='`,
          `"); drop table projects; --`,
        ];
        for (const attack of attacks) {
          const f = { [field]: field === 'search' ? attack : [attack] };
          const response = await t.query(QUERY, { f });
          expect({ attack, data: dataOf(response).projects }).toEqual({ attack, data: { totalCount: 0, nodes: [] } });
        }
        const [{ n }] = await queryRows<{ n: number }>(t.app.database.db, sql`select count(*)::int as n from projects`);
        expect(Number(n)).toBe(world.projects.length);
        expect(await rootCodes(t, null)).toEqual(expectedCodes(world, {}));
      },
    );
  });
});
