import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  addDec,
  ARCHIVE_PROJECT,
  as,
  auditCount,
  compareDec,
  createProject,
  databaseId,
  dayFromToday,
  errorKeys,
  globalId,
  mulRound2,
  okPayload,
  payloadOf,
  PLAN_CODE,
  projectByCode,
  projectInput,
  projectSnapshot,
  ratio6,
  SET_FUNDING,
  source,
  subDec,
  TASK_BY_CODE,
  trimDec,
  uniqueCode,
} from '../helpers/write-kit';

/**
 * setProjectFunding through HTTP: it replaces a project's allocations at once, every VND equivalent and every
 * funding mix (the project's, its task's and its plan's) is the exact decimal sum, and any refused input writes
 * nothing. Expected figures are computed here with BigInt arithmetic on the input strings.
 */

/** Funding sources in their fixed order (ties of a mix's shares go by it). */
const SOURCE_ORDER = ['ODA', 'CENTRAL_BUDGET', 'PROVINCIAL_BUDGET', 'PPP', 'LAND_VALUE_CAPTURE', 'PRIVATE', 'OTHER'];

interface AllocationIn {
  sourceCode: string;
  amount?: string | null;
  currency: string;
  rateToVnd?: string;
  rateDate?: string;
  [key: string]: unknown;
}

/** The VND equivalent as the API must compute it: the amount for VND, amount × rate rounded to 2 decimals else. */
function vndOf(a: AllocationIn): string | null {
  if (a.amount == null) return null;
  return a.currency === 'VND' ? trimDec(a.amount) : mulRound2(a.amount, a.rateToVnd!);
}

/** The funding mix of a list of allocations, computed independently. */
function expectedMix(allocations: AllocationIn[]) {
  const known = allocations.map(vndOf).filter((v): v is string => v !== null);
  const total = addDec(...known);
  const bySource = new Map<string, { amount: string; allocationCount: number; unknownCount: number }>();
  for (const a of allocations) {
    const entry = bySource.get(a.sourceCode) ?? { amount: '0', allocationCount: 0, unknownCount: 0 };
    const vnd = vndOf(a);
    entry.allocationCount += 1;
    if (vnd === null) entry.unknownCount += 1;
    else entry.amount = addDec(entry.amount, vnd);
    bySource.set(a.sourceCode, entry);
  }
  const shares = [...bySource]
    .map(([code, e]) => ({
      source: { code },
      amount: { amount: e.amount, currency: 'VND' },
      share: compareDec(total, '0') > 0 ? ratio6(e.amount, total) : null,
      allocationCount: e.allocationCount,
      unknownCount: e.unknownCount,
    }))
    .sort(
      (a, b) =>
        compareDec(b.amount.amount, a.amount.amount) ||
        SOURCE_ORDER.indexOf(a.source.code) - SOURCE_ORDER.indexOf(b.source.code),
    );
  const unknown = allocations.length - known.length;
  return {
    total: { amount: total, currency: 'VND' },
    shares,
    knownShare: allocations.length === 0 ? '0' : ratio6(String(known.length), String(allocations.length)),
    allocationCount: allocations.length,
    unknownCount: unknown,
  };
}

const MIXED: AllocationIn[] = [
  {
    sourceCode: 'ODA',
    financier: 'World Bank',
    amount: '1234567.89',
    currency: 'USD',
    rateToVnd: '25432.123456',
    rateDate: '2025-01-15',
    rateNote: 'State Bank central rate',
    status: 'COMMITTED',
    fiscalYear: 2025,
    note: 'IDA credit',
    sources: [
      { url: 'https://example.org/wb-loan', title: 'Loan agreement', retrievedOn: '2025-06-01', confidence: 'HIGH' },
    ],
  },
  { sourceCode: 'PROVINCIAL_BUDGET', amount: '50000000000.5', currency: 'VND', status: 'PLANNED' },
  {
    sourceCode: 'CENTRAL_BUDGET',
    financier: 'JICA',
    amount: '987654321.01',
    currency: 'JPY',
    rateToVnd: '171.987654',
    rateDate: '2025-02-03',
    status: 'PROPOSED',
  },
  {
    sourceCode: 'PPP',
    amount: null,
    currency: 'USD',
    status: 'PROPOSED',
    note: 'Investor not chosen; amount unknown.',
  },
  {
    sourceCode: 'OTHER',
    amount: '10.05',
    currency: 'JPY',
    rateToVnd: '171.987654',
    rateDate: '2025-02-03',
    status: 'DISBURSED',
    fiscalYear: 2024,
  },
  {
    sourceCode: 'ODA',
    financier: 'ADB',
    amount: '0.01',
    currency: 'EUR',
    rateToVnd: '27000.5',
    rateDate: '2025-03-01',
    status: 'PLANNED',
  },
];

