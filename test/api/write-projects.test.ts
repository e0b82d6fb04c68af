import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  ARCHIVE_PROJECT,
  as,
  auditCount,
  CHANGE_STATUS,
  CREATE_PLAN,
  CREATE_PROJECT,
  createProject,
  databaseId,
  dayFromToday,
  errorKeys,
  globalId,
  LINK,
  mulRound2,
  NODE,
  okPayload,
  payloadOf,
  PLAN_CODE,
  projectByCode,
  projectInput,
  projectSnapshot,
  scalar,
  SET_FUNDING,
  source,
  subDec,
  TASK_BY_CODE,
  taskId,
  today,
  uniqueCode,
  UNLINK,
  UPDATE_PROJECT,
} from '../helpers/write-kit';

/**
 * Project writes through HTTP: createProject and its validation, updateProject, archiveProject, the status machine
 * of changeProjectStatus, and task links with global IDs.
 */

const STATUSES = [
  'PLANNED',
  'PREPARATION',
  'APPROVED',
  'UNDER_CONSTRUCTION',
  'COMPLETED',
  'SUSPENDED',
  'CANCELLED',
] as const;
type Status = (typeof STATUSES)[number];

/** The machine as schema/mutation.graphql documents it (planner moves). */
const ALLOWED: Record<Status, Status[]> = {
  PLANNED: ['PREPARATION', 'APPROVED', 'SUSPENDED', 'CANCELLED'],
  PREPARATION: ['PLANNED', 'APPROVED', 'SUSPENDED', 'CANCELLED'],
  APPROVED: ['PREPARATION', 'UNDER_CONSTRUCTION', 'SUSPENDED', 'CANCELLED'],
  UNDER_CONSTRUCTION: ['COMPLETED', 'SUSPENDED', 'CANCELLED'],
  SUSPENDED: ['PREPARATION', 'APPROVED', 'UNDER_CONSTRUCTION', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};
/** Only an admin may reopen a cancelled project. */
const ADMIN_ONLY: Partial<Record<Status, Status[]>> = { CANCELLED: ['PLANNED', 'PREPARATION'] };

const OC4IDS: Record<Status, string> = {
  PLANNED: 'identification',
  PREPARATION: 'preparation',
  APPROVED: 'preparation',
  UNDER_CONSTRUCTION: 'implementation',
  COMPLETED: 'completion',
  SUSPENDED: 'implementation',
  CANCELLED: 'cancelled',
};

const allowedPairs = STATUSES.flatMap((from) => ALLOWED[from].map((to) => [from, to] as const));
const EMPTY_MIX = {
  total: { amount: '0', currency: 'VND' },
  shares: [],
  knownShare: '0',
  allocationCount: 0,
  unknownCount: 0,
};

describe('project writes', () => {
  let t: TestApp;
  let planner: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    planner = await as('planner', 'pia');
    admin = await as('admin', 'ada');
  });

  afterAll(async () => {
    await t?.stop();
  });

  const countProjects = () => scalar(t, 'select count(*)::int from projects');

  describe('createProject', () => {
    it('creates a project with every field, readable through project(code:) and node(id:) at version 1', async () => {
      const code = uniqueCode('WT-FULL');
      const input = {
        clientMutationId: 'create-full',
        code,
        name: 'Tuyến đường thử nghiệm Bắc – Nam',
        nameEn: 'Test north–south road',
        description: 'A project created by the write API tests.',
        sector: 'TRANSPORT_ROAD',
        type: 'EXPANSION',
        status: 'APPROVED',
        statusEffectiveOn: '2024-05-01',
        ownerAgencyCode: 'BD.SGTVT',
        plannedStart: '2025-01-15',
        plannedCompletion: '2028-12-31',
        lengthKm: '12.345',
        totalInvestment: { amount: '1234567.89', currency: 'USD', rateToVnd: '25432.123456', rateDate: '2025-01-10' },
        planCode: PLAN_CODE,
        taskCodes: ['II.4.b.1', 'II.2.2'],
        sources: [
          source({
            url: 'https://example.org/approval',
            title: 'Quyết định phê duyệt',
            publisher: 'UBND tỉnh',
            quote: 'phê duyệt dự án',
            publishedOn: '2024-05-01',
            retrievedOn: '2025-06-01',
            confidence: 'HIGH',
            supports: 'totalInvestment',
          }),
          {
            documentCode: '1769/QĐ-TTg',
            title: 'Quy hoạch mạng lưới đường sắt',
            retrievedOn: '2025-06-02',
            confidence: 'MEDIUM',
          },
        ],
      };
      const payload = okPayload(await t.query(CREATE_PROJECT, { input }, planner), 'createProject');
      expect(payload.clientMutationId).toBe('create-full');
      const expected = {
        code,
        name: input.name,
        nameEn: input.nameEn,
        description: input.description,
        sector: 'TRANSPORT_ROAD',
        type: 'EXPANSION',
        status: 'APPROVED',
        lengthKm: '12.345',
        ownerAgency: { code: 'BD.SGTVT' },
        plannedStart: '2025-01-15',
        plannedCompletion: '2028-12-31',
        totalInvestment: { amount: '1234567.89', currency: 'USD' },
        totalInvestmentVnd: mulRound2('1234567.89', '25432.123456'),
        funding: [],
        fundingMix: EMPTY_MIX,
        sources: [
          {
            url: 'https://example.org/approval',
            title: 'Quyết định phê duyệt',
            publisher: 'UBND tỉnh',
            quote: 'phê duyệt dự án',
            publishedOn: '2024-05-01',
            retrievedOn: '2025-06-01',
            confidence: 'HIGH',
            supports: 'totalInvestment',
            document: null,
          },
          {
            url: null,
            title: 'Quy hoạch mạng lưới đường sắt',
            publisher: null,
            quote: null,
            publishedOn: null,
            retrievedOn: '2025-06-02',
            confidence: 'MEDIUM',
            supports: null,
            document: { code: '1769/QĐ-TTg' },
          },
        ],
        version: 1,
        archivedAt: null,
      };
      expect(payload.project).toMatchObject(expected);
      expect(payload.project.totalInvestmentVnd).toBe('31397682993.29');
      // Tasks in the plan's document order, whatever order the input named them in.
      expect(payload.project.tasks.map((x: any) => x.code)).toEqual(['II.2.2', 'II.4.b.1']);
      expect(payload.project.statusHistory).toEqual([
        {
          id: expect.any(String),
          status: 'APPROVED',
          oc4idsStatus: 'preparation',
          effectiveOn: '2024-05-01',
          note: 'Status when the project was recorded.',
          sources: [],
        },
      ]);
      expect(payload.project.createdAt).toBe(payload.project.updatedAt);

      const byCode = await projectByCode(t, code);
      expect(byCode).toEqual(payload.project);
      const node = await t.query(NODE, { id: payload.project.id });
      expect((node.body.data as any).node).toEqual({ __typename: 'Project', ...payload.project });
      const byTask = await t.query(TASK_BY_CODE, { plan: PLAN_CODE, code: 'II.4.b.1' });
      expect((byTask.body.data as any).plan.task.projects.nodes.map((p: any) => p.code)).toContain(code);
    });

    it('defaults to PLANNED today, with nothing optional', async () => {
      const code = uniqueCode('WT-MIN');
      const project = await createProject(t, projectInput(code), planner);
      expect(project).toMatchObject({
        code,
        status: 'PLANNED',
        nameEn: null,
        description: null,
        lengthKm: null,
        ownerAgency: null,
        tasks: [],
        plannedStart: null,
        plannedCompletion: null,
        totalInvestment: null,
        totalInvestmentVnd: null,
        sources: [],
        version: 1,
      });
      expect(project.statusHistory.map((h: any) => [h.status, h.effectiveOn])).toEqual([['PLANNED', today()]]);
    });

    it('resolves task codes without planCode when they are unambiguous', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WT-NOPLAN'), { taskCodes: ['II.4.c.1', 'II.4.a.1'] }),
        planner,
      );
      expect(project.tasks.map((x: any) => x.code)).toEqual(['II.4.a.1', 'II.4.c.1']);
    });

    const tooLong = (n: number) => 'x'.repeat(n);
    const usd = { amount: '100', currency: 'USD', rateToVnd: '25000', rateDate: '2025-01-10' };
    const refusals: [string, Record<string, unknown>, { field: string[]; code: string }[]][] = [
      ['a code with a space and "!"', { code: 'BAD CODE!' }, [{ field: ['input', 'code'], code: 'INVALID_VALUE' }]],
      ['a code starting with "-"', { code: '-WT-DASH' }, [{ field: ['input', 'code'], code: 'INVALID_VALUE' }]],
      ['a code of 65 characters', { code: `W${tooLong(64)}` }, [{ field: ['input', 'code'], code: 'INVALID_VALUE' }]],
      ['a blank name', { name: '   ' }, [{ field: ['input', 'name'], code: 'INVALID_VALUE' }]],
      ['a name of 501 characters', { name: tooLong(501) }, [{ field: ['input', 'name'], code: 'INVALID_VALUE' }]],
      [
        'an English name of 501 characters',
        { nameEn: tooLong(501) },
        [{ field: ['input', 'nameEn'], code: 'INVALID_VALUE' }],
      ],
      [
        'a description of 10001 characters',
        { description: tooLong(10001) },
        [{ field: ['input', 'description'], code: 'INVALID_VALUE' }],
      ],
      ['the code of an existing project', { code: 'BD-RAIL-DALN' }, [{ field: ['input', 'code'], code: 'DUPLICATE' }]],
      [
        'an unknown owner agency',
        { ownerAgencyCode: 'XX.NOWHERE' },
        [{ field: ['input', 'ownerAgencyCode'], code: 'NOT_FOUND' }],
      ],
      [
        'an unknown task code',
        { planCode: PLAN_CODE, taskCodes: ['II.4.b.1', 'IX.9.9'] },
        [{ field: ['input', 'taskCodes'], code: 'NOT_FOUND' }],
      ],
      [
        'an unknown task code without planCode',
        { taskCodes: ['IX.9.9'] },
        [{ field: ['input', 'taskCodes'], code: 'NOT_FOUND' }],
      ],
      [
        'an unknown planCode',
        { planCode: '0000/KH-NONE', taskCodes: ['II.4.b.1'] },
        [{ field: ['input', 'planCode'], code: 'NOT_FOUND' }],
      ],
      [
        'plannedCompletion before plannedStart',
        { plannedStart: '2026-01-01', plannedCompletion: '2025-12-31' },
        [{ field: ['input', 'plannedCompletion'], code: 'INVALID_VALUE' }],
      ],
      [
        'a negative total amount',
        { totalInvestment: { amount: '-5', currency: 'VND' } },
        [{ field: ['input', 'totalInvestment', 'amount'], code: 'INVALID_VALUE' }],
      ],
      [
        'a total amount with 3 decimals',
        { totalInvestment: { amount: '1.234', currency: 'VND' } },
        [{ field: ['input', 'totalInvestment', 'amount'], code: 'INVALID_VALUE' }],
      ],
      [
        'the unknown currency "XYZ"',
        { totalInvestment: { ...usd, currency: 'XYZ' } },
        [{ field: ['input', 'totalInvestment', 'currency'], code: 'INVALID_VALUE' }],
      ],
      [
        'a lower-case currency "usd"',
        { totalInvestment: { ...usd, currency: 'usd' } },
        [{ field: ['input', 'totalInvestment', 'currency'], code: 'INVALID_VALUE' }],
      ],
      [
        'a USD total without rateToVnd',
        { totalInvestment: { amount: '100', currency: 'USD', rateDate: '2025-01-10' } },
        [{ field: ['input', 'totalInvestment', 'rateToVnd'], code: 'INVALID_VALUE' }],
      ],
      [
        'a USD total without rateDate',
        { totalInvestment: { amount: '100', currency: 'USD', rateToVnd: '25000' } },
        [{ field: ['input', 'totalInvestment', 'rateDate'], code: 'INVALID_VALUE' }],
      ],
      [
        'a rate of 0',
        { totalInvestment: { ...usd, rateToVnd: '0' } },
        [{ field: ['input', 'totalInvestment', 'rateToVnd'], code: 'INVALID_VALUE' }],
      ],
      [
        'a rate dated in the future',
        { totalInvestment: { ...usd, rateDate: dayFromToday(2) } },
        [{ field: ['input', 'totalInvestment', 'rateDate'], code: 'INVALID_VALUE' }],
      ],
      ['a lengthKm with 4 decimals', { lengthKm: '1.2345' }, [{ field: ['input', 'lengthKm'], code: 'INVALID_VALUE' }]],
      [
        'a statusEffectiveOn in the future',
        { statusEffectiveOn: dayFromToday(1) },
        [{ field: ['input', 'statusEffectiveOn'], code: 'INVALID_VALUE' }],
      ],
      [
        'a source with neither url nor documentCode',
        { sources: [{ title: 'Nothing to find', retrievedOn: '2025-06-01', confidence: 'LOW' }] },
        [{ field: ['input', 'sources', '0'], code: 'INVALID_VALUE' }],
      ],
      [
        'a source whose url is not a URL',
        { sources: [source(), source({ url: 'not a url' })] },
        [{ field: ['input', 'sources', '1', 'url'], code: 'INVALID_VALUE' }],
      ],
      [
        'a source with an ftp url',
        { sources: [source({ url: 'ftp://example.org/file' })] },
        [{ field: ['input', 'sources', '0', 'url'], code: 'INVALID_VALUE' }],
      ],
      [
        'a source with a blank title',
        { sources: [source({ title: ' ' })] },
        [{ field: ['input', 'sources', '0', 'title'], code: 'INVALID_VALUE' }],
      ],
      [
        'a source published after it was retrieved',
        { sources: [source({ publishedOn: '2025-07-01', retrievedOn: '2025-06-01' })] },
        [{ field: ['input', 'sources', '0', 'publishedOn'], code: 'INVALID_VALUE' }],
      ],
      [
        'a source citing an unknown documentCode',
        {
          planCode: PLAN_CODE,
          taskCodes: ['II.4.b.1'],
          sources: [{ documentCode: '999/NO-SUCH', title: 'Missing', retrievedOn: '2025-06-01', confidence: 'LOW' }],
        },
        [{ field: ['input', 'sources', '0', 'documentCode'], code: 'NOT_FOUND' }],
      ],
    ];

    it.each(refusals)(
      'refuses %s with a user error at the field, writing nothing',
      async (_label, overrides, expected) => {
        const code = (overrides.code as string | undefined) ?? uniqueCode('WT-BAD');
        const input = { ...projectInput(code), ...overrides };
        const projectsBefore = await countProjects();
        const auditBefore = await auditCount(t);
        const daln = await projectSnapshot(t, 2);
        const payload = payloadOf(await t.query(CREATE_PROJECT, { input }, planner), 'createProject');
        expect(payload.project).toBeNull();
        const distinct = [...new Map(errorKeys(payload.userErrors).map((e) => [JSON.stringify(e), e])).values()];
        expect(distinct).toEqual(expected);
        for (const e of payload.userErrors) expect(e.message.length).toBeGreaterThan(0);
        expect(await countProjects()).toBe(projectsBefore);
        expect(await auditCount(t)).toBe(auditBefore);
        expect(await projectSnapshot(t, 2)).toEqual(daln);
        if (code !== 'BD-RAIL-DALN') expect(await projectByCode(t, code)).toBeNull();
      },
    );

    it('reports every problem of an input at once, each once', async () => {
      const payload = payloadOf(
        await t.query(
          CREATE_PROJECT,
          {
            input: {
              ...projectInput('BAD CODE'),
              name: 'x'.repeat(501),
              lengthKm: '1.2345',
              statusEffectiveOn: dayFromToday(1),
            },
          },
          planner,
        ),
        'createProject',
      );
      const byField = (a: { field: string[] }, b: { field: string[] }) =>
        a.field.join('.').localeCompare(b.field.join('.'));
      expect(errorKeys(payload.userErrors).sort(byField)).toEqual(
        [
          { field: ['input', 'name'], code: 'INVALID_VALUE' },
          { field: ['input', 'code'], code: 'INVALID_VALUE' },
          { field: ['input', 'lengthKm'], code: 'INVALID_VALUE' },
          { field: ['input', 'statusEffectiveOn'], code: 'INVALID_VALUE' },
        ].sort(byField),
      );
    });

    it('refuses a total whose VND equivalent does not fit the money column with a user error, not an internal error', async () => {
      const code = uniqueCode('WT-HUGE');
      const response = await t.query(
        CREATE_PROJECT,
        {
          input: projectInput(code, {
            totalInvestment: {
              amount: '9999999999999999999999.99',
              currency: 'USD',
              rateToVnd: '26000',
              rateDate: '2025-01-10',
            },
          }),
        },
        planner,
      );
      expect(response.body.errors).toBeUndefined();
      const payload = (response.body.data as any).createProject;
      expect(payload.project).toBeNull();
      expect(payload.userErrors.map((e: any) => e.code)).toEqual(['INVALID_VALUE']);
      expect(payload.userErrors[0].field.slice(0, 2)).toEqual(['input', 'totalInvestment']);
      expect(await projectByCode(t, code)).toBeNull();
    });
  });

  describe('updateProject', () => {
    const fullInput = (code: string) =>
      projectInput(code, {
        nameEn: 'English name',
        description: 'Description.',
        ownerAgencyCode: 'BD.UBND',
        plannedStart: '2025-01-01',
        plannedCompletion: '2027-06-30',
        lengthKm: '7.5',
        totalInvestment: { amount: '500000000000', currency: 'VND' },
        planCode: PLAN_CODE,
        taskCodes: ['II.4.b.2'],
        sources: [source({ url: 'https://example.org/first', title: 'First source' })],
      });

    it('changes only the fields given, bumps the version by 1 and moves updatedAt', async () => {
      const created = await createProject(t, fullInput(uniqueCode('WT-UPD')), planner);
      const payload = okPayload(
        await t.query(
          UPDATE_PROJECT,
          {
            input: {
              clientMutationId: 'upd-1',
              id: created.id,
              expectedVersion: 1,
              description: 'New description.',
              lengthKm: '8.25',
            },
          },
          planner,
        ),
        'updateProject',
      );
      expect(payload.clientMutationId).toBe('upd-1');
      const { description, lengthKm, version, updatedAt, ...rest } = payload.project;
      const { description: _d, lengthKm: _l, version: _v, updatedAt: oldUpdatedAt, ...oldRest } = created;
      expect({ description, lengthKm, version }).toEqual({
        description: 'New description.',
        lengthKm: '8.25',
        version: 2,
      });
      expect(rest).toEqual(oldRest);
      expect(Date.parse(updatedAt)).toBeGreaterThan(Date.parse(oldUpdatedAt));
      expect(await projectByCode(t, created.code)).toEqual(payload.project);
    });

    it('clears optional fields given as null', async () => {
      const created = await createProject(t, fullInput(uniqueCode('WT-CLR')), planner);
      const payload = okPayload(
        await t.query(
          UPDATE_PROJECT,
          {
            input: {
              id: created.id,
              expectedVersion: 1,
              nameEn: null,
              description: null,
              ownerAgencyCode: null,
              plannedStart: null,
              plannedCompletion: null,
              lengthKm: null,
              totalInvestment: null,
            },
          },
          planner,
        ),
        'updateProject',
      );
      expect(payload.project).toMatchObject({
        code: created.code,
        name: created.name,
        nameEn: null,
        description: null,
        ownerAgency: null,
        plannedStart: null,
        plannedCompletion: null,
        lengthKm: null,
        totalInvestment: null,
        totalInvestmentVnd: null,
        version: 2,
      });
      // Task links and sources were not named, so they stay.
      expect(payload.project.tasks).toEqual(created.tasks);
      expect(payload.project.sources).toEqual(created.sources);
    });

    it.each([
      ['name', { name: null }],
      ['code', { code: null }],
      ['sector', { sector: null }],
      ['type', { type: null }],
    ])('refuses null for the required field %s with INVALID_VALUE and writes nothing', async (field, change) => {
      const created = await createProject(t, fullInput(uniqueCode('WT-NULL')), planner);
      const before = await projectSnapshot(t, databaseId(created.id));
      const auditBefore = await auditCount(t);
      const payload = payloadOf(
        await t.query(UPDATE_PROJECT, { input: { id: created.id, expectedVersion: 1, ...change } }, planner),
        'updateProject',
      );
      expect(payload.project).toBeNull();
      expect(errorKeys(payload.userErrors)).toEqual([{ field: ['input', field], code: 'INVALID_VALUE' }]);
      expect(await projectSnapshot(t, databaseId(created.id))).toEqual(before);
      expect(await auditCount(t)).toBe(auditBefore);
    });

    it('refuses a stale expectedVersion with VERSION_CONFLICT and writes nothing', async () => {
      const created = await createProject(t, fullInput(uniqueCode('WT-STALE')), planner);
      okPayload(
        await t.query(UPDATE_PROJECT, { input: { id: created.id, expectedVersion: 1, name: 'Second name' } }, planner),
        'updateProject',
      );
      const before = await projectSnapshot(t, databaseId(created.id));
      const auditBefore = await auditCount(t);
      const payload = payloadOf(
        await t.query(
          UPDATE_PROJECT,
          { input: { id: created.id, expectedVersion: 1, name: 'Lost update', taskCodes: [] } },
          planner,
        ),
        'updateProject',
      );
      expect(payload.project).toBeNull();
      expect(errorKeys(payload.userErrors)).toEqual([
        { field: ['input', 'expectedVersion'], code: 'VERSION_CONFLICT' },
      ]);
      expect(payload.userErrors[0].message).toContain('version 2');
      expect(await projectSnapshot(t, databaseId(created.id))).toEqual(before);
      expect(await auditCount(t)).toBe(auditBefore);
      expect((await projectByCode(t, created.code)).name).toBe('Second name');
    });

    it('replaces the task links with taskCodes and adds sources to the existing ones', async () => {
      const created = await createProject(t, fullInput(uniqueCode('WT-TASKS')), planner);
      expect(created.tasks.map((x: any) => x.code)).toEqual(['II.4.b.2']);
      const payload = okPayload(
        await t.query(
          UPDATE_PROJECT,
          {
            input: {
              id: created.id,
              expectedVersion: 1,
              planCode: PLAN_CODE,
              taskCodes: ['II.4.d.2', 'II.1.1'],
              sources: [source({ url: 'https://example.org/second', title: 'Second source' })],
            },
          },
          planner,
        ),
        'updateProject',
      );
      expect(payload.project.tasks.map((x: any) => x.code)).toEqual(['II.1.1', 'II.4.d.2']);
      expect(payload.project.sources.map((s: any) => s.title)).toEqual(['First source', 'Second source']);
      const old = await t.query(TASK_BY_CODE, { plan: PLAN_CODE, code: 'II.4.b.2' });
      expect((old.body.data as any).plan.task.projects.nodes.map((p: any) => p.code)).not.toContain(created.code);
      const cleared = okPayload(
        await t.query(UPDATE_PROJECT, { input: { id: created.id, expectedVersion: 2, taskCodes: [] } }, planner),
        'updateProject',
      );
      expect(cleared.project.tasks).toEqual([]);
      expect(cleared.project.version).toBe(3);
    });

    it('refuses a change of code to an existing code with DUPLICATE, and plannedCompletion before the stored plannedStart', async () => {
      const created = await createProject(t, fullInput(uniqueCode('WT-DUPUPD')), planner);
      const before = await projectSnapshot(t, databaseId(created.id));
      const duplicate = payloadOf(
        await t.query(UPDATE_PROJECT, { input: { id: created.id, expectedVersion: 1, code: 'BD-METRO-1' } }, planner),
        'updateProject',
      );
      expect(errorKeys(duplicate.userErrors)).toEqual([{ field: ['input', 'code'], code: 'DUPLICATE' }]);
      const early = payloadOf(
        await t.query(
          UPDATE_PROJECT,
          { input: { id: created.id, expectedVersion: 1, plannedCompletion: '2024-12-31' } },
          planner,
        ),
        'updateProject',
      );
      expect(errorKeys(early.userErrors)).toEqual([{ field: ['input', 'plannedCompletion'], code: 'INVALID_VALUE' }]);
      expect(await projectSnapshot(t, databaseId(created.id))).toEqual(before);
    });

    it('refuses an ID of another type with INVALID_VALUE and an unknown project with NOT_FOUND', async () => {
      const wrongType = payloadOf(
        await t.query(UPDATE_PROJECT, { input: { id: globalId('Plan', 1), expectedVersion: 1, name: 'x' } }, planner),
        'updateProject',
      );
      expect(errorKeys(wrongType.userErrors)).toEqual([{ field: ['input', 'id'], code: 'INVALID_VALUE' }]);
      const unknown = payloadOf(
        await t.query(
          UPDATE_PROJECT,
          { input: { id: globalId('Project', 987654), expectedVersion: 1, name: 'x' } },
          planner,
        ),
        'updateProject',
      );
      expect(errorKeys(unknown.userErrors)).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    });
  });

  describe('archiveProject', () => {
    const ARCHIVE_VIEW = /* GraphQL */ `
      query ArchiveView($plan: String!, $task: String!) {
        projects(first: 1) {
          totalCount
          aggregate {
            count
            totalInvestment {
              amount
            }
            investmentKnownCount
            fundingMix {
              total {
                amount
              }
              allocationCount
            }
          }
        }
        plan(code: $plan) {
          projects(first: 100) {
            totalCount
            nodes {
              code
            }
          }
          fundingMix {
            total {
              amount
            }
            allocationCount
          }
          task(code: $task) {
            projects(first: 100) {
              totalCount
              nodes {
                code
              }
            }
            fundingMix {
              total {
                amount
              }
              allocationCount
            }
          }
        }
        fundingMix(groupBy: PROJECT) {
          key
        }
      }
    `;

    it('takes the project out of listings, totals, aggregates and plan/task lists, but keeps it reachable by node and code', async () => {
      const code = uniqueCode('WT-ARCH');
      const created = await createProject(
        t,
        projectInput(code, {
          totalInvestment: { amount: '777000000', currency: 'VND' },
          planCode: PLAN_CODE,
          taskCodes: ['II.4.c.2'],
        }),
        planner,
      );
      okPayload(
        await t.query(
          SET_FUNDING,
          {
            input: {
              projectId: created.id,
              expectedVersion: 1,
              allocations: [{ sourceCode: 'ODA', amount: '500', currency: 'VND', status: 'COMMITTED' }],
            },
          },
          planner,
        ),
        'setProjectFunding',
      );
      const before = (await t.query(ARCHIVE_VIEW, { plan: PLAN_CODE, task: 'II.4.c.2' })).body.data as any;
      expect(before.plan.task.projects.nodes.map((p: any) => p.code)).toEqual([code]);
      expect(before.plan.projects.nodes.map((p: any) => p.code)).toContain(code);
      expect(before.fundingMix.map((g: any) => g.key)).toContain(code);

      const payload = okPayload(
        await t.query(
          ARCHIVE_PROJECT,
          { input: { id: created.id, expectedVersion: 2, reason: 'Recorded twice.' } },
          planner,
        ),
        'archiveProject',
      );
      expect(payload.project.archivedAt).toEqual(expect.any(String));
      expect(payload.project.version).toBe(3);

      const after = (await t.query(ARCHIVE_VIEW, { plan: PLAN_CODE, task: 'II.4.c.2' })).body.data as any;
      expect(after.projects.totalCount).toBe(before.projects.totalCount - 1);
      expect(after.projects.aggregate).toEqual({
        count: before.projects.aggregate.count - 1,
        totalInvestment: { amount: subDec(before.projects.aggregate.totalInvestment.amount, '777000000') },
        investmentKnownCount: before.projects.aggregate.investmentKnownCount - 1,
        fundingMix: {
          total: { amount: subDec(before.projects.aggregate.fundingMix.total.amount, '500') },
          allocationCount: before.projects.aggregate.fundingMix.allocationCount - 1,
        },
      });
      expect(after.plan.projects.totalCount).toBe(before.plan.projects.totalCount - 1);
      expect(after.plan.projects.nodes.map((p: any) => p.code)).not.toContain(code);
      expect(after.plan.fundingMix).toEqual({
        total: { amount: subDec(before.plan.fundingMix.total.amount, '500') },
        allocationCount: before.plan.fundingMix.allocationCount - 1,
      });
      expect(after.plan.task).toEqual({
        projects: { totalCount: 0, nodes: [] },
        fundingMix: { total: { amount: '0' }, allocationCount: 0 },
      });
      expect(after.fundingMix.map((g: any) => g.key)).not.toContain(code);

      const byCode = await projectByCode(t, code);
      expect(byCode).toEqual(payload.project);
      expect(byCode.archivedAt).toEqual(expect.any(String));
      const node = (await t.query(NODE, { id: created.id })).body.data as any;
      expect(node.node).toEqual({ __typename: 'Project', ...payload.project });
    });

    it('refuses to archive an archived project, and a status change of an archived project, with INVALID_VALUE', async () => {
      const created = await createProject(t, projectInput(uniqueCode('WT-ARCH2')), planner);
      okPayload(
        await t.query(ARCHIVE_PROJECT, { input: { id: created.id, expectedVersion: 1 } }, planner),
        'archiveProject',
      );
      const before = await projectSnapshot(t, databaseId(created.id));
      const twice = payloadOf(
        await t.query(ARCHIVE_PROJECT, { input: { id: created.id, expectedVersion: 2 } }, planner),
        'archiveProject',
      );
      expect(twice.project).toBeNull();
      expect(errorKeys(twice.userErrors)).toEqual([{ field: ['input', 'id'], code: 'INVALID_VALUE' }]);
      const status = payloadOf(
        await t.query(
          CHANGE_STATUS,
          { input: { projectId: created.id, status: 'PREPARATION', effectiveOn: today(), expectedVersion: 2 } },
          planner,
        ),
        'changeProjectStatus',
      );
      expect(status.project).toBeNull();
      expect(errorKeys(status.userErrors)).toEqual([{ field: ['input', 'projectId'], code: 'INVALID_VALUE' }]);
      expect(await projectSnapshot(t, databaseId(created.id))).toEqual(before);
    });
  });

  describe('changeProjectStatus', () => {
    const fresh = (status: Status, sub = planner) =>
      createProject(
        t,
        projectInput(uniqueCode(`WT-${status.slice(0, 4)}`), { status, statusEffectiveOn: '2024-03-01' }),
        sub,
      );
    const change = (
      projectId: string,
      status: string,
      expectedVersion: number,
      extra: Record<string, unknown> = {},
      headers = planner,
    ) =>
      t.query(
        CHANGE_STATUS,
        { input: { projectId, status, effectiveOn: today(), expectedVersion, ...extra } },
        headers,
      );

    it.each(allowedPairs)('moves a %s project to %s', async (from, to) => {
      const project = await fresh(from);
      const payload = okPayload(await change(project.id, to, 1, { note: `${from} → ${to}` }), 'changeProjectStatus');
      expect(payload.project.status).toBe(to);
      expect(payload.project.version).toBe(2);
      expect(payload.statusChange).toMatchObject({
        status: to,
        oc4idsStatus: OC4IDS[to],
        effectiveOn: today(),
        note: `${from} → ${to}`,
      });
      expect(payload.project.statusHistory.map((h: any) => h.status)).toEqual([from, to]);
    });

    it.each(STATUSES.map((s) => [s] as const))(
      'refuses every move the machine does not allow from %s with INVALID_TRANSITION, writing nothing',
      async (from) => {
        const project = await fresh(from);
        const before = await projectSnapshot(t, databaseId(project.id));
        const refused = STATUSES.filter((to) => !ALLOWED[from].includes(to) && !(ADMIN_ONLY[from] ?? []).includes(to));
        expect(refused).toContain(from);
        const answers: any[] = [];
        for (const to of refused) {
          const payload = payloadOf(await change(project.id, to, 1), 'changeProjectStatus');
          answers.push({
            to,
            project: payload.project,
            statusChange: payload.statusChange,
            errors: errorKeys(payload.userErrors),
          });
        }
        expect(answers).toEqual(
          refused.map((to) => ({
            to,
            project: null,
            statusChange: null,
            errors: [{ field: ['input', 'status'], code: 'INVALID_TRANSITION' }],
          })),
        );
        expect(await projectSnapshot(t, databaseId(project.id))).toEqual(before);
      },
    );

    it('names the moves allowed from a status when refusing one (COMPLETED → PLANNED, UNDER_CONSTRUCTION → PLANNED)', async () => {
      const completed = await fresh('COMPLETED');
      const a = payloadOf(await change(completed.id, 'PLANNED', 1), 'changeProjectStatus');
      expect(a.userErrors[0].message).toBe('A COMPLETED project cannot become PLANNED; that status is final.');
      const building = await fresh('UNDER_CONSTRUCTION');
      const b = payloadOf(await change(building.id, 'PLANNED', 1), 'changeProjectStatus');
      expect(b.userErrors[0].message).toBe(
        'A UNDER_CONSTRUCTION project cannot become PLANNED; it may become COMPLETED, SUSPENDED, CANCELLED.',
      );
    });

    it('refuses a planner reopening a CANCELLED project, writing nothing, but lets an admin reopen it to PLANNED or PREPARATION, not APPROVED', async () => {
      for (const to of ['PLANNED', 'PREPARATION']) {
        const project = await fresh('CANCELLED');
        const before = await projectSnapshot(t, databaseId(project.id));
        const refused = payloadOf(await change(project.id, to, 1), 'changeProjectStatus');
        expect(refused.project).toBeNull();
        expect(refused.userErrors.map((e: any) => [e.field, e.message])).toEqual([
          [['input', 'status'], 'Only an admin may reopen a CANCELLED project.'],
        ]);
        expect(await projectSnapshot(t, databaseId(project.id))).toEqual(before);
        const payload = okPayload(await change(project.id, to, 1, {}, admin), 'changeProjectStatus');
        expect(payload.project.status).toBe(to);
        expect(payload.project.statusHistory.map((h: any) => h.status)).toEqual(['CANCELLED', to]);
      }
      const project = await fresh('CANCELLED');
      const refused = payloadOf(await change(project.id, 'APPROVED', 1, {}, admin), 'changeProjectStatus');
      expect(errorKeys(refused.userErrors)).toEqual([{ field: ['input', 'status'], code: 'INVALID_TRANSITION' }]);
    });

    it("codes a planner's refused reopening of a CANCELLED project NOT_ALLOWED (the caller's role, not the machine, forbids it)", async () => {
      const project = await fresh('CANCELLED');
      const payload = payloadOf(await change(project.id, 'PLANNED', 1), 'changeProjectStatus');
      expect(errorKeys(payload.userErrors)).toEqual([{ field: ['input', 'status'], code: 'NOT_ALLOWED' }]);
    });

    it('refuses an effectiveOn before the latest change with INVALID_VALUE, and accepts the same day', async () => {
      const project = await fresh('PLANNED');
      const before = await projectSnapshot(t, databaseId(project.id));
      const early = payloadOf(
        await change(project.id, 'PREPARATION', 1, { effectiveOn: '2024-02-29' }),
        'changeProjectStatus',
      );
      expect(errorKeys(early.userErrors)).toEqual([{ field: ['input', 'effectiveOn'], code: 'INVALID_VALUE' }]);
      expect(early.userErrors[0].message).toContain('2024-03-01');
      expect(await projectSnapshot(t, databaseId(project.id))).toEqual(before);
      const sameDay = okPayload(
        await change(project.id, 'PREPARATION', 1, { effectiveOn: '2024-03-01' }),
        'changeProjectStatus',
      );
      expect(sameDay.project.statusHistory.map((h: any) => [h.status, h.effectiveOn])).toEqual([
        ['PLANNED', '2024-03-01'],
        ['PREPARATION', '2024-03-01'],
      ]);
      expect(sameDay.project.status).toBe('PREPARATION');
    });

    it('refuses an effectiveOn in the future and a stale expectedVersion', async () => {
      const project = await fresh('PLANNED');
      const future = payloadOf(
        await change(project.id, 'PREPARATION', 1, { effectiveOn: dayFromToday(1) }),
        'changeProjectStatus',
      );
      expect(errorKeys(future.userErrors)).toEqual([{ field: ['input', 'effectiveOn'], code: 'INVALID_VALUE' }]);
      const stale = payloadOf(await change(project.id, 'PREPARATION', 7), 'changeProjectStatus');
      expect(errorKeys(stale.userErrors)).toEqual([{ field: ['input', 'expectedVersion'], code: 'VERSION_CONFLICT' }]);
      expect((await projectByCode(t, project.code)).statusHistory).toHaveLength(1);
    });

    it('appends exactly one history entry with its note and sources, sets status, and reorders STATUS_CHANGED_AT', async () => {
      const project = await fresh('PLANNED');
      const historyBefore = await scalar(
        t,
        `select count(*)::int from project_status_changes where project_id = ${databaseId(project.id)}`,
      );
      const sources = [
        source({ url: 'https://example.org/study', title: 'Pre-feasibility study approved', supports: 'status' }),
        { documentCode: '72-KL/TW', title: 'Kết luận 72-KL/TW', retrievedOn: '2025-06-01', confidence: 'MEDIUM' },
      ];
      const payload = okPayload(
        await change(project.id, 'PREPARATION', 1, { note: 'Studies started.', sources, clientMutationId: 'status-1' }),
        'changeProjectStatus',
      );
      expect(payload.clientMutationId).toBe('status-1');
      const entry = {
        status: 'PREPARATION',
        oc4idsStatus: 'preparation',
        effectiveOn: today(),
        note: 'Studies started.',
        sources: [
          {
            url: 'https://example.org/study',
            title: 'Pre-feasibility study approved',
            document: null,
            supports: 'status',
          },
          { url: null, title: 'Kết luận 72-KL/TW', document: { code: '72-KL/TW' }, supports: null },
        ],
      };
      expect(payload.statusChange).toEqual({ id: expect.any(String), ...entry });
      const read = await projectByCode(t, project.code);
      expect(read.status).toBe('PREPARATION');
      expect(read.version).toBe(2);
      expect(read.statusHistory).toHaveLength(2);
      expect(read.statusHistory[0]).toEqual(project.statusHistory[0]);
      expect(read.statusHistory[1]).toEqual({ id: payload.statusChange.id, ...entry });
      expect(
        await scalar(
          t,
          `select count(*)::int from project_status_changes where project_id = ${databaseId(project.id)}`,
        ),
      ).toBe(historyBefore + 1);

      const ordered = (
        await t.query(
          `{ projects(orderBy: [{ field: STATUS_CHANGED_AT, direction: DESC }], first: 100) { totalCount nodes { id code statusHistory { effectiveOn } } } }`,
        )
      ).body.data as any;
      const latest = (p: any) => p.statusHistory[p.statusHistory.length - 1].effectiveOn as string;
      const nodes = ordered.projects.nodes;
      const sorted = [...nodes].sort((a: any, b: any) =>
        latest(a) < latest(b) ? 1 : latest(a) > latest(b) ? -1 : databaseId(a.id) - databaseId(b.id),
      );
      expect(nodes.map((p: any) => p.code)).toEqual(sorted.map((p: any) => p.code));
      expect(latest(nodes[0])).toBe(today());
      expect(nodes.map((p: any) => p.code)).toContain(project.code);
      const oldPosition = nodes.findIndex((p: any) => latest(p) < today());
      expect(nodes.findIndex((p: any) => p.code === project.code)).toBeLessThan(
        oldPosition === -1 ? Infinity : oldPosition,
      );
    });
  });

  describe('linkProjectToTask and unlinkProjectFromTask', () => {
    const taskProjects = async (code: string) =>
      ((await t.query(TASK_BY_CODE, { plan: PLAN_CODE, code })).body.data as any).plan.task.projects;

    it("links a project to a task by global IDs and unlinks it, the task's projects following", async () => {
      const project = await createProject(t, projectInput(uniqueCode('WT-LINK')), planner);
      const task = await taskId(t, 'II.4.d.1');
      const before = await taskProjects('II.4.d.1');
      const linked = okPayload(
        await t.query(
          LINK,
          { input: { projectId: project.id, taskId: task, expectedVersion: 1, clientMutationId: 'link-1' } },
          planner,
        ),
        'linkProjectToTask',
      );
      expect(linked.clientMutationId).toBe('link-1');
      expect(linked.project).toMatchObject({ id: project.id, version: 2, tasks: [{ code: 'II.4.d.1' }] });
      expect(linked.task.id).toBe(task);
      expect(linked.task.projects.totalCount).toBe(before.totalCount + 1);
      expect(linked.task.projects.nodes.map((p: any) => p.code)).toContain(project.code);
      expect(await taskProjects('II.4.d.1')).toEqual(linked.task.projects);

      const unlinked = okPayload(
        await t.query(UNLINK, { input: { projectId: project.id, taskId: task, expectedVersion: 2 } }, planner),
        'unlinkProjectFromTask',
      );
      expect(unlinked.project).toMatchObject({ version: 3, tasks: [] });
      expect(unlinked.task.projects).toEqual(before);
      expect(await taskProjects('II.4.d.1')).toEqual(before);
    });

    it('refuses an ID of the wrong type with INVALID_VALUE, an unknown task with NOT_FOUND, a second link with DUPLICATE, and unlinking a non-link with NOT_FOUND', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WT-LINKERR'), { planCode: PLAN_CODE, taskCodes: ['II.4.d.2'] }),
        planner,
      );
      const linkedTask = await taskId(t, 'II.4.d.2');
      const otherTask = await taskId(t, 'II.4.d.1');
      const before = await projectSnapshot(t, databaseId(project.id));
      const auditBefore = await auditCount(t);
      const cases: [string, Record<string, unknown>, { field: string[]; code: string }][] = [
        [
          LINK,
          { projectId: project.id, taskId: project.id, expectedVersion: 1 },
          { field: ['input', 'taskId'], code: 'INVALID_VALUE' },
        ],
        [
          LINK,
          { projectId: linkedTask, taskId: linkedTask, expectedVersion: 1 },
          { field: ['input', 'projectId'], code: 'INVALID_VALUE' },
        ],
        [
          LINK,
          { projectId: project.id, taskId: globalId('PlanTask', 987654), expectedVersion: 1 },
          { field: ['input', 'taskId'], code: 'NOT_FOUND' },
        ],
        [
          LINK,
          { projectId: project.id, taskId: linkedTask, expectedVersion: 1 },
          { field: ['input', 'taskId'], code: 'DUPLICATE' },
        ],
        [
          UNLINK,
          { projectId: project.id, taskId: otherTask, expectedVersion: 1 },
          { field: ['input', 'taskId'], code: 'NOT_FOUND' },
        ],
        [
          UNLINK,
          { projectId: project.id, taskId: 'bm90LWFuLWlk', expectedVersion: 1 },
          { field: ['input', 'taskId'], code: 'INVALID_VALUE' },
        ],
        [
          UNLINK,
          { projectId: project.id, taskId: linkedTask, expectedVersion: 5 },
          { field: ['input', 'expectedVersion'], code: 'VERSION_CONFLICT' },
        ],
      ];
      for (const [document, input, expected] of cases) {
        const field = document === LINK ? 'linkProjectToTask' : 'unlinkProjectFromTask';
        const payload = payloadOf(await t.query(document, { input }, planner), field);
        expect({ input, project: payload.project, task: payload.task, errors: errorKeys(payload.userErrors) }).toEqual({
          input,
          project: null,
          task: null,
          errors: [expected],
        });
      }
      expect(await projectSnapshot(t, databaseId(project.id))).toEqual(before);
      expect(await auditCount(t)).toBe(auditBefore);
    });
  });

  describe('task codes in several plans', () => {
    it('refuses task codes that two plans share unless planCode names one', async () => {
      const planCode = uniqueCode('WT/KH');
      const plan = await t.query(
        CREATE_PLAN,
        {
          input: {
            code: planCode,
            title: 'Kế hoạch thứ hai',
            issuedOn: '2025-09-01',
            issuerCode: 'HCM.UBND',
            sections: [{ number: 'II.4.b', heading: 'Giao thông', tasks: ['Một', 'Hai'] }],
          },
        },
        admin,
      );
      okPayload(plan, 'createPlan');
      const ambiguous = payloadOf(
        await t.query(
          CREATE_PROJECT,
          { input: projectInput(uniqueCode('WT-AMB'), { taskCodes: ['II.4.b.1'] }) },
          planner,
        ),
        'createProject',
      );
      expect(errorKeys(ambiguous.userErrors)).toEqual([{ field: ['input', 'planCode'], code: 'INVALID_VALUE' }]);
      const named = await createProject(
        t,
        projectInput(uniqueCode('WT-AMB'), { planCode, taskCodes: ['II.4.b.1'] }),
        planner,
      );
      expect(named.tasks.map((x: any) => x.code)).toEqual(['II.4.b.1']);
      const seeded = await createProject(
        t,
        projectInput(uniqueCode('WT-AMB'), { planCode: PLAN_CODE, taskCodes: ['II.4.b.1'] }),
        planner,
      );
      expect(seeded.tasks[0].id).not.toBe(named.tasks[0].id);
    });
  });
});
