import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  ARCHIVE_PROJECT,
  as,
  auditCount,
  CHANGE_STATUS,
  CREATE_AGENCY,
  CREATE_PLAN,
  CREATE_PROJECT,
  createProject,
  databaseId,
  errorKeys,
  globalId,
  LINK,
  okPayload,
  PLAN_CODE,
  projectByCode,
  projectInput,
  rawPost,
  RECORD_SUCCESSION,
  rows,
  scalar,
  SET_FUNDING,
  taskId,
  today,
  trimDec,
  uniqueCode,
  UNLINK,
  UPDATE_PROJECT,
} from '../helpers/write-kit';

/**
 * The audit log and idempotency keys through HTTP: one entry per successful write, written in the write's
 * transaction, with who, what, when, before/after and the request; none for a refused write; filters and paging;
 * Idempotency-Key replays.
 */

const ENTRY = /* GraphQL */ `
  fragment Entry on AuditEntry {
    id
    action
    actor {
      subject
      role
    }
    at
    entityType
    entity {
      __typename
      id
      ... on Project {
        code
        archivedAt
      }
      ... on Plan {
        code
      }
      ... on Agency {
        code
      }
    }
    before
    after
    requestId
    clientMutationId
  }
`;

const AUDIT_LOG = /* GraphQL */ `
  query AuditLog($filter: AuditLogFilter, $first: Int, $after: String, $last: Int, $before: String) {
    auditLog(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          id
        }
      }
      nodes {
        ...Entry
      }
    }
  }
  ${ENTRY}
`;

const AUDIT_TRAIL = /* GraphQL */ `
  query Trail($code: String!, $first: Int, $after: String) {
    project(code: $code) {
      auditTrail(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...Entry
        }
      }
    }
  }
  ${ENTRY}
`;