describe('setProjectFunding', () => {
  let t: TestApp;
  let planner: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    planner = await as('planner', 'fay');
  });

  afterAll(async () => {
    await t?.stop();
  });

  const setFunding = (projectId: string, expectedVersion: number, allocations: unknown[]) =>
    t.query(SET_FUNDING, { input: { projectId, expectedVersion, allocations } }, planner);
  const fresh = (extra: Record<string, unknown> = {}) =>
    createProject(t, projectInput(uniqueCode('WF'), extra), planner);

  it('lists the funding sources in the order ties of shares follow', async () => {
    const response = await t.query('{ fundingSources { code } }');
    expect((response.body.data as any).fundingSources.map((s: any) => s.code)).toEqual(SOURCE_ORDER);
  });

  it('replaces all allocations in one go: mixed VND, USD, JPY and EUR with amountVnd = amount × rate rounded to 2 decimals', async () => {
    const project = await fresh();
    okPayload(
      await setFunding(project.id, 1, [
        { sourceCode: 'LAND_VALUE_CAPTURE', amount: '999', currency: 'VND', status: 'PLANNED' },
      ]),
      'setProjectFunding',
    );
    const payload = okPayload(await setFunding(project.id, 2, MIXED), 'setProjectFunding');
    expect(payload.project.version).toBe(3);
    expect(payload.project.funding).toEqual(
      MIXED.map((a) => ({
        source: { code: a.sourceCode },
        financier: a.financier ?? null,
        amount: a.amount == null ? null : { amount: trimDec(a.amount), currency: a.currency },
        currency: a.currency,
        rateToVnd: a.currency === 'VND' || a.rateToVnd === undefined ? null : trimDec(a.rateToVnd),
        rateDate: a.currency === 'VND' ? null : (a.rateDate ?? null),
        rateNote: a.rateNote ?? null,
        amountVnd: vndOf(a),
        status: a.status,
        fiscalYear: a.fiscalYear ?? null,
        note: a.note ?? null,
        sources: ((a.sources as any[]) ?? []).map((s) => ({ url: s.url, title: s.title })),
      })),
    );
    // Hand-checked figures: 1234567.89 × 25432.123456 = 31397682993.2866… → .29; 987654321.01 × 171.987654 =
    // 169864349633.4728… → .47; 10.05 × 171.987654 = 1728.4759… → .48; 0.01 × 27000.5 = 270.005 → 270.01 (half up).
    expect(payload.project.funding.map((f: any) => f.amountVnd)).toEqual([
      '31397682993.29',
      '50000000000.5',
      '169864349633.47',
      null,
      '1728.48',
      '270.01',
    ]);
    expect(payload.project.fundingMix).toEqual(expectedMix(MIXED));
    expect(payload.project.fundingMix.total.amount).toBe('251262034625.75');
    expect(payload.project.fundingMix.knownShare).toBe(ratio6('5', '6'));
    expect(payload.project.fundingMix.unknownCount).toBe(1);
    expect(await projectByCode(t, project.code)).toEqual(payload.project);
  });

  it('counts unknown amounts in unknownCount and knownShare, with a zero total and null shares when none is known', async () => {
    const project = await fresh();
    const unknown: AllocationIn[] = [
      { sourceCode: 'CENTRAL_BUDGET', amount: null, currency: 'VND', status: 'PLANNED' },
      { sourceCode: 'PROVINCIAL_BUDGET', amount: null, currency: 'VND', status: 'PLANNED' },
    ];
    const payload = okPayload(await setFunding(project.id, 1, unknown), 'setProjectFunding');
    expect(payload.project.fundingMix).toEqual({
      total: { amount: '0', currency: 'VND' },
      shares: [
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
      ],
      knownShare: '0',
      allocationCount: 2,
      unknownCount: 2,
    });
    expect(payload.project.fundingMix).toEqual(expectedMix(unknown));
    // The seeded BD-RR3 has the same two unknown allocations and the same mix.
    expect((await projectByCode(t, 'BD-RR3')).fundingMix).toEqual(payload.project.fundingMix);

    const half = okPayload(
      await setFunding(project.id, 2, [
        unknown[0],
        { sourceCode: 'PPP', amount: '300', currency: 'VND', status: 'COMMITTED' },
      ]),
      'setProjectFunding',
    );
    expect(half.project.fundingMix).toMatchObject({
      total: { amount: '300', currency: 'VND' },
      knownShare: '0.5',
      allocationCount: 2,
      unknownCount: 1,
    });
    expect(half.project.funding.map((f: any) => f.amountVnd)).toEqual([null, '300']);
  });

  it('clears all allocations with an empty list', async () => {
    const project = await fresh();
    okPayload(await setFunding(project.id, 1, MIXED.slice(0, 2)), 'setProjectFunding');
    const payload = okPayload(await setFunding(project.id, 2, []), 'setProjectFunding');
    expect(payload.project.funding).toEqual([]);
    expect(payload.project.version).toBe(3);
    expect(payload.project.fundingMix).toEqual({
      total: { amount: '0', currency: 'VND' },
      shares: [],
      knownShare: '0',
      allocationCount: 0,
      unknownCount: 0,
    });
  });

  it("changes the task's and the plan's funding mix by exactly the project's allocations", async () => {
    const MIX_VIEW = /* GraphQL */ `
      query MixView($plan: String!) {
        plan(code: $plan) {
          fundingMix {
            total {
              amount
            }
            allocationCount
            unknownCount
            shares {
              source {
                code
              }
              amount {
                amount
              }
              allocationCount
              unknownCount
            }
          }
          task(code: "II.4.d.1") {
            fundingMix {
              total {
                amount
              }
              allocationCount
              unknownCount
              shares {
                source {
                  code
                }
                amount {
                  amount
                }
                allocationCount
                unknownCount
              }
            }
          }
        }
      }
    `;
    const project = await fresh({ planCode: PLAN_CODE, taskCodes: ['II.4.d.1'] });
    const before = ((await t.query(MIX_VIEW, { plan: PLAN_CODE })).body.data as any).plan;
    expect(before.task.fundingMix).toEqual({ total: { amount: '0' }, allocationCount: 0, unknownCount: 0, shares: [] });
    okPayload(await setFunding(project.id, 1, MIXED), 'setProjectFunding');
    const after = ((await t.query(MIX_VIEW, { plan: PLAN_CODE })).body.data as any).plan;
    const mix = expectedMix(MIXED);
    const brief = (m: typeof mix) => ({
      total: { amount: m.total.amount },
      allocationCount: m.allocationCount,
      unknownCount: m.unknownCount,
      shares: m.shares.map((s) => ({
        source: s.source,
        amount: { amount: s.amount.amount },
        allocationCount: s.allocationCount,
        unknownCount: s.unknownCount,
      })),
    });
    expect(after.task.fundingMix).toEqual(brief(mix));
    expect(after.fundingMix.total.amount).toBe(addDec(before.fundingMix.total.amount, mix.total.amount));
    expect(after.fundingMix.allocationCount).toBe(before.fundingMix.allocationCount + MIXED.length);
    expect(after.fundingMix.unknownCount).toBe(before.fundingMix.unknownCount + 1);
    for (const share of mix.shares) {
      const old = before.fundingMix.shares.find((s: any) => s.source.code === share.source.code) ?? {
        amount: { amount: '0' },
        allocationCount: 0,
      };
      const now = after.fundingMix.shares.find((s: any) => s.source.code === share.source.code);
      expect({
        code: share.source.code,
        amount: subDec(now.amount.amount, old.amount.amount),
        count: now.allocationCount - old.allocationCount,
      }).toEqual({
        code: share.source.code,
        amount: share.amount.amount,
        count: share.allocationCount,
      });
    }
    // Clearing the project's funding brings both mixes back.
    okPayload(await setFunding(project.id, 2, []), 'setProjectFunding');
    expect(((await t.query(MIX_VIEW, { plan: PLAN_CODE })).body.data as any).plan).toEqual(before);
  });

  const valid = { sourceCode: 'PROVINCIAL_BUDGET', amount: '1000', currency: 'VND', status: 'PLANNED' };
  const usd = {
    sourceCode: 'ODA',
    amount: '100',
    currency: 'USD',
    rateToVnd: '25000',
    rateDate: '2025-01-10',
    status: 'COMMITTED',
  };
  const refusals: [string, unknown[], { field: string[]; code: string }[]][] = [
    [
      'a negative amount',
      [valid, { ...valid, amount: '-1' }],
      [{ field: ['input', 'allocations', '1', 'amount'], code: 'INVALID_VALUE' }],
    ],
    [
      'an amount with 3 decimals',
      [{ ...valid, amount: '1.234' }],
      [{ field: ['input', 'allocations', '0', 'amount'], code: 'INVALID_VALUE' }],
    ],
    [
      'the lower-case currency "usd"',
      [valid, { ...usd, currency: 'usd' }],
      [{ field: ['input', 'allocations', '1', 'currency'], code: 'INVALID_VALUE' }],
    ],
    [
      'the unknown currency "XYZ"',
      [{ ...usd, currency: 'XYZ' }],
      [{ field: ['input', 'allocations', '0', 'currency'], code: 'INVALID_VALUE' }],
    ],
    [
      'a known USD amount without rateToVnd',
      [{ ...usd, rateToVnd: undefined }],
      [{ field: ['input', 'allocations', '0', 'rateToVnd'], code: 'INVALID_VALUE' }],
    ],
    [
      'a known USD amount without rateDate',
      [valid, valid, { ...usd, rateDate: undefined }],
      [{ field: ['input', 'allocations', '2', 'rateDate'], code: 'INVALID_VALUE' }],
    ],
    [
      'a rate of 0',
      [{ ...usd, rateToVnd: '0' }],
      [{ field: ['input', 'allocations', '0', 'rateToVnd'], code: 'INVALID_VALUE' }],
    ],
    [
      'a rate with 7 decimals',
      [{ ...usd, rateToVnd: '1.1234567' }],
      [{ field: ['input', 'allocations', '0', 'rateToVnd'], code: 'INVALID_VALUE' }],
    ],
    [
      'a rate dated in the future',
      [{ ...usd, rateDate: dayFromToday(3) }],
      [{ field: ['input', 'allocations', '0', 'rateDate'], code: 'INVALID_VALUE' }],
    ],
    [
      'an unknown sourceCode',
      [valid, usd, { ...valid, sourceCode: 'LOTTERY' }],
      [{ field: ['input', 'allocations', '2', 'sourceCode'], code: 'NOT_FOUND' }],
    ],
    [
      'fiscalYear 1800',
      [{ ...valid, fiscalYear: 1800 }],
      [{ field: ['input', 'allocations', '0', 'fiscalYear'], code: 'INVALID_VALUE' }],
    ],
    [
      'fiscalYear 2201',
      [valid, { ...valid, fiscalYear: 2201 }],
      [{ field: ['input', 'allocations', '1', 'fiscalYear'], code: 'INVALID_VALUE' }],
    ],
    [
      'a financier of 301 characters',
      [{ ...valid, financier: 'f'.repeat(301) }],
      [{ field: ['input', 'allocations', '0', 'financier'], code: 'INVALID_VALUE' }],
    ],
    [
      'a source with a bad url',
      [{ ...valid, sources: [source({ url: 'javascript:alert(1)' })] }],
      [{ field: ['input', 'allocations', '0', 'sources', '0', 'url'], code: 'INVALID_VALUE' }],
    ],
    [
      'a source citing an unknown documentCode',
      [
        valid,
        {
          ...valid,
          sources: [
            source(),
            { documentCode: '404/NOPE', title: 'Missing', retrievedOn: '2025-06-01', confidence: 'LOW' },
          ],
        },
      ],
      [{ field: ['input', 'allocations', '1', 'sources', '1', 'documentCode'], code: 'NOT_FOUND' }],
    ],
  ];

  describe('refusals write nothing', () => {
    let project: any;
    let version: number;

    beforeAll(async () => {
      project = await fresh();
      const set = okPayload(await setFunding(project.id, 1, MIXED.slice(0, 3)), 'setProjectFunding');
      version = set.project.version;
    });

    it.each(refusals)('refuses %s with a user error at its field', async (_label, allocations, expected) => {
      const before = await projectSnapshot(t, databaseId(project.id));
      const auditBefore = await auditCount(t);
      const payload = payloadOf(await setFunding(project.id, version, allocations), 'setProjectFunding');
      expect(payload.project).toBeNull();
      expect(errorKeys(payload.userErrors)).toEqual(expected);
      expect(await projectSnapshot(t, databaseId(project.id))).toEqual(before);
      expect(await auditCount(t)).toBe(auditBefore);
      const read = await projectByCode(t, project.code);
      expect(read.version).toBe(version);
      expect(read.funding.map((f: any) => f.source.code)).toEqual(['ODA', 'PROVINCIAL_BUDGET', 'CENTRAL_BUDGET']);
    });

    it('refuses a stale expectedVersion with VERSION_CONFLICT, an ID of another type with INVALID_VALUE and an unknown project with NOT_FOUND', async () => {
      const before = await projectSnapshot(t, databaseId(project.id));
      const stale = payloadOf(await setFunding(project.id, version - 1, [valid]), 'setProjectFunding');
      expect(errorKeys(stale.userErrors)).toEqual([{ field: ['input', 'expectedVersion'], code: 'VERSION_CONFLICT' }]);
      const wrongType = payloadOf(await setFunding(globalId('Agency', 1), version, [valid]), 'setProjectFunding');
      expect(errorKeys(wrongType.userErrors)).toEqual([{ field: ['input', 'projectId'], code: 'INVALID_VALUE' }]);
      const unknown = payloadOf(await setFunding(globalId('Project', 987654), 1, [valid]), 'setProjectFunding');
      expect(errorKeys(unknown.userErrors)).toEqual([{ field: ['input', 'projectId'], code: 'NOT_FOUND' }]);
      expect(await projectSnapshot(t, databaseId(project.id))).toEqual(before);
    });

    it('reports every invalid allocation at once', async () => {
      const payload = payloadOf(
        await setFunding(project.id, version, [
          { ...valid, amount: '-3' },
          valid,
          { ...usd, currency: 'XYZ' },
          { ...valid, fiscalYear: 1800 },
        ]),
        'setProjectFunding',
      );
      expect(errorKeys(payload.userErrors)).toEqual([
        { field: ['input', 'allocations', '0', 'amount'], code: 'INVALID_VALUE' },
        { field: ['input', 'allocations', '2', 'currency'], code: 'INVALID_VALUE' },
        { field: ['input', 'allocations', '3', 'fiscalYear'], code: 'INVALID_VALUE' },
      ]);
    });

    it('refuses an unknown USD amount with a rate but no rateDate with a user error, not an internal error', async () => {
      const before = await projectSnapshot(t, databaseId(project.id));
      const response = await setFunding(project.id, version, [
        { sourceCode: 'ODA', amount: null, currency: 'USD', rateToVnd: '25000', status: 'PROPOSED' },
      ]);
      expect(await projectSnapshot(t, databaseId(project.id))).toEqual(before);
      expect(response.body.errors).toBeUndefined();
      expect(errorKeys((response.body.data as any).setProjectFunding.userErrors)).toEqual([
        { field: ['input', 'allocations', '0', 'rateDate'], code: 'INVALID_VALUE' },
      ]);
    });

    it('refuses an amount whose VND equivalent does not fit the money column with a user error, not an internal error', async () => {
      const before = await projectSnapshot(t, databaseId(project.id));
      const response = await setFunding(project.id, version, [
        { ...usd, amount: '9999999999999999999999.99', rateToVnd: '26000' },
      ]);
      expect(await projectSnapshot(t, databaseId(project.id))).toEqual(before);
      expect(response.body.errors).toBeUndefined();
      const userErrors = (response.body.data as any).setProjectFunding.userErrors;
      expect(userErrors.map((e: any) => e.code)).toEqual(['INVALID_VALUE']);
      expect(userErrors[0].field.slice(0, 3)).toEqual(['input', 'allocations', '0']);
    });
  });

  it('refuses funding for an archived project with INVALID_VALUE', async () => {
    const project = await fresh();
    okPayload(
      await t.query(ARCHIVE_PROJECT, { input: { id: project.id, expectedVersion: 1 } }, planner),
      'archiveProject',
    );
    const payload = payloadOf(await setFunding(project.id, 2, [valid]), 'setProjectFunding');
    expect(errorKeys(payload.userErrors)).toEqual([{ field: ['input', 'projectId'], code: 'INVALID_VALUE' }]);
    expect((await projectByCode(t, project.code)).funding).toEqual([]);
  });

  it("keeps the seeded BD-METRO-1 mix untouched by other projects' writes", async () => {
    const mix = (await projectByCode(t, 'BD-METRO-1')).fundingMix;
    expect(mix.total).toEqual({ amount: '46725000000000', currency: 'VND' });
    expect(mix.shares.map((s: any) => s.source.code)).toEqual(['LAND_VALUE_CAPTURE', 'PROVINCIAL_BUDGET']);
    const task = (await t.query(TASK_BY_CODE, { plan: PLAN_CODE, code: 'II.2.2' })).body.data as any;
    expect(task.plan.task.projects.nodes.map((p: any) => p.code)).toContain('BD-METRO-1');
  });
});
