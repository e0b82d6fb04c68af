import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataOf, startTestApp, type TestApp } from '../helpers/test-app';

/** Agencies, their 2025 succession and their assignments, checked against the reviewed seed files. */

const repoRoot = path.resolve(__dirname, '../..');
const readJson = (file: string): any =>
  JSON.parse(readFileSync(path.join(repoRoot, 'seeds/data', file), 'utf8').normalize('NFC'));

const seedAgencies: any[] = readJson('agencies.json');
const seedSuccessions: any[] = readJson('agency-successions.json');
const seedProjects: any[] = readJson('projects.json');

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A source as a citation shows it; the seed lists each citation once per (source, figure). */
const citation = (s: any) => ({
  url: s.url ?? null,
  quote: s.quote ?? null,
  title: s.title,
  supports: s.supports ?? null,
  document: s.documentCode ?? null,
});

/** The agency holding an agency's duties today per agency-successions.json: follow the latest successor. */
function seedCurrent(code: string): string {
  let current = code;
  for (let step = 0; step < 50; step++) {
    const next = seedSuccessions
      .filter((s) => s.predecessorCode === current)
      .sort((a, b) => byteOrder(b.effectiveOn, a.effectiveOn))[0];
    if (!next) return current;
    current = next.successorCode;
  }
  return current;
}

const SUCCESSION_FIELDS = /* GraphQL */ `
  fragment SuccessionFields on AgencySuccession {
    agency {
      code
    }
    kind
    effectiveOn
    dateInferred
    reason
    note
    document {
      code
      issuedOn
    }
    sources {
      url
      quote
      title
      supports
      document {
        code
      }
    }
  }
`;

const AGENCY_QUERY = /* GraphQL */ `
  query Agency($code: String!) {
    agency(code: $code) {
      id
      code
      name
      nameEn
      kind
      jurisdiction
      jurisdictionCode
      validFrom
      validTo
      current {
        code
      }
      successors {
        ...SuccessionFields
      }
      predecessors {
        ...SuccessionFields
      }
    }
  }
  ${SUCCESSION_FIELDS}
`;

const ASSIGNMENTS_QUERY = /* GraphQL */ `
  query Assignments($code: String!) {
    agency(code: $code) {
      assignments(first: 100) {
        totalCount
        pageInfo {
          hasNextPage
        }
        nodes {
          role
          task {
            code
          }
          section {
            number
          }
        }
      }
    }
  }
`;

