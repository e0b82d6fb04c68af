import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  as,
  auditSnapshot,
  CHANGE_STATUS,
  CREATE_PROJECT,
  createProject,
  databaseId,
  errorKeys,
  okPayload,
  projectByCode,
  projectInput,
  projectSnapshot,
  rawPost,
  rows,
  scalar,
  SET_FUNDING,
  today,
  trimDec,
  uniqueCode,
} from '../helpers/write-kit';

/**
 * Optimistic concurrency and atomicity. Twenty writes from the same version race through HTTP: on PostgreSQL they
 * run on parallel connections and queue on the project's row lock, on PGlite they are serialised; either way exactly
 * one wins. A failure inside a write's transaction (an audit trigger that raises) leaves no trace at all.
 */

const N = 20;

describe('concurrent writes and rolled-back transactions', () => {
  let t: TestApp;
  let planner: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    planner = await as('planner', 'conny');
  });

  afterAll(async () => {
    await t?.stop();
  });

  const auditEntries = (projectId: string, action: string) =>
    scalar(
      t,
      `select count(*)::int from audit_log where entity_type = 'Project' and entity_id = ${databaseId(projectId)} and action = '${action}'`,
    );

  it(`lets exactly one of ${N} concurrent changeProjectStatus calls from the same version win; ${N - 1} get VERSION_CONFLICT`, async () => {
    const project = await createProject(
      t,
      projectInput(uniqueCode('WC-STATUS'), { statusEffectiveOn: '2024-01-01' }),
      planner,
    );
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.query(
          CHANGE_STATUS,
          {
            input: {
              projectId: project.id,
              status: 'PREPARATION',
              effectiveOn: today(),
              note: `attempt ${i}`,
              expectedVersion: 1,
            },
          },
          planner,
        ),
      ),
    );
    expect(responses.map((r) => [r.status, r.body.errors ?? null])).toEqual(responses.map(() => [200, null]));
    const payloads = responses.map((r) => (r.body.data as any).changeProjectStatus);
    const winners = payloads.filter((p) => p.userErrors.length === 0);
    const losers = payloads.filter((p) => p.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(losers.map((p) => ({ project: p.project, errors: errorKeys(p.userErrors) }))).toEqual(
      Array.from({ length: N - 1 }, () => ({
        project: null,
        errors: [{ field: ['input', 'expectedVersion'], code: 'VERSION_CONFLICT' }],
      })),
    );
    const winner = winners[0];
    expect(winner.project.version).toBe(2);

    const read = await projectByCode(t, project.code);
    expect(read.version).toBe(2);
    expect(read.status).toBe('PREPARATION');
    expect(read.statusHistory.map((h: any) => [h.status, h.note])).toEqual([
      ['PLANNED', 'Status when the project was recorded.'],
      ['PREPARATION', winner.statusChange.note],
    ]);
    expect(
      await scalar(t, `select count(*)::int from project_status_changes where project_id = ${databaseId(project.id)}`),
    ).toBe(2);
    expect(await auditEntries(project.id, 'changeProjectStatus')).toBe(1);
  });

  it(`lets exactly one of ${N} concurrent setProjectFunding calls win, and the allocations are exactly the winner's`, async () => {
    const project = await createProject(t, projectInput(uniqueCode('WC-FUND')), planner);
    const allocationsOf = (i: number) => [
      {
        sourceCode: 'PROVINCIAL_BUDGET',
        amount: `${i + 1}000000.5`,
        currency: 'VND',
        status: 'PLANNED',
        note: `attempt ${i}`,
      },
      {
        sourceCode: 'ODA',
        amount: `${i + 1}.25`,
        currency: 'USD',
        rateToVnd: '25000',
        rateDate: '2025-01-10',
        status: 'COMMITTED',
        financier: `Lender ${i}`,
      },
    ];
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.query(
          SET_FUNDING,
          { input: { projectId: project.id, expectedVersion: 1, allocations: allocationsOf(i) } },
          planner,
        ),
      ),
    );
    expect(responses.map((r) => [r.status, r.body.errors ?? null])).toEqual(responses.map(() => [200, null]));
    const payloads = responses.map((r) => (r.body.data as any).setProjectFunding);
    const winnerIndexes = payloads.flatMap((p, i) => (p.userErrors.length === 0 ? [i] : []));
    expect(winnerIndexes).toHaveLength(1);
    expect(payloads.filter((p) => p.userErrors.length > 0).map((p) => errorKeys(p.userErrors))).toEqual(
      Array.from({ length: N - 1 }, () => [{ field: ['input', 'expectedVersion'], code: 'VERSION_CONFLICT' }]),
    );
    const w = winnerIndexes[0];
    const read = await projectByCode(t, project.code);
    expect(read.version).toBe(2);
    expect(
      read.funding.map((f: any) => ({ source: f.source.code, amount: f.amount, note: f.note, financier: f.financier })),
    ).toEqual(
      allocationsOf(w).map((a) => ({
        source: a.sourceCode,
        amount: { amount: trimDec(a.amount), currency: a.currency },
        note: a.note ?? null,
        financier: a.financier ?? null,
      })),
    );
    expect(read).toEqual(payloads[w].project);
    expect(
      await scalar(t, `select count(*)::int from funding_allocations where project_id = ${databaseId(project.id)}`),
    ).toBe(2);
    expect(await auditEntries(project.id, 'setProjectFunding')).toBe(1);
  });

  it(`lets exactly one of ${N} concurrent writes of different kinds (status, funding) from the same version win`, async () => {
    const project = await createProject(
      t,
      projectInput(uniqueCode('WC-MIXED'), { statusEffectiveOn: '2024-01-01' }),
      planner,
    );
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        i % 2 === 0
          ? t.query(
              CHANGE_STATUS,
              { input: { projectId: project.id, status: 'APPROVED', effectiveOn: today(), expectedVersion: 1 } },
              planner,
            )
          : t.query(
              SET_FUNDING,
              {
                input: {
                  projectId: project.id,
                  expectedVersion: 1,
                  allocations: [{ sourceCode: 'PPP', amount: `${i}`, currency: 'VND', status: 'PLANNED' }],
                },
              },
              planner,
            ),
      ),
    );
    const payloads = responses.map((r) => {
      expect(r.body.errors).toBeUndefined();
      const data = r.body.data as any;
      return data.changeProjectStatus ?? data.setProjectFunding;
    });
    expect(payloads.filter((p) => p.userErrors.length === 0)).toHaveLength(1);
    expect(payloads.filter((p) => p.userErrors[0]?.code === 'VERSION_CONFLICT')).toHaveLength(N - 1);
    const read = await projectByCode(t, project.code);
    expect(read.version).toBe(2);
    const statusWon = read.status === 'APPROVED';
    expect(read.statusHistory).toHaveLength(statusWon ? 2 : 1);
    expect(read.funding).toHaveLength(statusWon ? 0 : 1);
    expect(
      await scalar(
        t,
        `select count(*)::int from audit_log where entity_id = ${databaseId(project.id)} and action <> 'createProject'`,
      ),
    ).toBe(1);
  });

  it('with the same Idempotency-Key sent 5 times at once, runs the write once', async () => {
    const project = await createProject(
      t,
      projectInput(uniqueCode('WC-IDEM'), { statusEffectiveOn: '2024-01-01' }),
      planner,
    );
    const body = JSON.stringify({
      query: CHANGE_STATUS,
      variables: { input: { projectId: project.id, status: 'SUSPENDED', effectiveOn: today(), expectedVersion: 1 } },
    });
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => rawPost(t, body, { ...planner, 'idempotency-key': `wc-idem-${project.code}` })),
    );
    const ran = responses.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed') !== 'true');
    expect(ran).toHaveLength(1);
    for (const r of responses) {
      if (r === ran[0]) continue;
      if (r.status === 409) {
        expect(JSON.parse(r.text).errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_IN_USE');
        expect(r.headers.get('retry-after')).toBe('1');
      } else {
        expect(r.status).toBe(200);
        expect(r.headers.get('idempotent-replayed')).toBe('true');
        expect(JSON.parse(r.text)).toEqual(JSON.parse(ran[0].text));
      }
    }
    expect(JSON.parse(ran[0].text).data.changeProjectStatus.userErrors).toEqual([]);
    expect(await auditEntries(project.id, 'changeProjectStatus')).toBe(1);
    expect((await projectByCode(t, project.code)).statusHistory).toHaveLength(2);
  });

  it('creates a project once when the same new code is sent concurrently: the others get DUPLICATE, not an internal error', async () => {
    const code = uniqueCode('WC-SAME');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => t.query(CREATE_PROJECT, { input: projectInput(code) }, planner)),
    );
    expect(await scalar(t, `select count(*)::int from projects where code = '${code}'`)).toBe(1);
    const outcomes = responses.map(
      (r) =>
        r.body.errors?.[0]?.extensions?.code ?? (r.body.data as any).createProject.userErrors[0]?.code ?? 'CREATED',
    );
    expect(outcomes.sort()).toEqual(['CREATED', ...Array.from({ length: 9 }, () => 'DUPLICATE')]);
  });

  describe('a failure inside the transaction leaves no trace', () => {
    const installTrigger = async (action: string) => {
      await rows(
        t,
        `create function fail_audit() returns trigger language plpgsql as $$ begin if new.action = '${action}' then raise exception 'audit store unavailable'; end if; return new; end $$`,
      );
      await rows(t, 'create trigger fail_audit before insert on audit_log for each row execute function fail_audit()');
    };
    const dropTrigger = async () => {
      await rows(t, 'drop trigger if exists fail_audit on audit_log');
      await rows(t, 'drop function if exists fail_audit()');
    };
    const everything = async (projectId: number) => ({
      project: await projectSnapshot(t, projectId),
      audit: await auditSnapshot(t),
      sourceReferences: await scalar(t, 'select count(*)::int from source_references'),
      statusChanges: await scalar(t, 'select count(*)::int from project_status_changes'),
      allocations: await scalar(t, 'select count(*)::int from funding_allocations'),
    });
    const expectMaskedInternalError = (response: { status: number; text: string }, field: string) => {
      const body = JSON.parse(response.text);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({
        message: 'Internal server error',
        path: [field],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(Object.keys(body.errors[0].extensions)).toEqual(['code']);
      for (const leak of [
        'audit store unavailable',
        'fail_audit',
        'audit_log',
        'insert into',
        'plpgsql',
        'stacktrace',
        'exception',
      ]) {
        expect(response.text.toLowerCase()).not.toContain(leak);
      }
    };

    afterEach(dropTrigger);

    it('rolls back setProjectFunding when its audit entry cannot be written: allocations, version, updated_at and audit_log unchanged', async () => {
      const project = await createProject(t, projectInput(uniqueCode('WC-ROLLF')), planner);
      okPayload(
        await t.query(
          SET_FUNDING,
          {
            input: {
              projectId: project.id,
              expectedVersion: 1,
              allocations: [{ sourceCode: 'ODA', amount: '10', currency: 'VND', status: 'PLANNED' }],
            },
          },
          planner,
        ),
        'setProjectFunding',
      );
      const id = databaseId(project.id);
      const body = JSON.stringify({
        query: SET_FUNDING,
        variables: {
          input: {
            projectId: project.id,
            expectedVersion: 2,
            allocations: [
              {
                sourceCode: 'PPP',
                amount: '1000000',
                currency: 'VND',
                status: 'COMMITTED',
                sources: [
                  {
                    url: `https://example.org/never-stored-${project.code}`,
                    title: 'Never stored',
                    retrievedOn: '2025-06-01',
                    confidence: 'LOW',
                  },
                ],
              },
              {
                sourceCode: 'CENTRAL_BUDGET',
                amount: '5',
                currency: 'USD',
                rateToVnd: '25000',
                rateDate: '2025-01-10',
                status: 'PLANNED',
              },
            ],
          },
        },
      });
      await installTrigger('setProjectFunding');
      const before = await everything(id);
      const failed = await rawPost(t, body, planner);
      expectMaskedInternalError(failed, 'setProjectFunding');
      expect(await everything(id)).toEqual(before);
      const read = await projectByCode(t, project.code);
      expect(read.version).toBe(2);
      expect(read.funding.map((f: any) => f.source.code)).toEqual(['ODA']);

      await dropTrigger();
      const retried = await rawPost(t, body, planner);
      const payload = JSON.parse(retried.text).data.setProjectFunding;
      expect(payload.userErrors).toEqual([]);
      expect(payload.project.version).toBe(3);
      expect(payload.project.funding.map((f: any) => f.source.code)).toEqual(['PPP', 'CENTRAL_BUDGET']);
      expect(await auditEntries(project.id, 'setProjectFunding')).toBe(2);
    });

    it('rolls back changeProjectStatus when its audit entry cannot be written: no status change row, status and version unchanged', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WC-ROLLS'), { statusEffectiveOn: '2024-01-01' }),
        planner,
      );
      const id = databaseId(project.id);
      const body = JSON.stringify({
        query: CHANGE_STATUS,
        variables: {
          input: {
            projectId: project.id,
            status: 'APPROVED',
            effectiveOn: today(),
            expectedVersion: 1,
            note: 'Approved.',
            sources: [
              {
                url: `https://example.org/approval-${project.code}`,
                title: 'Approval',
                retrievedOn: '2025-06-01',
                confidence: 'HIGH',
              },
            ],
          },
        },
      });
      await installTrigger('changeProjectStatus');
      const before = await everything(id);
      const failed = await rawPost(t, body, planner);
      expectMaskedInternalError(failed, 'changeProjectStatus');
      expect(await everything(id)).toEqual(before);
      const read = await projectByCode(t, project.code);
      expect({ status: read.status, version: read.version, history: read.statusHistory.length }).toEqual({
        status: 'PLANNED',
        version: 1,
        history: 1,
      });

      await dropTrigger();
      const retried = JSON.parse((await rawPost(t, body, planner)).text).data.changeProjectStatus;
      expect(retried.userErrors).toEqual([]);
      expect(retried.project).toMatchObject({ status: 'APPROVED', version: 2 });
      expect(retried.statusChange).toMatchObject({
        status: 'APPROVED',
        note: 'Approved.',
        sources: [{ title: 'Approval' }],
      });
    });

    it('rolls back only the failing kind of write: other writes go through while the trigger is installed', async () => {
      const project = await createProject(
        t,
        projectInput(uniqueCode('WC-OTHER'), { statusEffectiveOn: '2024-01-01' }),
        planner,
      );
      await installTrigger('setProjectFunding');
      const payload = okPayload(
        await t.query(
          CHANGE_STATUS,
          { input: { projectId: project.id, status: 'PREPARATION', effectiveOn: today(), expectedVersion: 1 } },
          planner,
        ),
        'changeProjectStatus',
      );
      expect(payload.project.version).toBe(2);
    });
  });
});
