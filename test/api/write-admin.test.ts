import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  as,
  auditCount,
  CREATE_AGENCY,
  CREATE_PLAN,
  errorKeys,
  okPayload,
  payloadOf,
  RECORD_SUCCESSION,
  scalar,
  source,
  uniqueCode,
} from '../helpers/write-kit';

/** Admin writes through HTTP: createPlan with nested sections, createAgency and recordAgencySuccession. */

const PLAN_VIEW = /* GraphQL */ `
  fragment SectionFields on PlanSection {
    number
    heading
    body
    level
    parent {
      number
    }
    sourceIncomplete
    tasks {
      code
      position
      text
    }
    assignments {
      role
      agency {
        code
      }
      basis
      section {
        number
      }
    }
  }
  query PlanView($code: String!) {
    plan(code: $code) {
      code
      title
      titleEn
      issuedOn
      issuer {
        code
      }
      place
      sourceText
      sourceComplete
      legalBasis {
        relation
        document {
          code
        }
        note
      }
      targets {
        year
        text
      }
      sections {
        ...SectionFields
        children {
          ...SectionFields
          children {
            ...SectionFields
            children {
              number
            }
          }
        }
      }
      tasks(first: 100) {
        totalCount
        nodes {
          code
          position
          text
          section {
            number
          }
          assignments {
            role
            agency {
              code
            }
            basis
            section {
              number
            }
          }
          leadAgency {
            code
          }
        }
      }
    }
  }
`;

const AGENCY_VIEW = /* GraphQL */ `
  query AgencyView($code: String!) {
    agency(code: $code) {
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
        }
        sources {
          url
          title
        }
      }
      predecessors {
        agency {
          code
        }
        kind
        effectiveOn
      }
    }
  }
`;