describe('audit log and idempotency', () => {
  let t: TestApp;
  let planner: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    planner = await as('planner', 'aud-planner');
    admin = await as('admin', 'aud-admin');
  });

  afterAll(async () => {
    await t?.stop();
  });

  const auditLog = async (variables: Record<string, unknown>) => {
    const response = await t.query(AUDIT_LOG, variables, admin);
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return (response.body.data as any).auditLog;
  };

  describe('one entry per successful write', () => {
    let project: any;
    const steps: { action: string; requestId: string; clientMutationId: string }[] = [];

    /** Runs a write with a request id and a clientMutationId, checking it adds exactly one audit entry. */
    const write = async (document: string, field: string, input: Record<string, unknown>, headers = planner) => {
      const n = steps.length + 1;
      const requestId = `audit-req-${n}-${field}`;
      const clientMutationId = `cmid-${n}`;
      const before = await auditCount(t);
      const response = await t.query(
        document,
        { input: { ...input, clientMutationId } },
        { ...headers, 'x-request-id': requestId },
      );
      expect(response.headers.get('x-request-id')).toBe(requestId);
      const payload = okPayload(response, field);
      expect(payload.clientMutationId).toBe(clientMutationId);
      expect(await auditCount(t)).toBe(before + 1);
      steps.push({ action: field, requestId, clientMutationId });
      return payload;
    };

    beforeAll(async () => {
      const created = await write(
        CREATE_PROJECT,
        'createProject',
        projectInput(uniqueCode('WA-LIFE'), { statusEffectiveOn: '2024-01-01' }),
      );
      project = created.project;
      await write(UPDATE_PROJECT, 'updateProject', {
        id: project.id,
        expectedVersion: 1,
        description: 'Now described.',
      });
      await write(CHANGE_STATUS, 'changeProjectStatus', {
        projectId: project.id,
        status: 'PREPARATION',
        effectiveOn: today(),
        expectedVersion: 2,
        note: 'Studies.',
      });
      await write(SET_FUNDING, 'setProjectFunding', {
        projectId: project.id,
        expectedVersion: 3,
        allocations: [
          {
            sourceCode: 'ODA',
            amount: '100.5',
            currency: 'USD',
            rateToVnd: '25000',
            rateDate: '2025-01-10',
            status: 'COMMITTED',
          },
        ],
      });
      const task = await taskId(t, 'II.4.d.1');
      await write(LINK, 'linkProjectToTask', { projectId: project.id, taskId: task, expectedVersion: 4 });
      await write(UNLINK, 'unlinkProjectFromTask', { projectId: project.id, taskId: task, expectedVersion: 5 });
      await write(ARCHIVE_PROJECT, 'archiveProject', {
        id: project.id,
        expectedVersion: 6,
        reason: 'Merged into another record.',
      });
    });

    it("lists the project's entries newest first with action, actor, request id and clientMutationId", async () => {
      const log = await auditLog({ filter: { entityId: project.id }, first: 20 });
      expect(log.totalCount).toBe(7);
      expect(
        log.nodes.map((e: any) => ({
          action: e.action,
          actor: e.actor,
          entityType: e.entityType,
          requestId: e.requestId,
          clientMutationId: e.clientMutationId,
        })),
      ).toEqual(
        [...steps].reverse().map((s) => ({
          action: s.action,
          actor: { subject: 'aud-planner', role: 'planner' },
          entityType: 'Project',
          requestId: s.requestId,
          clientMutationId: s.clientMutationId,
        })),
      );
      const ids = log.nodes.map((e: any) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      const times = log.nodes.map((e: any) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      for (const e of log.nodes) expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$/);
    });

    it('resolves every entry to the Project node, which is archived by the last one', async () => {
      const log = await auditLog({ filter: { entityId: project.id }, first: 20 });
      const archived = await projectByCode(t, project.code);
      expect(archived.archivedAt).toEqual(expect.any(String));
      for (const e of log.nodes) {
        expect(e.entity).toEqual({
          __typename: 'Project',
          id: project.id,
          code: project.code,
          archivedAt: archived.archivedAt,
        });
      }
    });

    it('records before (null for a create) and after with the changed values: fields, status, version, funding, tasks, archiving', async () => {
      const log = await auditLog({ filter: { entityId: project.id }, first: 20 });
      const byAction = new Map<string, any>(log.nodes.map((e: any) => [e.action, e]));
      const create = byAction.get('createProject');
      expect(create.before).toBeNull();
      expect(create.after).toMatchObject({
        id: databaseId(project.id),
        code: project.code,
        status: 'PLANNED',
        version: 1,
        archivedAt: null,
        tasks: [],
        funding: [],
      });

      const update = byAction.get('updateProject');
      expect([update.before.description, update.before.version]).toEqual([null, 1]);
      expect([update.after.description, update.after.version]).toEqual(['Now described.', 2]);

      const status = byAction.get('changeProjectStatus');
      expect([status.before.status, status.before.statusChangedOn, status.before.version]).toEqual([
        'PLANNED',
        '2024-01-01',
        2,
      ]);
      expect([status.after.status, status.after.statusChangedOn, status.after.version]).toEqual([
        'PREPARATION',
        today(),
        3,
      ]);

      const funding = byAction.get('setProjectFunding');
      expect(funding.before.funding).toEqual([]);
      expect(funding.after.version).toBe(4);
      expect(
        funding.after.funding.map((f: any) => ({
          source: f.source,
          amount: trimDec(f.amount),
          currency: f.currency,
          rate: trimDec(f.rateToVnd),
          vnd: trimDec(f.amountVnd),
          status: f.status,
        })),
      ).toEqual([
        { source: 'ODA', amount: '100.5', currency: 'USD', rate: '25000', vnd: '2512500', status: 'COMMITTED' },
      ]);

      const link = byAction.get('linkProjectToTask');
      expect([link.before.tasks, link.after.tasks, link.after.version]).toEqual([[], [`${PLAN_CODE} II.4.d.1`], 5]);
      const unlink = byAction.get('unlinkProjectFromTask');
      expect([unlink.before.tasks, unlink.after.tasks, unlink.after.version]).toEqual([
        [`${PLAN_CODE} II.4.d.1`],
        [],
        6,
      ]);

      const archive = byAction.get('archiveProject');
      expect(archive.before.archivedAt).toBeNull();
      expect(archive.after.archivedAt).not.toBeNull();
      expect(archive.after.archiveReason).toBe('Merged into another record.');
      expect(archive.after.version).toBe(7);
    });

    it("shows a planner the project's audit trail: the same entries, newest first", async () => {
      const response = await t.query(AUDIT_TRAIL, { code: project.code, first: 20 }, planner);
      expect(response.status).toBe(200);
      const trail = (response.body.data as any).project.auditTrail;
      const log = await auditLog({ filter: { entityId: project.id }, first: 20 });
      expect(trail.totalCount).toBe(7);
      expect(trail.nodes).toEqual(log.nodes);
      const paged = (await t.query(AUDIT_TRAIL, { code: project.code, first: 4 }, planner)).body.data as any;
      const rest = (
        await t.query(
          AUDIT_TRAIL,
          { code: project.code, first: 4, after: paged.project.auditTrail.pageInfo.endCursor },
          planner,
        )
      ).body.data as any;
      expect(paged.project.auditTrail.pageInfo.hasNextPage).toBe(true);
      expect(rest.project.auditTrail.pageInfo.hasNextPage).toBe(false);
      expect([...paged.project.auditTrail.nodes, ...rest.project.auditTrail.nodes].map((e: any) => e.id)).toEqual(
        log.nodes.map((e: any) => e.id),
      );
    });

    it('uses a generated request id, the one the response header carries, when the caller sends none', async () => {
      const p = await createProject(t, projectInput(uniqueCode('WA-REQ')), planner);
      const response = await t.query(
        UPDATE_PROJECT,
        { input: { id: p.id, expectedVersion: 1, name: 'Renamed' } },
        planner,
      );
      okPayload(response, 'updateProject');
      const header = response.headers.get('x-request-id');
      expect(header).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const log = await auditLog({ filter: { entityId: p.id, action: 'updateProject' } });
      expect(log.nodes.map((e: any) => [e.requestId, e.clientMutationId])).toEqual([[header, null]]);
    });
  });

  it('audits admin writes with their entity: a Plan, an Agency, and the predecessor of a succession', async () => {
    const planCode = uniqueCode('WA/KH');
    const plan = okPayload(
      await t.query(
        CREATE_PLAN,
        {
          input: {
            clientMutationId: 'plan-1',
            code: planCode,
            title: 'Kế hoạch',
            issuedOn: '2025-09-01',
            issuerCode: 'HCM.UBND',
            sections: [{ number: 'I', heading: 'Mục I', tasks: ['A', 'B'] }],
          },
        },
        { ...admin, 'x-request-id': 'wa-plan' },
      ),
      'createPlan',
    ).plan;
    const agencyCode = uniqueCode('WA.AG');
    const agency = okPayload(
      await t.query(
        CREATE_AGENCY,
        {
          input: {
            code: agencyCode,
            name: 'Sở mới',
            kind: 'DEPARTMENT',
            jurisdictionCode: 'HCM',
            jurisdiction: 'TP.HCM',
          },
        },
        admin,
      ),
      'createAgency',
    ).agency;
    okPayload(
      await t.query(
        RECORD_SUCCESSION,
        {
          input: {
            predecessorCode: 'HCM.SCT',
            successorCode: agencyCode,
            kind: 'RENAME',
            effectiveOn: '2025-10-01',
            reason: 'Renamed.',
          },
        },
        admin,
      ),
      'recordAgencySuccession',
    );
    const planEntries = await auditLog({ filter: { entityId: plan.id } });
    expect(
      planEntries.nodes.map((e: any) => [
        e.action,
        e.entityType,
        e.entity,
        e.actor,
        e.requestId,
        e.clientMutationId,
        e.before,
      ]),
    ).toEqual([
      [
        'createPlan',
        'Plan',
        { __typename: 'Plan', id: plan.id, code: planCode },
        { subject: 'aud-admin', role: 'admin' },
        'wa-plan',
        'plan-1',
        null,
      ],
    ]);
    expect(planEntries.nodes[0].after).toMatchObject({ code: planCode, sections: 1, tasks: 2 });
    const agencyEntries = await auditLog({ filter: { entityId: agency.id } });
    expect(agencyEntries.nodes.map((e: any) => [e.action, e.entity])).toEqual([
      ['createAgency', { __typename: 'Agency', id: agency.id, code: agencyCode }],
    ]);
    const succession = await auditLog({ filter: { action: 'recordAgencySuccession' } });
    expect(succession.nodes.map((e: any) => e.entity.code)).toEqual(['HCM.SCT']);
    expect(succession.nodes[0].before.validTo).toBeNull();
    expect(succession.nodes[0].after.validTo).toBe('2025-10-01');
  });

  describe('filters and paging', () => {
    const subjects = ['aud-filter-a', 'aud-filter-b'];
    let ids: number[] = [];

    beforeAll(async () => {
      // Six writes: a creates, funds and moves its project; b does the same for another one.
      for (const subject of subjects) {
        const headers = await as('planner', subject);
        const p = await createProject(
          t,
          projectInput(uniqueCode('WA-F'), { statusEffectiveOn: '2024-01-01' }),
          headers,
        );
        okPayload(
          await t.query(
            SET_FUNDING,
            {
              input: {
                projectId: p.id,
                expectedVersion: 1,
                allocations: [{ sourceCode: 'PPP', amount: '7', currency: 'VND', status: 'PLANNED' }],
              },
            },
            headers,
          ),
          'setProjectFunding',
        );
        okPayload(
          await t.query(
            CHANGE_STATUS,
            { input: { projectId: p.id, status: 'APPROVED', effectiveOn: today(), expectedVersion: 2 } },
            headers,
          ),
          'changeProjectStatus',
        );
      }
      const found = await rows<{ id: number }>(
        t,
        `select id from audit_log where actor_subject in ('aud-filter-a', 'aud-filter-b') order by id`,
      );
      ids = found.map((r) => Number(r.id));
      expect(ids).toHaveLength(6);
      // Fixed instants, a day apart, so since/until are exact on either database.
      for (const [i, id] of ids.entries())
        await rows(t, `update audit_log set at = '2031-01-0${i + 1}T12:00:00Z' where id = ${id}`);
    });

    it('filters by actor', async () => {
      const log = await auditLog({ filter: { actor: 'aud-filter-b' } });
      expect(log.totalCount).toBe(3);
      expect(log.nodes.map((e: any) => [Number(e.id), e.actor.subject, e.action])).toEqual([
        [ids[5], 'aud-filter-b', 'changeProjectStatus'],
        [ids[4], 'aud-filter-b', 'setProjectFunding'],
        [ids[3], 'aud-filter-b', 'createProject'],
      ]);
      expect((await auditLog({ filter: { actor: 'nobody-at-all' } })).totalCount).toBe(0);
    });

    it('filters by action, alone and with an actor', async () => {
      const all = await auditLog({ filter: { action: 'setProjectFunding' }, first: 100 });
      expect(all.totalCount).toBe(
        await scalar(t, `select count(*)::int from audit_log where action = 'setProjectFunding'`),
      );
      expect(new Set(all.nodes.map((e: any) => e.action))).toEqual(new Set(['setProjectFunding']));
      const mine = await auditLog({ filter: { action: 'setProjectFunding', actor: 'aud-filter-a' } });
      expect(mine.nodes.map((e: any) => Number(e.id))).toEqual([ids[1]]);
    });

    it('filters by since and until, both ends included', async () => {
      const between = await auditLog({ filter: { since: '2031-01-02T12:00:00Z', until: '2031-01-04T12:00:00.000Z' } });
      expect(between.nodes.map((e: any) => Number(e.id))).toEqual([ids[3], ids[2], ids[1]]);
      expect(between.nodes.map((e: any) => e.at)).toEqual([
        '2031-01-04T12:00:00.000Z',
        '2031-01-03T12:00:00.000Z',
        '2031-01-02T12:00:00.000Z',
      ]);
      const since = await auditLog({ filter: { since: '2031-01-05T13:00:00+01:00' } });
      expect(since.nodes.map((e: any) => Number(e.id))).toEqual([ids[5], ids[4]]);
      const until = await auditLog({ filter: { until: '2031-01-01T12:00:00Z', actor: 'aud-filter-a' } });
      expect(until.nodes.map((e: any) => Number(e.id))).toEqual([ids[0]]);
      const none = await auditLog({ filter: { since: '2031-01-06T12:00:00.000001Z' } });
      expect(none.totalCount).toBe(0);
    });

    it('pages newest first with first/after and last/before', async () => {
      const filter = { since: '2031-01-01T00:00:00Z' };
      const seen: number[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page: any = await auditLog({ filter, first: 4, after });
        seen.push(...page.nodes.map((e: any) => Number(e.id)));
        expect(page.totalCount).toBe(6);
        pages += 1;
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(pages).toBe(2);
      expect(seen).toEqual([...ids].reverse());
      const oldest = await auditLog({ filter, last: 2 });
      expect(oldest.nodes.map((e: any) => Number(e.id))).toEqual([ids[1], ids[0]]);
      expect(oldest.pageInfo.hasPreviousPage).toBe(true);
      const before = await auditLog({ filter, last: 2, before: oldest.pageInfo.startCursor });
      expect(before.nodes.map((e: any) => Number(e.id))).toEqual([ids[3], ids[2]]);
    });

    it("includes an entry when until is the entry's own `at` as the API printed it", async () => {
      const p = await createProject(t, projectInput(uniqueCode('WA-UNTIL')), planner);
      const [entry] = (await auditLog({ filter: { entityId: p.id } })).nodes;
      const until = await auditLog({ filter: { entityId: p.id, until: entry.at } });
      expect(until.nodes.map((e: any) => e.id)).toEqual([entry.id]);
    });
  });

  describe('refused writes', () => {
    it('write no audit entry, for each mutation, and still echo the clientMutationId', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WA-REF'), { planCode: PLAN_CODE, taskCodes: ['II.4.d.2'] }),
        planner,
      );
      const task = await taskId(t, 'II.4.d.2');
      const attempts: [string, string, Record<string, unknown>, Record<string, string>, string][] = [
        [CREATE_PROJECT, 'createProject', projectInput('BD-RAIL-DALN'), planner, 'DUPLICATE'],
        [
          UPDATE_PROJECT,
          'updateProject',
          { id: project.id, expectedVersion: 9, name: 'x' },
          planner,
          'VERSION_CONFLICT',
        ],
        [ARCHIVE_PROJECT, 'archiveProject', { id: project.id, expectedVersion: 9 }, planner, 'VERSION_CONFLICT'],
        [
          CHANGE_STATUS,
          'changeProjectStatus',
          { projectId: project.id, status: 'COMPLETED', effectiveOn: today(), expectedVersion: 1 },
          planner,
          'INVALID_TRANSITION',
        ],
        [
          SET_FUNDING,
          'setProjectFunding',
          {
            projectId: project.id,
            expectedVersion: 1,
            allocations: [{ sourceCode: 'NOPE', amount: '1', currency: 'VND', status: 'PLANNED' }],
          },
          planner,
          'NOT_FOUND',
        ],
        [LINK, 'linkProjectToTask', { projectId: project.id, taskId: task, expectedVersion: 1 }, planner, 'DUPLICATE'],
        [
          UNLINK,
          'unlinkProjectFromTask',
          { projectId: project.id, taskId: globalId('PlanTask', 987654), expectedVersion: 1 },
          planner,
          'NOT_FOUND',
        ],
        [
          CREATE_PLAN,
          'createPlan',
          {
            code: PLAN_CODE,
            title: 'Again',
            issuedOn: '2025-01-01',
            issuerCode: 'BD.UBND',
            sections: [{ number: 'I', heading: 'I' }],
          },
          admin,
          'DUPLICATE',
        ],
        [
          CREATE_AGENCY,
          'createAgency',
          { code: 'BD.SGTVT', name: 'Again', kind: 'DEPARTMENT', jurisdictionCode: 'BD', jurisdiction: 'Bình Dương' },
          admin,
          'DUPLICATE',
        ],
        [
          RECORD_SUCCESSION,
          'recordAgencySuccession',
          {
            predecessorCode: 'BD.SGTVT',
            successorCode: 'BD.SXD',
            kind: 'MERGER',
            effectiveOn: '2025-03-01',
            reason: 'Again.',
          },
          admin,
          'DUPLICATE',
        ],
      ];
      const before = await auditCount(t);
      const outcomes = [];
      for (const [i, [document, field, input, headers]] of attempts.entries()) {
        const response = await t.query(document, { input: { ...input, clientMutationId: `refused-${i}` } }, headers);
        const payload = (response.body.data as any)[field];
        outcomes.push({ field, clientMutationId: payload.clientMutationId, code: payload.userErrors[0]?.code });
      }
      expect(outcomes).toEqual(
        attempts.map(([, field, , , code], i) => ({ field, clientMutationId: `refused-${i}`, code })),
      );
      expect(await auditCount(t)).toBe(before);
    });
  });

  describe('Idempotency-Key', () => {
    const statusBody = (projectId: string, expectedVersion: number, status = 'PREPARATION') =>
      JSON.stringify({
        query: CHANGE_STATUS,
        variables: { input: { projectId, status, effectiveOn: today(), expectedVersion, clientMutationId: 'idem' } },
      });

    it('answers a repeat by the same caller with the first result, Idempotent-Replayed: true, writing once', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WA-IDEM'), { statusEffectiveOn: '2024-01-01' }),
        planner,
      );
      const body = statusBody(project.id, 1);
      const headers = { ...planner, 'idempotency-key': `key-${project.code}` };
      const first = await rawPost(t, body, headers);
      const second = await rawPost(t, body, headers);
      expect(first.status).toBe(200);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.status).toBe(200);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.headers.get('x-sql-statements')).toBe('0');
      expect(JSON.parse(second.text)).toEqual(JSON.parse(first.text));
      const payload = JSON.parse(first.text).data.changeProjectStatus;
      expect(payload.userErrors).toEqual([]);
      expect(payload.clientMutationId).toBe('idem');
      const log = await auditLog({ filter: { entityId: project.id, action: 'changeProjectStatus' } });
      expect(log.totalCount).toBe(1);
      const read = await projectByCode(t, project.code);
      expect(read.statusHistory).toHaveLength(2);
      expect(read.version).toBe(2);
    });

    it('replays the first body byte for byte, fields in the order of the selection set', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WA-BYTES'), { statusEffectiveOn: '2024-01-01' }),
        planner,
      );
      const body = statusBody(project.id, 1);
      const headers = { ...planner, 'idempotency-key': `bytes-${project.code}` };
      const first = await rawPost(t, body, headers);
      const second = await rawPost(t, body, headers);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.text).toBe(first.text);
    });

    it('runs the same key separately for another caller', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WA-OTHER'), { statusEffectiveOn: '2024-01-01' }),
        planner,
      );
      const body = statusBody(project.id, 1);
      const key = `shared-${project.code}`;
      const mine = await rawPost(t, body, { ...planner, 'idempotency-key': key });
      const theirs = await rawPost(t, body, { ...(await as('planner', 'aud-someone-else')), 'idempotency-key': key });
      expect(JSON.parse(mine.text).data.changeProjectStatus.userErrors).toEqual([]);
      // The other caller's request really ran: it found the project at version 2.
      expect(theirs.status).toBe(200);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(errorKeys(JSON.parse(theirs.text).data.changeProjectStatus.userErrors)).toEqual([
        { field: ['input', 'expectedVersion'], code: 'VERSION_CONFLICT' },
      ]);
      expect(await scalar(t, `select count(*)::int from idempotency_keys where key = '${key}'`)).toBe(2);
    });

    it('refuses the same key with a different body with 422 IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WA-REUSE'), { statusEffectiveOn: '2024-01-01' }),
        planner,
      );
      const headers = { ...planner, 'idempotency-key': `reuse-${project.code}` };
      const first = await rawPost(t, statusBody(project.id, 1), headers);
      expect(JSON.parse(first.text).data.changeProjectStatus.userErrors).toEqual([]);
      const before = await auditCount(t);
      const other = await rawPost(t, statusBody(project.id, 2, 'APPROVED'), headers);
      expect(other.status).toBe(422);
      expect(JSON.parse(other.text)).toEqual({
        errors: [
          {
            message: 'This Idempotency-Key was used with a different request. Use a new key for a new request.',
            extensions: { code: 'IDEMPOTENCY_KEY_REUSED' },
          },
        ],
      });
      expect(await auditCount(t)).toBe(before);
      expect((await projectByCode(t, project.code)).status).toBe('PREPARATION');
    });

    it.each([
      ['a key of 256 characters', 'k'.repeat(256)],
      ['a key with a space', 'has space'],
      ['a key with a non-ASCII character', 'clé-1'],
    ])('refuses %s with 400, writing nothing', async (_label, key) => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WA-BADKEY'), { statusEffectiveOn: '2024-01-01' }),
        planner,
      );
      const before = await auditCount(t);
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...planner,
          'idempotency-key': encodeURI(key) === key ? key : Buffer.from(key, 'utf8').toString('latin1'),
        },
        body: statusBody(project.id, 1),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
      expect(await auditCount(t)).toBe(before);
      expect((await projectByCode(t, project.code)).version).toBe(1);
    });

    it('accepts a key of exactly 255 visible characters', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WA-LONGKEY'), { statusEffectiveOn: '2024-01-01' }),
        planner,
      );
      const key = `${project.code}-`.padEnd(255, '~');
      const response = await rawPost(t, statusBody(project.id, 1), { ...planner, 'idempotency-key': key });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text).data.changeProjectStatus.userErrors).toEqual([]);
    });
  });
});
