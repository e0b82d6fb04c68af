import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataOf, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Projects, their funding and funding mixes, checked against seeds/data/projects.json. Every VND figure the test
 * expects is computed here with BigInt arithmetic on the seed's decimal strings, never with floats.
 */

const repoRoot = path.resolve(__dirname, '../..');
const readJson = (file: string): any =>
  JSON.parse(readFileSync(path.join(repoRoot, 'seeds/data', file), 'utf8').normalize('NFC'));

const seedProjects: any[] = readJson('projects.json');
const seedFundingSources: any[] = readJson('funding-sources.json');
const seedPlan = readJson('plan-6408-KH-UBND.json');

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Task codes in document order, derived from the plan seed. */
const taskOrder: string[] = [];
(function walk(sections: any[]) {
  for (const s of sections) {
    (s.tasks ?? []).forEach((_: unknown, i: number) => taskOrder.push(`${s.number}.${i + 1}`));
    walk(s.children ?? []);
  }
})(seedPlan.sections);

const OC4IDS: Record<string, string> = {
  PLANNED: 'identification',
  PREPARATION: 'preparation',
  APPROVED: 'preparation',
  UNDER_CONSTRUCTION: 'implementation',
  SUSPENDED: 'implementation',
  COMPLETED: 'completion',
  CANCELLED: 'cancelled',
};

// ---- Exact decimal arithmetic on strings (non-negative values only, as all seed money is). ----

interface Dec {
  n: bigint;
  scale: number;
}