describe('agencies and their succession', () => {
  let t: TestApp;
  const agency = async (code: string) => dataOf(await t.query(AGENCY_QUERY, { code })).agency;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('gives BD.SGTVT one successor: BD.SXD by MERGER on 2025-03-01, date inferred, with its document and sourced URLs', async () => {
    const sgtvt = await agency('BD.SGTVT');
    const seed = seedSuccessions.find((s) => s.predecessorCode === 'BD.SGTVT');
    expect(seed.successorCode).toBe('BD.SXD');
    expect(sgtvt.successors).toHaveLength(1);
    const [step] = sgtvt.successors;
    expect(step).toMatchObject({
      agency: { code: 'BD.SXD' },
      kind: 'MERGER',
      effectiveOn: '2025-03-01',
      dateInferred: true,
      reason: seed.reason,
    });
    expect(step.document).toEqual({ code: 'HĐND-BD-2025-02-26', issuedOn: '2025-02-26' });
    expect(step.document.code).toBe(seed.documentCode);
    const urls = step.sources
      .map((s: any) => s.url)
      .filter((u: any) => typeof u === 'string' && /^https?:\/\//.test(u));
    expect(urls.length).toBeGreaterThanOrEqual(1);
    expect(step.sources.map((s: any) => ({ ...s, document: s.document?.code ?? null }))).toEqual(
      seed.sources.map(citation),
    );
  });

  it('gives BD.SXD one successor: HCM.SXD by TRANSFER on 2025-07-01 under resolution 202/2025/QH15', async () => {
    const sxd = await agency('BD.SXD');
    expect(sxd.successors).toHaveLength(1);
    expect(sxd.successors[0]).toMatchObject({
      agency: { code: 'HCM.SXD' },
      kind: 'TRANSFER',
      effectiveOn: '2025-07-01',
      dateInferred: false,
      document: { code: '202/2025/QH15', issuedOn: '2025-06-12' },
    });
    const seed = seedSuccessions.find((s) => s.predecessorCode === 'BD.SXD');
    expect(sxd.successors[0].sources.map((s: any) => ({ ...s, document: s.document?.code ?? null }))).toEqual(
      seed.sources.map(citation),
    );
  });

  it('follows the chain to today: BD.SGTVT and BD.SXD are now HCM.SXD, and HCM.SXD is itself', async () => {
    expect((await agency('BD.SGTVT')).current).toEqual({ code: 'HCM.SXD' });
    expect((await agency('BD.SXD')).current).toEqual({ code: 'HCM.SXD' });
    const hcm = await agency('HCM.SXD');
    expect(hcm.current).toEqual({ code: 'HCM.SXD' });
    expect(hcm.successors).toEqual([]);
  });

  it('lists predecessors: HCM.SXD has BD.SXD and BD.SXD has BD.SGTVT', async () => {
    const hcm = await agency('HCM.SXD');
    expect(hcm.predecessors.map((p: any) => p.agency.code)).toContain('BD.SXD');
    expect(hcm.predecessors.map((p: any) => p.agency.code).sort()).toEqual(
      seedSuccessions
        .filter((s) => s.successorCode === 'HCM.SXD')
        .map((s) => s.predecessorCode)
        .sort(),
    );
    const sxd = await agency('BD.SXD');
    expect(sxd.predecessors.map((p: any) => p.agency.code)).toContain('BD.SGTVT');
    expect(sxd.predecessors.map((p: any) => p.agency.code).sort()).toEqual(
      seedSuccessions
        .filter((s) => s.successorCode === 'BD.SXD')
        .map((s) => s.predecessorCode)
        .sort(),
    );
    const fromSgtvt = sxd.predecessors.find((p: any) => p.agency.code === 'BD.SGTVT');
    expect(fromSgtvt).toMatchObject({ kind: 'MERGER', effectiveOn: '2025-03-01', dateInferred: true });
  });

  it('records every other March 2025 merger of agency-successions.json with its successor and date', async () => {
    const march = seedSuccessions.filter(
      (s) => s.effectiveOn.startsWith('2025-03') && s.predecessorCode !== 'BD.SGTVT',
    );
    expect(march.length).toBe(5);
    for (const seed of march) {
      const predecessor = await agency(seed.predecessorCode);
      const step = predecessor.successors.find((s: any) => s.agency.code === seed.successorCode);
      expect({ from: seed.predecessorCode, step }).toEqual({
        from: seed.predecessorCode,
        step: expect.objectContaining({
          agency: { code: seed.successorCode },
          kind: seed.kind,
          effectiveOn: seed.effectiveOn,
          dateInferred: seed.dateInferred,
          document: expect.objectContaining({ code: seed.documentCode }),
        }),
      });
      expect(step.kind).toBe('MERGER');
      const successor = await agency(seed.successorCode);
      expect(successor.predecessors.map((p: any) => p.agency.code)).toContain(seed.predecessorCode);
    }
  });

  it('gives BD.UBND the current agency HCM.UBND', async () => {
    const ubnd = await agency('BD.UBND');
    expect(ubnd.current).toEqual({ code: 'HCM.UBND' });
    expect(ubnd.successors).toEqual([
      expect.objectContaining({
        agency: { code: 'HCM.UBND' },
        kind: 'TRANSFER',
        effectiveOn: '2025-07-01',
        document: expect.objectContaining({ code: '202/2025/QH15' }),
      }),
    ]);
  });

  it('gives every agency of agencies.json the current agency its succession chain leads to', async () => {
    const data = dataOf(await t.query(`{ agencies(first: 100) { nodes { code current { code } } } }`));
    const actual = Object.fromEntries(data.agencies.nodes.map((a: any) => [a.code, a.current.code]));
    const expected = Object.fromEntries(seedAgencies.map((a) => [a.code, seedCurrent(a.code)]));
    expect(actual).toEqual(expected);
  });

  it('gives every agency its name, kind, jurisdiction and validity as agencies.json has them', async () => {
    const data = dataOf(
      await t.query(
        `{ agencies(first: 100) { nodes { code name nameEn kind jurisdiction jurisdictionCode validFrom validTo } } }`,
      ),
    );
    const byCode = new Map(data.agencies.nodes.map((a: any) => [a.code, a]));
    for (const seed of seedAgencies) {
      expect(byCode.get(seed.code)).toEqual({
        code: seed.code,
        name: seed.name,
        nameEn: seed.nameEn,
        kind: seed.kind,
        jurisdiction: seed.jurisdiction,
        jurisdictionCode: seed.jurisdictionCode,
        validFrom: seed.validFrom ?? null,
        validTo: seed.validTo ?? null,
      });
    }
  });

  it("lists BD.SGTVT's assignments: LEAD on II.4.b.1 and II.4.b.2 (totalCount 2)", async () => {
    const assignments = dataOf(await t.query(ASSIGNMENTS_QUERY, { code: 'BD.SGTVT' })).agency.assignments;
    expect(assignments.totalCount).toBe(2);
    expect(assignments.nodes).toEqual([
      { role: 'LEAD', task: { code: 'II.4.b.1' }, section: { number: 'II.4.b' } },
      { role: 'LEAD', task: { code: 'II.4.b.2' }, section: { number: 'II.4.b' } },
    ]);
  });

  it("lists BD.SXD's assignments in document order: COORDINATING II.3.a.*, LEAD II.4.c.*, IMPLEMENTING II.4.d.*", async () => {
    const assignments = dataOf(await t.query(ASSIGNMENTS_QUERY, { code: 'BD.SXD' })).agency.assignments;
    expect(assignments.nodes).toEqual([
      { role: 'COORDINATING', task: { code: 'II.3.a.1' }, section: { number: 'II.3.a' } },
      { role: 'COORDINATING', task: { code: 'II.3.a.2' }, section: { number: 'II.3.a' } },
      { role: 'COORDINATING', task: { code: 'II.3.a.3' }, section: { number: 'II.3.a' } },
      { role: 'LEAD', task: { code: 'II.4.c.1' }, section: { number: 'II.4.c' } },
      { role: 'LEAD', task: { code: 'II.4.c.2' }, section: { number: 'II.4.c' } },
      { role: 'IMPLEMENTING', task: { code: 'II.4.d.1' }, section: { number: 'II.4.d' } },
      { role: 'IMPLEMENTING', task: { code: 'II.4.d.2' }, section: { number: 'II.4.d' } },
    ]);
    expect(assignments.totalCount).toBe(7);
    expect(assignments.pageInfo.hasNextPage).toBe(false);
  });

  it('lists no task assignment for an agency the text names only in a section without tasks (BD.SYT in II.4.đ)', async () => {
    const assignments = dataOf(await t.query(ASSIGNMENTS_QUERY, { code: 'BD.SYT' })).agency.assignments;
    expect(assignments).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false }, nodes: [] });
  });

  it('counts every agency of agencies.json in agencies.totalCount and pages through them in code order', async () => {
    const expected = seedAgencies.map((a) => a.code as string).sort(byteOrder);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const data: any = dataOf(
        await t.query(
          `query($after: String) { agencies(first: 10, after: $after) { totalCount edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        ),
      );
      expect(data.agencies.totalCount).toBe(seedAgencies.length);
      seen.push(...data.agencies.edges.map((e: any) => e.node.code));
      if (!data.agencies.pageInfo.hasNextPage) break;
      after = data.agencies.pageInfo.endCursor;
    }
    expect(seedAgencies.length).toBe(41);
    expect(seen).toEqual(expected);
  });

  it('lists under Agency.projects the projects it owns or whose tasks the plan assigns to it, in code order', async () => {
    const query = `query($code: String!) { agency(code: $code) { projects(first: 100) { totalCount nodes { code } } } }`;
    // Which agencies the plan text assigns each task to: the nearest section naming agencies, as in the seed file.
    const seedPlan = readJson('plan-6408-KH-UBND.json');
    const assigned = new Map<string, Set<string>>();
    const walk = (sections: any[], inherited: string[]) => {
      for (const section of sections) {
        const named = (section.assignments ?? []).map((a: any) => a.agencyCode);
        const holders = named.length > 0 ? named : inherited;
        (section.tasks ?? []).forEach((_: unknown, i: number) =>
          assigned.set(`${section.number}.${i + 1}`, new Set(holders)),
        );
        walk(section.children ?? [], holders);
      }
    };
    walk(seedPlan.sections, []);
    const owners = [...new Set(seedProjects.map((p) => p.ownerAgencyCode).filter(Boolean))] as string[];
    expect(owners).toContain('BD.UBND');
    for (const code of [...owners, 'BD.SGTVT', 'BD.SXD', 'BD.SKHDT', 'HCM.SXD']) {
      const expected = seedProjects
        .filter((p) => p.ownerAgencyCode === code || p.taskCodes.some((task: string) => assigned.get(task)?.has(code)))
        .map((p) => p.code as string)
        .sort(byteOrder);
      const projects = dataOf(await t.query(query, { code })).agency.projects;
      expect({ agency: code, totalCount: projects.totalCount, codes: projects.nodes.map((p: any) => p.code) }).toEqual({
        agency: code,
        totalCount: expected.length,
        codes: expected,
      });
    }
    // The transport department leads II.4.b, so the railways and expressways serving it are its projects.
    const transport = dataOf(await t.query(query, { code: 'BD.SGTVT' })).agency.projects.nodes.map((p: any) => p.code);
    expect(transport).toEqual(expect.arrayContaining(['BD-RAIL-DALN', 'BD-RR4']));
  });

  it('answers null for an unknown agency code', async () => {
    expect(dataOf(await t.query(`{ agency(code: "BD.NOPE") { code } }`))).toEqual({ agency: null });
  });
});