describe('admin writes', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await as('admin', 'adm');
  });

  afterAll(async () => {
    await t?.stop();
  });

  const agency = async (code: string) => ((await t.query(AGENCY_VIEW, { code })).body.data as any).agency;
  const counts = async () => ({
    plans: await scalar(t, 'select count(*)::int from plans'),
    sections: await scalar(t, 'select count(*)::int from plan_sections'),
    tasks: await scalar(t, 'select count(*)::int from plan_tasks'),
    assignments: await scalar(t, 'select count(*)::int from task_assignments'),
    agencies: await scalar(t, 'select count(*)::int from agencies'),
    successions: await scalar(t, 'select count(*)::int from agency_successions'),
    audit: await auditCount(t),
  });

  describe('createPlan', () => {
    const planInput = (code: string) => ({
      clientMutationId: 'plan-create',
      code,
      title: 'Kế hoạch thực hiện thử nghiệm của Ủy ban nhân dân Thành phố',
      titleEn: 'Test implementation plan',
      issuedOn: '2025-09-15',
      issuerCode: 'HCM.UBND',
      place: 'Thành phố Hồ Chí Minh',
      sourceComplete: false,
      legalBasis: [
        { documentCode: '202/2025/QH15', relation: 'IMPLEMENTS', note: 'The merger resolution.' },
        { documentCode: '72-KL/TW', relation: 'BASED_ON' },
      ],
      targets: [
        { year: 2030, text: 'Hoàn thành các tuyến vành đai.' },
        { year: 2035, text: 'Hoàn thành mạng lưới đường sắt đô thị.' },
      ],
      sections: [
        { number: 'I', heading: 'Mục tiêu', body: 'Đánh giá tình hình.', tasks: ['Rà soát quy hoạch.'] },
        {
          number: 'II',
          heading: 'Nhiệm vụ',
          children: [
            {
              number: 'II.1',
              heading: 'Sở Xây dựng chủ trì, phối hợp Sở Tài chính',
              assignments: [
                { agencyCode: 'HCM.SXD', role: 'LEAD' },
                { agencyCode: 'HCM.STC', role: 'COORDINATING' },
              ],
              tasks: ['Đầu tư đường vành đai.', 'Nâng cấp quốc lộ.'],
              children: [{ number: 'II.1.a', heading: 'Đường sắt', tasks: ['Nghiên cứu tuyến đường sắt.'] }],
            },
            {
              number: 'II.2',
              heading: 'Các sở tổ chức thực hiện',
              assignments: [
                { agencyCode: 'HCM.SNNMT', role: 'IMPLEMENTING' },
                { agencyCode: 'HCM.SXD', role: 'IMPLEMENTING' },
              ],
              tasks: ['Xử lý nước thải.'],
              sourceIncomplete: true,
            },
          ],
        },
      ],
    });

    it('creates a plan with nested sections, task codes section.position, inherited assignments, legal basis and targets', async () => {
      const code = uniqueCode('WADM/KH-UBND');
      const before = await counts();
      const payload = okPayload(await t.query(CREATE_PLAN, { input: planInput(code) }, admin), 'createPlan');
      expect(payload.clientMutationId).toBe('plan-create');
      expect(payload.plan).toMatchObject({
        code,
        title: 'Kế hoạch thực hiện thử nghiệm của Ủy ban nhân dân Thành phố',
      });
      const after = await counts();
      expect(after).toEqual({
        ...before,
        plans: before.plans + 1,
        sections: before.sections + 5,
        tasks: before.tasks + 5,
        assignments: before.assignments + 8,
        audit: before.audit + 1,
      });

      const plan = ((await t.query(PLAN_VIEW, { code })).body.data as any).plan;
      expect({ ...plan, sections: undefined, tasks: undefined }).toEqual({
        code,
        title: 'Kế hoạch thực hiện thử nghiệm của Ủy ban nhân dân Thành phố',
        titleEn: 'Test implementation plan',
        issuedOn: '2025-09-15',
        issuer: { code: 'HCM.UBND' },
        place: 'Thành phố Hồ Chí Minh',
        sourceText: null,
        sourceComplete: false,
        legalBasis: [
          { relation: 'IMPLEMENTS', document: { code: '202/2025/QH15' }, note: 'The merger resolution.' },
          { relation: 'BASED_ON', document: { code: '72-KL/TW' }, note: null },
        ],
        targets: [
          { year: 2030, text: 'Hoàn thành các tuyến vành đai.' },
          { year: 2035, text: 'Hoàn thành mạng lưới đường sắt đô thị.' },
        ],
        sections: undefined,
        tasks: undefined,
      });
      const sxdLead = { role: 'LEAD', agency: { code: 'HCM.SXD' }, basis: 'SECTION', section: { number: 'II.1' } };
      const stcCoord = {
        role: 'COORDINATING',
        agency: { code: 'HCM.STC' },
        basis: 'SECTION',
        section: { number: 'II.1' },
      };
      const snnmt = {
        role: 'IMPLEMENTING',
        agency: { code: 'HCM.SNNMT' },
        basis: 'SECTION',
        section: { number: 'II.2' },
      };
      const sxdImpl = {
        role: 'IMPLEMENTING',
        agency: { code: 'HCM.SXD' },
        basis: 'SECTION',
        section: { number: 'II.2' },
      };
      expect(plan.sections).toEqual([
        {
          number: 'I',
          heading: 'Mục tiêu',
          body: 'Đánh giá tình hình.',
          level: 1,
          parent: null,
          sourceIncomplete: false,
          tasks: [{ code: 'I.1', position: 1, text: 'Rà soát quy hoạch.' }],
          assignments: [],
          children: [],
        },
        {
          number: 'II',
          heading: 'Nhiệm vụ',
          body: null,
          level: 1,
          parent: null,
          sourceIncomplete: false,
          tasks: [],
          assignments: [],
          children: [
            {
              number: 'II.1',
              heading: 'Sở Xây dựng chủ trì, phối hợp Sở Tài chính',
              body: null,
              level: 2,
              parent: { number: 'II' },
              sourceIncomplete: false,
              tasks: [
                { code: 'II.1.1', position: 1, text: 'Đầu tư đường vành đai.' },
                { code: 'II.1.2', position: 2, text: 'Nâng cấp quốc lộ.' },
              ],
              assignments: [sxdLead, stcCoord],
              children: [
                {
                  number: 'II.1.a',
                  heading: 'Đường sắt',
                  body: null,
                  level: 3,
                  parent: { number: 'II.1' },
                  sourceIncomplete: false,
                  tasks: [{ code: 'II.1.a.1', position: 1, text: 'Nghiên cứu tuyến đường sắt.' }],
                  assignments: [],
                  children: [],
                },
              ],
            },
            {
              number: 'II.2',
              heading: 'Các sở tổ chức thực hiện',
              body: null,
              level: 2,
              parent: { number: 'II' },
              sourceIncomplete: true,
              tasks: [{ code: 'II.2.1', position: 1, text: 'Xử lý nước thải.' }],
              assignments: [snnmt, sxdImpl],
              children: [],
            },
          ],
        },
      ]);
      expect(plan.tasks.totalCount).toBe(5);
      expect(plan.tasks.nodes.map((x: any) => [x.code, x.section.number, x.assignments, x.leadAgency.code])).toEqual([
        ['I.1', 'I', [{ role: 'LEAD', agency: { code: 'HCM.UBND' }, basis: 'PLAN_ISSUER', section: null }], 'HCM.UBND'],
        ['II.1.1', 'II.1', [sxdLead, stcCoord], 'HCM.SXD'],
        ['II.1.2', 'II.1', [sxdLead, stcCoord], 'HCM.SXD'],
        // II.1.a names no agency: its task carries the assignments of II.1.
        ['II.1.a.1', 'II.1.a', [sxdLead, stcCoord], 'HCM.SXD'],
        ['II.2.1', 'II.2', [snnmt, sxdImpl], 'HCM.SNNMT'],
      ]);
      const listed = ((await t.query('{ plans(first: 100) { totalCount nodes { code issuedOn } } }')).body.data as any)
        .plans;
      expect(listed.totalCount).toBe(before.plans + 1);
      expect(listed.nodes[0]).toEqual({ code, issuedOn: '2025-09-15' });
    });

    const base = planInput('PLACEHOLDER');
    /** Sections nested `depth` levels: numbered 1, 1.2, 1.2.3 … or, flat, L1, L2, L3 … (a number has at most 6 parts).
     * */
    const deep = (depth: number, flat = false): any => {
      const number = (level: number) =>
        flat ? `L${level}` : Array.from({ length: level }, (_, i) => String(i + 1)).join('.');
      let section: any = { number: number(depth), heading: `Level ${depth}` };
      for (let level = depth - 1; level >= 1; level--)
        section = { number: number(level), heading: `Level ${level}`, children: [section] };
      return section;
    };
    const refusals: [string, Record<string, unknown>, { field: string[]; code: string }[]][] = [
      ['the code of an existing plan', { code: '6408/KH-UBND' }, [{ field: ['input', 'code'], code: 'DUPLICATE' }]],
      ['an unknown issuer', { issuerCode: 'XX.NOBODY' }, [{ field: ['input', 'issuerCode'], code: 'NOT_FOUND' }]],
      [
        'an unknown assigned agency',
        {
          sections: [
            { number: 'I', heading: 'I', assignments: [{ agencyCode: 'HCM.NOBODY', role: 'LEAD' }], tasks: ['x'] },
          ],
        },
        [{ field: ['input', 'sections'], code: 'NOT_FOUND' }],
      ],
      [
        'an unknown legal document',
        { legalBasis: [{ documentCode: '1/NO-SUCH', relation: 'BASED_ON' }] },
        [{ field: ['input', 'legalBasis'], code: 'NOT_FOUND' }],
      ],
      [
        'duplicate section numbers',
        {
          sections: [
            { number: 'I', heading: 'A', tasks: ['x'] },
            { number: 'II', heading: 'B', children: [{ number: 'I', heading: 'again', tasks: ['y'] }] },
          ],
        },
        [{ field: ['input', 'sections'], code: 'DUPLICATE' }],
      ],
      [
        'a malformed section number',
        { sections: [{ number: 'II..4', heading: 'x' }] },
        [{ field: ['input', 'sections'], code: 'INVALID_VALUE' }],
      ],
      ['no sections', { sections: [] }, [{ field: ['input', 'sections'], code: 'INVALID_VALUE' }]],
      [
        'sections nested 7 levels deep',
        { sections: [deep(7, true)] },
        [{ field: ['input', 'sections'], code: 'INVALID_VALUE' }],
      ],
      ['a blank title', { title: '  ' }, [{ field: ['input', 'title'], code: 'INVALID_VALUE' }]],
      [
        'a blank section heading',
        { sections: [{ number: 'I', heading: ' ' }] },
        [{ field: ['input', 'sections', 'I', 'heading'], code: 'INVALID_VALUE' }],
      ],
      [
        'a blank task text',
        { sections: [{ number: 'I', heading: 'I', tasks: ['ok', ''] }] },
        [{ field: ['input', 'sections', 'I', 'tasks'], code: 'INVALID_VALUE' }],
      ],
      [
        'a target year 1800',
        {
          targets: [
            { year: 2030, text: 'ok' },
            { year: 1800, text: 'too early' },
          ],
        },
        [{ field: ['input', 'targets', '1', 'year'], code: 'INVALID_VALUE' }],
      ],
    ];

    it.each(refusals)('refuses %s with a user error, writing nothing', async (_label, overrides, expected) => {
      const code = (overrides.code as string | undefined) ?? uniqueCode('WADM/BAD');
      const before = await counts();
      const payload = payloadOf(
        await t.query(CREATE_PLAN, { input: { ...base, ...overrides, code } }, admin),
        'createPlan',
      );
      expect(payload.plan).toBeNull();
      expect(errorKeys(payload.userErrors)).toEqual(expected);
      expect(await counts()).toEqual(before);
      if (code !== '6408/KH-UBND') expect(((await t.query(PLAN_VIEW, { code })).body.data as any).plan).toBeNull();
    });

    it('accepts sections nested 6 levels deep', async () => {
      const code = uniqueCode('WADM/DEEP');
      okPayload(
        await t.query(CREATE_PLAN, { input: { ...base, code, sections: [{ ...deep(6), tasks: undefined }] } }, admin),
        'createPlan',
      );
      const plan = (
        (
          await t.query(`query($c: String!) { plan(code: $c) { section(number: "1.2.3.4.5.6") { level heading } } }`, {
            c: code,
          })
        ).body.data as any
      ).plan;
      expect(plan.section).toEqual({ level: 6, heading: 'Level 6' });
    });
  });

  describe('createAgency', () => {
    it('creates an agency that is its own current agency', async () => {
      const code = uniqueCode('HCM.NEW');
      const payload = okPayload(
        await t.query(
          CREATE_AGENCY,
          {
            input: {
              clientMutationId: 'ag-1',
              code,
              name: 'Sở Thử nghiệm',
              nameEn: 'Department of Testing',
              kind: 'DEPARTMENT',
              jurisdictionCode: 'HCM',
              jurisdiction: 'Thành phố Hồ Chí Minh',
              validFrom: '2025-07-01',
            },
          },
          admin,
        ),
        'createAgency',
      );
      expect(payload.clientMutationId).toBe('ag-1');
      const expected = {
        code,
        name: 'Sở Thử nghiệm',
        nameEn: 'Department of Testing',
        kind: 'DEPARTMENT',
        jurisdiction: 'Thành phố Hồ Chí Minh',
        jurisdictionCode: 'HCM',
        validFrom: '2025-07-01',
        validTo: null,
      };
      expect(payload.agency).toMatchObject(expected);
      expect(await agency(code)).toEqual({ ...expected, current: { code }, successors: [], predecessors: [] });
    });

    const agencyInput = {
      name: 'Sở',
      kind: 'DEPARTMENT',
      jurisdictionCode: 'HCM',
      jurisdiction: 'Thành phố Hồ Chí Minh',
    };
    it.each([
      ['an existing code', { code: 'HCM.SXD' }, [{ field: ['input', 'code'], code: 'DUPLICATE' }]],
      ['a code with a space', { code: 'HCM SXD2' }, [{ field: ['input', 'code'], code: 'INVALID_VALUE' }]],
      ['a code starting with "."', { code: '.HCM' }, [{ field: ['input', 'code'], code: 'INVALID_VALUE' }]],
      ['a blank name', { code: 'HCM.BLANK', name: ' ' }, [{ field: ['input', 'name'], code: 'INVALID_VALUE' }]],
      [
        'validTo not after validFrom',
        { code: 'HCM.DATES', validFrom: '2025-07-01', validTo: '2025-07-01' },
        [{ field: ['input', 'validTo'], code: 'INVALID_VALUE' }],
      ],
    ])('refuses %s, writing nothing', async (_label, overrides, expected) => {
      const before = await counts();
      const payload = payloadOf(
        await t.query(CREATE_AGENCY, { input: { ...agencyInput, ...overrides } }, admin),
        'createAgency',
      );
      expect(payload.agency).toBeNull();
      expect(errorKeys(payload.userErrors)).toEqual(expected);
      expect(await counts()).toEqual(before);
    });
  });

  describe('recordAgencySuccession', () => {
    beforeAll(async () => {
      okPayload(
        await t.query(
          CREATE_AGENCY,
          {
            input: {
              code: 'HCM.TEST',
              name: 'Sở Thử nghiệm Thành phố',
              kind: 'DEPARTMENT',
              jurisdictionCode: 'HCM',
              jurisdiction: 'Thành phố Hồ Chí Minh',
            },
          },
          admin,
        ),
        'createAgency',
      );
    });

    it('records HCM.SXD → HCM.TEST: successors, predecessors and current follow, and HCM.SXD ends on effectiveOn', async () => {
      expect((await agency('BD.SGTVT')).current).toEqual({ code: 'HCM.SXD' });
      expect((await agency('HCM.SXD')).validTo).toBeNull();
      const before = await counts();
      const payload = okPayload(
        await t.query(
          RECORD_SUCCESSION,
          {
            input: {
              clientMutationId: 'succ-1',
              predecessorCode: 'HCM.SXD',
              successorCode: 'HCM.TEST',
              kind: 'MERGER',
              effectiveOn: '2026-01-01',
              documentCode: '202/2025/QH15',
              reason: 'Test merger of the Department of Construction.',
              note: 'Recorded by the test suite.',
              sources: [source({ url: 'https://example.org/merger', title: 'Merger decision' })],
            },
          },
          admin,
        ),
        'recordAgencySuccession',
      );
      expect(payload.clientMutationId).toBe('succ-1');
      expect(payload.predecessor).toEqual({
        code: 'HCM.SXD',
        validTo: '2026-01-01',
        current: { code: 'HCM.TEST' },
        successors: [{ agency: { code: 'HCM.TEST' }, kind: 'MERGER', effectiveOn: '2026-01-01' }],
      });
      expect(payload.successor).toEqual({
        code: 'HCM.TEST',
        current: { code: 'HCM.TEST' },
        predecessors: [{ agency: { code: 'HCM.SXD' }, kind: 'MERGER', effectiveOn: '2026-01-01' }],
      });
      expect(await counts()).toEqual({ ...before, successions: before.successions + 1, audit: before.audit + 1 });
      const sxd = await agency('HCM.SXD');
      expect(sxd.successors).toEqual([
        {
          agency: { code: 'HCM.TEST' },
          kind: 'MERGER',
          effectiveOn: '2026-01-01',
          dateInferred: false,
          reason: 'Test merger of the Department of Construction.',
          note: 'Recorded by the test suite.',
          document: { code: '202/2025/QH15' },
          sources: [{ url: 'https://example.org/merger', title: 'Merger decision' }],
        },
      ]);
      // The whole chain BD.SGTVT → BD.SXD → HCM.SXD → HCM.TEST now ends at HCM.TEST.
      for (const code of ['BD.SGTVT', 'BD.SXD', 'HCM.SXD', 'HCM.TEST'])
        expect({ code, current: (await agency(code)).current.code }).toEqual({ code, current: 'HCM.TEST' });
      expect((await agency('BD.SKHDT')).current).toEqual({ code: 'HCM.STC' });
    });

    it('refuses a succession that would make a loop (HCM.TEST → BD.SGTVT) with INVALID_VALUE, writing nothing', async () => {
      const before = await counts();
      const payload = payloadOf(
        await t.query(
          RECORD_SUCCESSION,
          {
            input: {
              predecessorCode: 'HCM.TEST',
              successorCode: 'BD.SGTVT',
              kind: 'TRANSFER',
              effectiveOn: '2026-02-01',
              reason: 'Back.',
            },
          },
          admin,
        ),
        'recordAgencySuccession',
      );
      expect([payload.predecessor, payload.successor]).toEqual([null, null]);
      expect(errorKeys(payload.userErrors)).toEqual([{ field: ['input', 'successorCode'], code: 'INVALID_VALUE' }]);
      expect(await counts()).toEqual(before);
      expect((await agency('HCM.TEST')).validTo).toBeNull();
      expect((await agency('BD.SGTVT')).current).toEqual({ code: 'HCM.TEST' });
    });

    it.each([
      [
        'the same succession again',
        { predecessorCode: 'HCM.SXD', successorCode: 'HCM.TEST', effectiveOn: '2026-01-01' },
        [{ field: ['input', 'successorCode'], code: 'DUPLICATE' }],
      ],
      [
        'an unknown predecessor',
        { predecessorCode: 'HCM.NOBODY', successorCode: 'HCM.TEST' },
        [{ field: ['input', 'predecessorCode'], code: 'NOT_FOUND' }],
      ],
      [
        'an unknown successor',
        { predecessorCode: 'HCM.SCT', successorCode: 'HCM.NOBODY' },
        [{ field: ['input', 'successorCode'], code: 'NOT_FOUND' }],
      ],
      [
        'an unknown document',
        { predecessorCode: 'HCM.SCT', successorCode: 'HCM.TEST', documentCode: '9/NO-SUCH' },
        [{ field: ['input', 'documentCode'], code: 'NOT_FOUND' }],
      ],
      [
        'an agency succeeding itself',
        { predecessorCode: 'HCM.SCT', successorCode: 'HCM.SCT' },
        [{ field: ['input', 'successorCode'], code: 'INVALID_VALUE' }],
      ],
      [
        'a blank reason',
        { predecessorCode: 'HCM.SCT', successorCode: 'HCM.TEST', reason: ' ' },
        [{ field: ['input', 'reason'], code: 'INVALID_VALUE' }],
      ],
      [
        "an effectiveOn not after the predecessor's validFrom",
        { predecessorCode: 'BD.SNNMT', successorCode: 'HCM.TEST', effectiveOn: '2025-02-01' },
        [{ field: ['input', 'effectiveOn'], code: 'INVALID_VALUE' }],
      ],
    ])('refuses %s, writing nothing', async (_label, overrides, expected) => {
      const before = await counts();
      const snnmt = await agency('BD.SNNMT');
      const payload = payloadOf(
        await t.query(
          RECORD_SUCCESSION,
          { input: { kind: 'TRANSFER', effectiveOn: '2026-03-01', reason: 'Test.', ...overrides } },
          admin,
        ),
        'recordAgencySuccession',
      );
      expect(errorKeys(payload.userErrors)).toEqual(expected);
      expect(await counts()).toEqual(before);
      expect(await agency('BD.SNNMT')).toEqual(snnmt);
    });

    it('keeps the predecessor open with closePredecessor: false', async () => {
      const a = uniqueCode('HCM.OPEN');
      const b = uniqueCode('HCM.NEXT');
      for (const code of [a, b]) {
        okPayload(
          await t.query(
            CREATE_AGENCY,
            { input: { code, name: code, kind: 'OTHER', jurisdictionCode: 'HCM', jurisdiction: 'TP.HCM' } },
            admin,
          ),
          'createAgency',
        );
      }
      const payload = okPayload(
        await t.query(
          RECORD_SUCCESSION,
          {
            input: {
              predecessorCode: a,
              successorCode: b,
              kind: 'SPLIT',
              effectiveOn: '2026-04-01',
              dateInferred: true,
              reason: 'Split.',
              closePredecessor: false,
            },
          },
          admin,
        ),
        'recordAgencySuccession',
      );
      expect(payload.predecessor).toMatchObject({ code: a, validTo: null, current: { code: b } });
      expect((await agency(a)).successors[0]).toMatchObject({
        agency: { code: b },
        kind: 'SPLIT',
        dateInferred: true,
        document: null,
        sources: [],
      });
    });
  });
});