function parseDec(text: string): Dec {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal: ${text}`);
  const [whole, fraction = ''] = text.split('.');
  return { n: BigInt(whole + fraction), scale: fraction.length };
}

const pow10 = (k: number) => 10n ** BigInt(k);

/** The decimal as the API prints it: no trailing fractional zeros, no trailing point. */
function formatDec({ n, scale }: Dec): string {
  const digits = n.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

const trimDec = (text: string) => formatDec(parseDec(text));

/** num / den rounded half up (both positive). */
function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  return 2n * (num % den) >= den ? q + 1n : q;
}

function addDec(a: string, b: string): string {
  const x = parseDec(a);
  const y = parseDec(b);
  const scale = Math.max(x.scale, y.scale);
  return formatDec({ n: x.n * pow10(scale - x.scale) + y.n * pow10(scale - y.scale), scale });
}

/** a × b rounded to 2 decimals (the đồng's two decimals). */
function mulRound2(a: string, b: string): string {
  const x = parseDec(a);
  const y = parseDec(b);
  const scale = x.scale + y.scale;
  const product = x.n * y.n;
  return scale <= 2
    ? formatDec({ n: product * pow10(2 - scale), scale: 2 })
    : formatDec({ n: divRound(product, pow10(scale - 2)), scale: 2 });
}

/** a / b rounded to 6 decimals. */
function ratio6(a: string, b: string): string {
  const x = parseDec(a);
  const y = parseDec(b);
  const scale = Math.max(x.scale, y.scale);
  const num = x.n * pow10(scale - x.scale);
  const den = y.n * pow10(scale - y.scale);
  return formatDec({ n: divRound(num * pow10(6), den), scale: 6 });
}

const compareDec = (a: string, b: string) => {
  const x = parseDec(a);
  const y = parseDec(b);
  const scale = Math.max(x.scale, y.scale);
  const d = x.n * pow10(scale - x.scale) - y.n * pow10(scale - y.scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/** The VND equivalent of a seed amount: the amount for VND, amount × rate rounded to 2 decimals otherwise. */
function vndOf(m: { amount: string | null; currency: string; rateToVnd?: string }): string | null {
  if (m.amount === null) return null;
  if (m.currency === 'VND') return trimDec(m.amount);
  return mulRound2(m.amount, m.rateToVnd!);
}

/** The funding mix of a set of seed projects, computed from the seed alone. Shares sorted by source code. */
function expectedMix(projects: any[]) {
  const allocations = projects.flatMap((p) => p.funding);
  const bySource = new Map<string, { amount: string; allocationCount: number; unknownCount: number }>();
  let total = '0';
  for (const a of allocations) {
    const entry = bySource.get(a.sourceCode) ?? { amount: '0', allocationCount: 0, unknownCount: 0 };
    const vnd = vndOf(a);
    entry.allocationCount += 1;
    if (vnd === null) entry.unknownCount += 1;
    else {
      entry.amount = addDec(entry.amount, vnd);
      total = addDec(total, vnd);
    }
    bySource.set(a.sourceCode, entry);
  }
  const unknown = allocations.filter((a) => vndOf(a) === null).length;
  return {
    total: { amount: total, currency: 'VND' },
    shares: [...bySource]
      .map(([code, e]) => ({
        source: { code },
        amount: { amount: e.amount, currency: 'VND' },
        share: compareDec(total, '0') > 0 ? ratio6(e.amount, total) : null,
        allocationCount: e.allocationCount,
        unknownCount: e.unknownCount,
      }))
      .sort((a, b) => byteOrder(a.source.code, b.source.code)),
    knownShare:
      allocations.length === 0 ? '0' : ratio6(String(allocations.length - unknown), String(allocations.length)),
    allocationCount: allocations.length,
    unknownCount: unknown,
  };
}

/** The API's mix with shares sorted by source code, for comparison with `expectedMix`. */
const sortedMix = (mix: any) => ({
  ...mix,
  shares: [...mix.shares].sort((a: any, b: any) => byteOrder(a.source.code, b.source.code)),
});

/** Shares come largest first. */
function expectLargestFirst(mix: any) {
  for (let i = 1; i < mix.shares.length; i++) {
    expect(compareDec(mix.shares[i - 1].amount.amount, mix.shares[i].amount.amount)).toBeGreaterThanOrEqual(0);
  }
}

/** Shares of a mix with a positive total add up to 1 within 0.000005. */
function expectSharesSumToOne(mix: any) {
  if (compareDec(mix.total.amount, '0') === 0) return;
  const sum = mix.shares.reduce((acc: string, s: any) => addDec(acc, s.share), '0');
  const diff = compareDec(sum, '1') >= 0 ? parseDec(sum) : parseDec('1');
  const other = compareDec(sum, '1') >= 0 ? parseDec('1') : parseDec(sum);
  const scale = Math.max(diff.scale, other.scale, 6);
  const delta = diff.n * pow10(scale - diff.scale) - other.n * pow10(scale - other.scale);
  expect(delta <= 5n * pow10(scale - 6)).toBe(true);
}

/** A citation as the API shows it, built from a seed source. */
const citation = (s: any) => ({
  url: s.url ?? null,
  quote: s.quote ?? null,
  title: s.title,
  supports: s.supports ?? null,
  document: s.documentCode ?? null,
});
const apiCitations = (list: any[]) => list.map((s) => ({ ...s, document: s.document?.code ?? null }));

const MIX = /* GraphQL */ `
  fragment Mix on FundingMix {
    total {
      amount
      currency
    }
    shares {
      source {
        code
      }
      amount {
        amount
        currency
      }
      share
      allocationCount
      unknownCount
    }
    knownShare
    allocationCount
    unknownCount
  }
`;

const SRC = /* GraphQL */ `
  fragment Src on SourceReference {
    url
    quote
    title
    supports
    document {
      code
    }
  }
`;

const PROJECTS_QUERY = /* GraphQL */ `
  query Projects {
    projects(first: 100) {
      totalCount
      pageInfo {
        hasNextPage
      }
      nodes {
        id
        code
        name
        nameEn
        description
        sector
        type
        status
        statusHistory {
          id
          status
          oc4idsStatus
          effectiveOn
          note
          sources {
            ...Src
          }
        }
        lengthKm
        locations {
          name
          level
          description
        }
        ownerAgency {
          code
        }
        tasks {
          code
        }
        plannedStart
        plannedCompletion
        totalInvestment {
          amount
          currency
        }
        totalInvestmentVnd
        funding {
          id
          source {
            code
          }
          financier
          amount {
            amount
            currency
          }
          currency
          rateToVnd
          rateDate
          amountVnd
          status
          fiscalYear
          note
          sources {
            ...Src
          }
        }
        fundingMix {
          ...Mix
        }
        sources {
          ...Src
        }
      }
    }
  }
  ${MIX}
  ${SRC}
`;

const DECIMAL_KEYS = new Set(['amountVnd', 'rateToVnd', 'share', 'knownShare', 'lengthKm', 'totalInvestmentVnd']);

/** Every money or decimal value anywhere in a response is a decimal string (or null), never a number. */
function expectDecimalsAreStrings(value: unknown, where = '$'): number {
  let checked = 0;
  if (Array.isArray(value)) {
    value.forEach((v, i) => (checked += expectDecimalsAreStrings(v, `${where}[${i}]`)));
    return checked;
  }
  if (value === null || typeof value !== 'object') return 0;
  for (const [key, v] of Object.entries(value)) {
    const isMoney = key === 'amount' && typeof v !== 'object';
    if (DECIMAL_KEYS.has(key) || isMoney) {
      if (v !== null) {
        expect({ where: `${where}.${key}`, type: typeof v }).toEqual({ where: `${where}.${key}`, type: 'string' });
        expect(v).toMatch(/^\d+(\.\d+)?$/);
        checked += 1;
      }
    } else {
      checked += expectDecimalsAreStrings(v, `${where}.${key}`);
    }
  }
  return checked;
}

describe('projects and their funding', () => {
  let t: TestApp;
  let projectsResponse: any;
  const api = new Map<string, any>();

  beforeAll(async () => {
    t = await startTestApp();
    projectsResponse = dataOf(await t.query(PROJECTS_QUERY));
    for (const p of projectsResponse.projects.nodes) api.set(p.code, p);
  });

  afterAll(async () => {
    await t?.stop();
  });

  const cases = seedProjects.map((p) => [p.code as string, p] as const);

  it('lists every seed project, in code order, under projects', () => {
    expect(projectsResponse.projects.totalCount).toBe(seedProjects.length);
    expect(projectsResponse.projects.nodes.map((p: any) => p.code)).toEqual(
      seedProjects.map((p) => p.code as string).sort(byteOrder),
    );
    expect(projectsResponse.projects.pageInfo.hasNextPage).toBe(false);
  });

  describe.each(cases)('%s', (code, seed) => {
    it("has the seed's name, sector, type, owner, length, planned dates, total investment and locations", () => {
      const p = api.get(code);
      expect(p).toBeDefined();
      expect({
        code: p.code,
        name: p.name,
        nameEn: p.nameEn,
        description: p.description,
        sector: p.sector,
        type: p.type,
        ownerAgency: p.ownerAgency,
        lengthKm: p.lengthKm,
        plannedStart: p.plannedStart,
        plannedCompletion: p.plannedCompletion,
        totalInvestment: p.totalInvestment,
        totalInvestmentVnd: p.totalInvestmentVnd,
        locations: p.locations,
      }).toEqual({
        code: seed.code,
        name: seed.name,
        nameEn: seed.nameEn,
        description: seed.description,
        sector: seed.sector,
        type: seed.type,
        ownerAgency: seed.ownerAgencyCode ? { code: seed.ownerAgencyCode } : null,
        lengthKm: seed.lengthKm === undefined ? null : trimDec(seed.lengthKm),
        plannedStart: seed.plannedStart ?? null,
        plannedCompletion: seed.plannedCompletion ?? null,
        totalInvestment:
          !seed.totalInvestment || seed.totalInvestment.amount === null
            ? null
            : { amount: trimDec(seed.totalInvestment.amount), currency: seed.totalInvestment.currency },
        totalInvestmentVnd: seed.totalInvestment ? vndOf(seed.totalInvestment) : null,
        locations: seed.locations.map((l: any) => ({
          name: l.name,
          level: l.level,
          description: l.description ?? null,
        })),
      });
    });

    it('has the last status-history entry as its status and the history in order with OC4IDS codes', () => {
      const p = api.get(code);
      const last = seed.statusHistory[seed.statusHistory.length - 1];
      expect(p.status).toBe(last.status);
      expect(
        p.statusHistory.map((h: any) => ({
          status: h.status,
          oc4idsStatus: h.oc4idsStatus,
          effectiveOn: h.effectiveOn,
          note: h.note,
        })),
      ).toEqual(
        seed.statusHistory.map((h: any) => ({
          status: h.status,
          oc4idsStatus: OC4IDS[h.status],
          effectiveOn: h.effectiveOn,
          note: h.note ?? null,
        })),
      );
    });

    it("carries out exactly the seed's tasks", () => {
      const p = api.get(code);
      const expected = [...seed.taskCodes].sort((a: string, b: string) => taskOrder.indexOf(a) - taskOrder.indexOf(b));
      expect(p.tasks.map((x: any) => x.code)).toEqual(expected);
    });

    it("has the seed's funding allocations with amountVnd = amount × rate rounded to 2 decimals", () => {
      const p = api.get(code);
      expect(
        p.funding.map((f: any) => ({
          source: f.source.code,
          financier: f.financier,
          amount: f.amount,
          currency: f.currency,
          rateToVnd: f.rateToVnd,
          rateDate: f.rateDate,
          amountVnd: f.amountVnd,
          status: f.status,
          fiscalYear: f.fiscalYear,
          note: f.note,
        })),
      ).toEqual(
        seed.funding.map((f: any) => ({
          source: f.sourceCode,
          financier: f.financier ?? null,
          amount: f.amount === null ? null : { amount: trimDec(f.amount), currency: f.currency },
          currency: f.currency,
          rateToVnd: f.currency === 'VND' || f.rateToVnd === undefined ? null : trimDec(f.rateToVnd),
          rateDate: f.currency === 'VND' ? null : (f.rateDate ?? null),
          amountVnd: vndOf(f),
          status: f.status,
          fiscalYear: f.fiscalYear ?? null,
          note: f.note ?? null,
        })),
      );
    });

    it("cites the seed's sources on the project, on every allocation and on every status change", () => {
      const p = api.get(code);
      expect(apiCitations(p.sources)).toEqual(seed.sources.map(citation));
      expect(p.funding.map((f: any) => apiCitations(f.sources))).toEqual(
        seed.funding.map((f: any) => f.sources.map(citation)),
      );
      expect(p.statusHistory.map((h: any) => apiCitations(h.sources))).toEqual(
        seed.statusHistory.map((h: any) => h.sources.map(citation)),
      );
    });

    it('has a funding mix that sums the known allocations in VND, with shares to six decimals, largest first', () => {
      const mix = api.get(code).fundingMix;
      expect(sortedMix(mix)).toEqual(expectedMix([seed]));
      expectLargestFirst(mix);
      expectSharesSumToOne(mix);
    });
  });

  it('prints lengthKm as a decimal string with trailing zeros trimmed ("72.75")', () => {
    expect(api.get('BD-ROAD-CT02-CTDH').lengthKm).toBe('72.75');
    expect(api.get('BD-RAIL-BBMB').lengthKm).toBe(
      trimDec(seedProjects.find((p) => p.code === 'BD-RAIL-BBMB').lengthKm),
    );
  });

  it('gives a null totalInvestment when the seed amount is unknown', () => {
    const unknown = seedProjects
      .filter((p) => p.totalInvestment && p.totalInvestment.amount === null)
      .map((p) => p.code);
    expect(unknown.length).toBeGreaterThan(0);
    for (const code of unknown)
      expect({ code, totalInvestment: api.get(code).totalInvestment }).toEqual({ code, totalInvestment: null });
  });

  it('mixes BD-METRO-1 from two known VND allocations: total 46725000000000, PROVINCIAL_BUDGET and LAND_VALUE_CAPTURE, knownShare "1"', () => {
    const seed = seedProjects.find((p) => p.code === 'BD-METRO-1');
    const [a, b] = seed.funding;
    const total = addDec(a.amount, b.amount);
    expect(total).toBe('46725000000000');
    const mix = api.get('BD-METRO-1').fundingMix;
    expect(mix.total).toEqual({ amount: '46725000000000', currency: 'VND' });
    expect(mix.knownShare).toBe('1');
    expect(mix.allocationCount).toBe(2);
    expect(mix.unknownCount).toBe(0);
    // Largest first: LAND_VALUE_CAPTURE (30000 bn) before PROVINCIAL_BUDGET (16725 bn).
    expect(mix.shares).toEqual([
      {
        source: { code: 'LAND_VALUE_CAPTURE' },
        amount: { amount: '30000000000000', currency: 'VND' },
        share: ratio6('30000000000000', total),
        allocationCount: 1,
        unknownCount: 0,
      },
      {
        source: { code: 'PROVINCIAL_BUDGET' },
        amount: { amount: '16725000000000', currency: 'VND' },
        share: ratio6('16725000000000', total),
        allocationCount: 1,
        unknownCount: 0,
      },
    ]);
    expect(mix.shares.map((s: any) => s.share)).toEqual(['0.642055', '0.357945']);
  });

  it('mixes BD-RR3 from two allocations of unknown amount: total "0", null shares, knownShare "0", unknownCount 2', () => {
    const mix = api.get('BD-RR3').fundingMix;
    expect(mix.total).toEqual({ amount: '0', currency: 'VND' });
    expect(mix.knownShare).toBe('0');
    expect(mix.allocationCount).toBe(2);
    expect(mix.unknownCount).toBe(2);
    expect(sortedMix(mix).shares).toEqual([
      {
        source: { code: 'CENTRAL_BUDGET' },
        amount: { amount: '0', currency: 'VND' },
        share: null,
        allocationCount: 1,
        unknownCount: 1,
      },
      {
        source: { code: 'PROVINCIAL_BUDGET' },
        amount: { amount: '0', currency: 'VND' },
        share: null,
        allocationCount: 1,
        unknownCount: 1,
      },
    ]);
  });

  it("mixes currencies in BD-JICA-BRT and BD-WB-WATER as the sum of the allocations' VND equivalents", () => {
    // JICA: JPY 6,300,000,000 × 174.60 + VND 700,000,000,000.
    const jicaOda = mulRound2('6300000000', '174.60');
    expect(jicaOda).toBe('1099980000000');
    const jica = api.get('BD-JICA-BRT');
    expect(jica.funding.find((f: any) => f.currency === 'JPY').amountVnd).toBe(jicaOda);
    expect(jica.fundingMix.total).toEqual({ amount: addDec(jicaOda, '700000000000'), currency: 'VND' });
    expect(jica.fundingMix.total.amount).toBe('1799980000000');

    // World Bank: USD 230,763,000 and USD 80,000,000, both at 24,211.40.
    const wb = api.get('BD-WB-WATER');
    const oda = mulRound2('230763000', '24211.40');
    const counterpart = mulRound2('80000000', '24211.40');
    expect(wb.funding.map((f: any) => f.amountVnd)).toEqual([oda, counterpart]);
    expect(wb.fundingMix.total.amount).toBe(addDec(oda, counterpart));
    expect(wb.fundingMix.shares.map((s: any) => s.source.code)).toEqual(['ODA', 'PROVINCIAL_BUDGET']);
    expect(wb.fundingMix.knownShare).toBe('1');
    expect(wb.totalInvestmentVnd).toBe(mulRound2('311000000', '24211.40'));
  });

  it('mixes BD-RAIL-DALN, which has no allocations, as total "0", no shares, knownShare "0", allocationCount 0', () => {
    expect(seedProjects.find((p) => p.code === 'BD-RAIL-DALN').funding).toEqual([]);
    expect(api.get('BD-RAIL-DALN').funding).toEqual([]);
    expect(api.get('BD-RAIL-DALN').fundingMix).toEqual({
      total: { amount: '0', currency: 'VND' },
      shares: [],
      knownShare: '0',
      allocationCount: 0,
      unknownCount: 0,
    });
  });

  it('gives PlanTask.fundingMix of II.4.b.1 the sum over its linked projects', async () => {
    const linked = seedProjects.filter((p) => p.taskCodes.includes('II.4.b.1'));
    expect(linked.length).toBeGreaterThan(1);
    const data = dataOf(
      await t.query(`{ plan(code: "6408/KH-UBND") { task(code: "II.4.b.1") { fundingMix { ...Mix } } } } ${MIX}`),
    );
    const mix = data.plan.task.fundingMix;
    expect(sortedMix(mix)).toEqual(expectedMix(linked));
    expectLargestFirst(mix);
    expectSharesSumToOne(mix);
  });

  it('gives every task a funding mix in which each linked project counts in full', async () => {
    const data = dataOf(
      await t.query(
        `{ plan(code: "6408/KH-UBND") { tasks(first: 100) { nodes { code fundingMix { ...Mix } } } } } ${MIX}`,
      ),
    );
    expect(data.plan.tasks.nodes.map((x: any) => x.code)).toEqual(taskOrder);
    for (const task of data.plan.tasks.nodes) {
      const linked = seedProjects.filter((p) => p.taskCodes.includes(task.code));
      expect({ task: task.code, mix: sortedMix(task.fundingMix) }).toEqual({
        task: task.code,
        mix: expectedMix(linked),
      });
      expectLargestFirst(task.fundingMix);
      expectSharesSumToOne(task.fundingMix);
    }
  });

  it('gives Plan.fundingMix with each project counted once even when it serves several tasks', async () => {
    const linked = seedProjects.filter((p) => p.taskCodes.length > 0);
    expect(linked.some((p) => p.taskCodes.length > 1 && p.funding.some((f: any) => f.amount !== null))).toBe(true);
    const data = dataOf(await t.query(`{ plan(code: "6408/KH-UBND") { fundingMix { ...Mix } } } ${MIX}`));
    const mix = data.plan.fundingMix;
    expect(sortedMix(mix)).toEqual(expectedMix(linked));
    // Counting per task instead would double BD-ROAD-CT02-CTDH, BD-METRO-1, BD-WB-WATER and BD-JICA-BRT.
    expect(mix.allocationCount).toBe(linked.reduce((n, p) => n + p.funding.length, 0));
    expectLargestFirst(mix);
    expectSharesSumToOne(mix);
  });

  it('gives money and shares as decimal strings, never numbers', async () => {
    expect(expectDecimalsAreStrings(projectsResponse)).toBeGreaterThan(50);
    const data = dataOf(
      await t.query(
        `{ plan(code: "6408/KH-UBND") { fundingMix { ...Mix } tasks(first: 100) { nodes { fundingMix { ...Mix } } } } } ${MIX}`,
      ),
    );
    expect(expectDecimalsAreStrings(data)).toBeGreaterThan(10);
  });

  it('lists the seven funding sources of funding-sources.json in their fixed order', async () => {
    const data = dataOf(await t.query(`{ fundingSources { code nameVi nameEn category description } }`));
    expect(data.fundingSources.map((s: any) => s.code)).toEqual([
      'ODA',
      'CENTRAL_BUDGET',
      'PROVINCIAL_BUDGET',
      'PPP',
      'LAND_VALUE_CAPTURE',
      'PRIVATE',
      'OTHER',
    ]);
    expect(data.fundingSources).toEqual(
      seedFundingSources.map((s) => ({
        code: s.code,
        nameVi: s.nameVi,
        nameEn: s.nameEn,
        category: s.category,
        description: s.description ?? null,
      })),
    );
  });

  it('lists under PlanTask.projects of II.4.b.2 exactly the seed projects linked to it, in code order', async () => {
    const data = dataOf(
      await t.query(
        `{ plan(code: "6408/KH-UBND") { task(code: "II.4.b.2") { projects(first: 100) { totalCount nodes { code } } } } }`,
      ),
    );
    const expected = seedProjects
      .filter((p) => p.taskCodes.includes('II.4.b.2'))
      .map((p) => p.code as string)
      .sort(byteOrder);
    expect(expected).toEqual(['BD-METRO-1', 'BD-RAIL-BBMB', 'BD-RAIL-DALN', 'BD-ROAD-CT02-CTDH']);
    expect(data.plan.task.projects).toEqual({ totalCount: expected.length, nodes: expected.map((code) => ({ code })) });
  });

  it("lists under every task's projects exactly the seed projects linked to it", async () => {
    const data = dataOf(
      await t.query(
        `{ plan(code: "6408/KH-UBND") { tasks(first: 100) { nodes { code projects(first: 100) { totalCount nodes { code } } } } } }`,
      ),
    );
    for (const task of data.plan.tasks.nodes) {
      const expected = seedProjects
        .filter((p) => p.taskCodes.includes(task.code))
        .map((p) => p.code as string)
        .sort(byteOrder);
      expect({
        task: task.code,
        totalCount: task.projects.totalCount,
        codes: task.projects.nodes.map((p: any) => p.code),
      }).toEqual({
        task: task.code,
        totalCount: expected.length,
        codes: expected,
      });
    }
  });

  it('finds each project by code with project(code:), and answers null for an unknown code', async () => {
    for (const seed of seedProjects) {
      const data = dataOf(await t.query(`query($c: String!) { project(code: $c) { id code name } }`, { c: seed.code }));
      expect(data.project).toEqual({ id: api.get(seed.code).id, code: seed.code, name: seed.name });
    }
    expect(dataOf(await t.query(`{ project(code: "BD-NOPE") { code } }`))).toEqual({ project: null });
  });
});
