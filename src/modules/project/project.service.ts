import { today } from '../../lib/dates';
import type {
  ArchiveProjectInput,
  ChangeProjectStatusInput,
  CreateProjectInput,
  FundingAllocationInput,
  LinkProjectToTaskInput,
  MoneyInput,
  ProjectStatus,
  SetProjectFundingInput,
  UnlinkProjectFromTaskInput,
  UpdateProjectInput,
} from '../../__generated__/graphql';
import {
  projects,
  projectSources,
  statusChangeSources,
  type ProjectRow,
  type ProjectStatusChangeRow,
} from '../../db/schema';
import { CURRENCY_CODES } from '../../lib/currency';
import { fitsMoney, LENGTH, MONEY, RATE } from '../../lib/money';
import { fail, UserErrors } from '../../lib/user-errors';
import { authorize, refused, runWrite, type WriteOutcome, type WriteRequest } from '../audit/audit.writer';
import { hasRole } from '../../lib/viewer';
import { checkSources } from '../source/source.writer';
import { ProjectWriter, vndEquivalent } from './project.writer';

export const PROJECT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The status machine of `changeProjectStatus` (documented in schema/mutation.graphql). */
export const STATUS_TRANSITIONS: Record<ProjectStatus, readonly ProjectStatus[]> = {
  PLANNED: ['PREPARATION', 'APPROVED', 'SUSPENDED', 'CANCELLED'],
  PREPARATION: ['PLANNED', 'APPROVED', 'SUSPENDED', 'CANCELLED'],
  APPROVED: ['PREPARATION', 'UNDER_CONSTRUCTION', 'SUSPENDED', 'CANCELLED'],
  UNDER_CONSTRUCTION: ['COMPLETED', 'SUSPENDED', 'CANCELLED'],
  SUSPENDED: ['PREPARATION', 'APPROVED', 'UNDER_CONSTRUCTION', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};
/** Moves only an admin may make: reopening a cancelled project. */
export const ADMIN_TRANSITIONS: Partial<Record<ProjectStatus, readonly ProjectStatus[]>> = {
  CANCELLED: ['PLANNED', 'PREPARATION'],
};

function checkMoney(errors: UserErrors, field: (string | number)[], money: MoneyInput | null | undefined): void {
  if (!money) return;
  if (money.amount != null && !MONEY.test(money.amount))
    errors.add([...field, 'amount'], 'Must be at least 0 with at most two decimals.');
  checkCurrency(errors, [...field, 'currency'], money.currency);
  checkRate(errors, field, money.currency, money.amount ?? null, money.rateToVnd ?? null, money.rateDate ?? null);
}

function checkCurrency(errors: UserErrors, field: (string | number)[], currency: string): void {
  if (!CURRENCY_CODES.has(currency))
    errors.add(field, `"${currency}" is not an ISO 4217 currency code.`, 'INVALID_VALUE');
}

function checkRate(
  errors: UserErrors,
  field: (string | number)[],
  currency: string,
  amount: string | null,
  rate: string | null,
  rateDate: string | null,
): void {
  if (currency === 'VND') return; // VND needs no rate; one given is not stored.
  if (rate != null && (!RATE.test(rate) || /^0+(\.0+)?$/.test(rate))) {
    errors.add([...field, 'rateToVnd'], 'Must be more than 0 with at most six decimals.');
    return;
  }
  if (amount !== null && rate == null)
    errors.add([...field, 'rateToVnd'], `An amount in ${currency} needs the rate to VND and the date of that rate.`);
  else if ((rate == null) !== (rateDate == null)) {
    errors.add(
      [...field, rate == null ? 'rateToVnd' : 'rateDate'],
      'A rate to VND and its date go together: give both or neither.',
    );
  }
  if (rateDate != null && rateDate > today()) errors.add([...field, 'rateDate'], 'May not be in the future.');
  if (amount !== null && rate != null && MONEY.test(amount) && !fitsMoney(amount, rate)) {
    errors.add([...field, 'amount'], 'Its VND equivalent is larger than the registry holds (22 digits).');
  }
}

function checkProjectFields(errors: UserErrors, input: Partial<CreateProjectInput>, required: boolean): void {
  errors.text(input.code, ['input', 'code'], {
    max: 64,
    required,
    pattern: PROJECT_CODE,
    patternMessage: 'Letters, digits, ".", "-" and "_", starting with a letter or digit.',
  });
  errors.text(input.name, ['input', 'name'], { max: 500, required });
  errors.text(input.nameEn, ['input', 'nameEn'], { max: 500 });
  errors.text(input.description, ['input', 'description'], { max: 10000 });
  if (input.lengthKm != null && !LENGTH.test(input.lengthKm))
    errors.add(['input', 'lengthKm'], 'Must be at least 0 with at most three decimals.');
  if (input.plannedStart && input.plannedCompletion && input.plannedCompletion < input.plannedStart) {
    errors.add(['input', 'plannedCompletion'], 'May not be before plannedStart.');
  }
  checkMoney(errors, ['input', 'totalInvestment'], input.totalInvestment);
  if (input.taskCodes && input.taskCodes.length > 100) errors.add(['input', 'taskCodes'], 'At most 100 tasks.');
  checkSources(input.sources, ['input', 'sources'], errors);
}

function totalInvestmentColumns(money: MoneyInput | null) {
  if (!money) {
    return {
      totalInvestmentAmount: null,
      totalInvestmentCurrency: null,
      totalInvestmentRateToVnd: null,
      totalInvestmentRateDate: null,
      totalInvestmentVnd: null,
    };
  }
  const foreign = money.currency !== 'VND';
  return {
    totalInvestmentAmount: money.amount ?? null,
    totalInvestmentCurrency: money.currency,
    totalInvestmentRateToVnd: foreign ? (money.rateToVnd ?? null) : null,
    totalInvestmentRateDate: foreign ? (money.rateDate ?? null) : null,
    totalInvestmentVnd: vndEquivalent(money.amount ?? null, money.currency, money.rateToVnd ?? null) as never,
  };
}

/** Resolves task codes in a plan (or in the only plan that has them), failing the write on unknown or ambiguous codes.
 * */
async function resolveTasks(
  writer: ProjectWriter,
  codes: readonly string[],
  planCode: string | null | undefined,
): Promise<number[]> {
  const wanted = [...new Set(codes.map((c) => c.normalize('NFC')))];
  if (planCode && !(await writer.planExists(planCode)))
    fail(['input', 'planCode'], `No plan has the code "${planCode}".`, 'NOT_FOUND');
  const found = await writer.tasksByCode(wanted, planCode ?? null);
  const ids: number[] = [];
  for (const code of wanted) {
    const matches = found.filter((t) => t.code === code);
    if (matches.length === 0)
      fail(
        ['input', 'taskCodes'],
        `No task has the code "${code}"${planCode ? ` in plan ${planCode}` : ''}.`,
        'NOT_FOUND',
      );
    if (matches.length > 1) {
      fail(
        ['input', 'planCode'],
        `Task code "${code}" exists in plans ${matches.map((m) => m.planCode).join(', ')}: name the plan with planCode.`,
        'INVALID_VALUE',
      );
    }
    ids.push(matches[0].id);
  }
  return ids;
}

/** Locks the project and checks the version the caller read. */
async function lockAt(writer: ProjectWriter, id: number, expectedVersion: number, field: string): Promise<ProjectRow> {
  const project = await writer.lock(id);
  if (!project) fail(['input', field], 'No project has this ID.', 'NOT_FOUND');
  if (project.version !== expectedVersion) {
    fail(
      ['input', 'expectedVersion'],
      `The project is at version ${project.version}, not ${expectedVersion}: it changed since you read it. Read it again.`,
      'VERSION_CONFLICT',
    );
  }
  return project;
}

function invalid<T>(errors: UserErrors): WriteOutcome<T> {
  return refused<T>(errors.list);
}

/** Rules of project writes: validation, authorisation, transactions and audit. */
export const projectService = {
  async create(request: WriteRequest, input: CreateProjectInput): Promise<WriteOutcome<ProjectRow>> {
    const scope = authorize(request, 'planner', 'createProject', input.clientMutationId);
    const errors = new UserErrors();
    checkProjectFields(errors, input, true);
    const effectiveOn = input.statusEffectiveOn ?? today();
    if (effectiveOn > today()) errors.add(['input', 'statusEffectiveOn'], 'May not be in the future.');
    if (errors.any) return invalid(errors);
    return runWrite(scope, async (tx, audit) => {
      const writer = new ProjectWriter(tx);
      const taken = await writer.codeTaken(input.code);
      if (taken)
        fail(
          ['input', 'code'],
          `A project with the code "${taken}" already exists (codes are compared without regard to case).`,
          'DUPLICATE',
        );
      const ownerAgencyId = input.ownerAgencyCode ? await writer.agencyId(input.ownerAgencyCode) : null;
      if (input.ownerAgencyCode && ownerAgencyId === null)
        fail(['input', 'ownerAgencyCode'], `No agency has the code "${input.ownerAgencyCode}".`, 'NOT_FOUND');
      const taskIds = await resolveTasks(writer, input.taskCodes ?? [], input.planCode);
      const status = input.status ?? 'PLANNED';
      const project = await writer.insert({
        code: input.code,
        name: input.name,
        nameEn: input.nameEn ?? null,
        description: input.description ?? null,
        sector: input.sector,
        type: input.type,
        status,
        statusChangedOn: effectiveOn,
        ownerAgencyId,
        plannedStart: input.plannedStart ?? null,
        plannedCompletion: input.plannedCompletion ?? null,
        lengthKm: input.lengthKm ?? null,
        ...totalInvestmentColumns(input.totalInvestment ?? null),
      });
      await writer.addStatusChange({
        projectId: project.id,
        status,
        effectiveOn,
        note: 'Status when the project was recorded.',
      });
      await writer.link(project.id, taskIds);
      await writer.cite(projectSources, project.id, input.sources);
      await audit({
        entityType: 'Project',
        entityId: project.id,
        before: null,
        after: await writer.snapshot(project.id),
      });
      return project;
    });
  },

  async update(request: WriteRequest, input: UpdateProjectInput): Promise<WriteOutcome<ProjectRow>> {
    const scope = authorize(request, 'planner', 'updateProject', input.clientMutationId);
    const errors = new UserErrors();
    const id = errors.id(input.id, 'Project', ['input', 'id']);
    for (const field of ['code', 'name', 'sector', 'type'] as const) {
      if (field in input && input[field] === null) errors.add(['input', field], 'May not be cleared.');
    }
    checkProjectFields(errors, input as Partial<CreateProjectInput>, false);
    if (errors.any || id === null) return invalid(errors);
    return runWrite(scope, async (tx, audit) => {
      const writer = new ProjectWriter(tx);
      const project = await lockAt(writer, id, input.expectedVersion, 'id');
      if (project.archivedAt !== null) fail(['input', 'id'], 'The project is archived.', 'INVALID_VALUE');
      const before = await writer.snapshot(id);
      const changes: Partial<typeof projects.$inferInsert> = {};
      if (input.code != null && input.code !== project.code) {
        const taken = await writer.codeTaken(input.code, id);
        if (taken)
          fail(
            ['input', 'code'],
            `A project with the code "${taken}" already exists (codes are compared without regard to case).`,
            'DUPLICATE',
          );
        changes.code = input.code;
      }
      if (input.name != null) changes.name = input.name;
      if ('nameEn' in input) changes.nameEn = input.nameEn ?? null;
      if ('description' in input) changes.description = input.description ?? null;
      if (input.sector != null) changes.sector = input.sector;
      if (input.type != null) changes.type = input.type;
      if ('plannedStart' in input) changes.plannedStart = input.plannedStart ?? null;
      if ('plannedCompletion' in input) changes.plannedCompletion = input.plannedCompletion ?? null;
      const start = 'plannedStart' in input ? (input.plannedStart ?? null) : project.plannedStart;
      const end = 'plannedCompletion' in input ? (input.plannedCompletion ?? null) : project.plannedCompletion;
      if (start && end && end < start)
        fail(['input', 'plannedCompletion'], 'May not be before plannedStart.', 'INVALID_VALUE');
      if ('lengthKm' in input) changes.lengthKm = input.lengthKm ?? null;
      if ('totalInvestment' in input) Object.assign(changes, totalInvestmentColumns(input.totalInvestment ?? null));
      if ('ownerAgencyCode' in input) {
        const ownerId = input.ownerAgencyCode ? await writer.agencyId(input.ownerAgencyCode) : null;
        if (input.ownerAgencyCode && ownerId === null)
          fail(['input', 'ownerAgencyCode'], `No agency has the code "${input.ownerAgencyCode}".`, 'NOT_FOUND');
        changes.ownerAgencyId = ownerId;
      }
      if (input.taskCodes)
        await writer.replaceTaskLinks(id, await resolveTasks(writer, input.taskCodes, input.planCode));
      await writer.cite(projectSources, id, input.sources);
      const updated = await writer.update(id, changes);
      await audit({ entityType: 'Project', entityId: id, before, after: await writer.snapshot(id) });
      return updated;
    });
  },

  async archive(request: WriteRequest, input: ArchiveProjectInput): Promise<WriteOutcome<ProjectRow>> {
    const scope = authorize(request, 'planner', 'archiveProject', input.clientMutationId);
    const errors = new UserErrors();
    const id = errors.id(input.id, 'Project', ['input', 'id']);
    errors.text(input.reason, ['input', 'reason'], { max: 2000 });
    if (errors.any || id === null) return invalid(errors);
    return runWrite(scope, async (tx, audit) => {
      const writer = new ProjectWriter(tx);
      const project = await lockAt(writer, id, input.expectedVersion, 'id');
      if (project.archivedAt !== null) fail(['input', 'id'], 'The project is already archived.', 'INVALID_VALUE');
      const before = await writer.snapshot(id);
      const updated = await writer.update(id, { archivedAt: new Date().toISOString() });
      await audit({
        entityType: 'Project',
        entityId: id,
        before,
        after: { ...(await writer.snapshot(id)), archiveReason: input.reason ?? null },
      });
      return updated;
    });
  },

  async changeStatus(
    request: WriteRequest,
    input: ChangeProjectStatusInput,
  ): Promise<WriteOutcome<{ project: ProjectRow; change: ProjectStatusChangeRow }>> {
    const scope = authorize(request, 'planner', 'changeProjectStatus', input.clientMutationId);
    const errors = new UserErrors();
    const id = errors.id(input.projectId, 'Project', ['input', 'projectId']);
    errors.text(input.note, ['input', 'note'], { max: 5000 });
    if (input.effectiveOn > today()) errors.add(['input', 'effectiveOn'], 'May not be in the future.');
    checkSources(input.sources, ['input', 'sources'], errors);
    if (errors.any || id === null) return invalid(errors);
    return runWrite(scope, async (tx, audit) => {
      const writer = new ProjectWriter(tx);
      const project = await lockAt(writer, id, input.expectedVersion, 'projectId');
      if (project.archivedAt !== null) fail(['input', 'projectId'], 'The project is archived.', 'INVALID_VALUE');
      const allowed = STATUS_TRANSITIONS[project.status].includes(input.status);
      const adminOnly = ADMIN_TRANSITIONS[project.status]?.includes(input.status) ?? false;
      if (!allowed && !(adminOnly && hasRole(scope.user, 'admin'))) {
        const message = adminOnly
          ? `Only an admin may reopen a ${project.status} project.`
          : `A ${project.status} project cannot become ${input.status}${STATUS_TRANSITIONS[project.status].length ? `; it may become ${STATUS_TRANSITIONS[project.status].join(', ')}` : '; that status is final'}.`;
        fail(['input', 'status'], message, adminOnly ? 'NOT_ALLOWED' : 'INVALID_TRANSITION');
      }
      const last = await writer.lastStatusChange(id);
      if (last && input.effectiveOn < last.effectiveOn) {
        fail(
          ['input', 'effectiveOn'],
          `May not precede the latest status change, on ${last.effectiveOn}.`,
          'INVALID_VALUE',
        );
      }
      const before = await writer.snapshot(id);
      const change = await writer.addStatusChange({
        projectId: id,
        status: input.status,
        effectiveOn: input.effectiveOn,
        note: input.note ?? null,
      });
      await writer.cite(statusChangeSources, change.id, input.sources);
      const updated = await writer.update(id, { status: input.status, statusChangedOn: input.effectiveOn });
      await audit({ entityType: 'Project', entityId: id, before, after: await writer.snapshot(id) });
      return { project: updated, change };
    });
  },

  async setFunding(request: WriteRequest, input: SetProjectFundingInput): Promise<WriteOutcome<ProjectRow>> {
    const scope = authorize(request, 'planner', 'setProjectFunding', input.clientMutationId);
    const errors = new UserErrors();
    const id = errors.id(input.projectId, 'Project', ['input', 'projectId']);
    if (input.allocations.length > 200) errors.add(['input', 'allocations'], 'At most 200 allocations.');
    input.allocations.forEach((a: FundingAllocationInput, i) => {
      const at = ['input', 'allocations', i];
      if (a.amount != null && !MONEY.test(a.amount))
        errors.add([...at, 'amount'], 'Must be at least 0 with at most two decimals.');
      checkCurrency(errors, [...at, 'currency'], a.currency);
      checkRate(errors, at, a.currency, a.amount ?? null, a.rateToVnd ?? null, a.rateDate ?? null);
      errors.text(a.financier, [...at, 'financier'], { max: 300 });
      errors.text(a.rateNote, [...at, 'rateNote'], { max: 1000 });
      errors.text(a.note, [...at, 'note'], { max: 5000 });
      if (a.fiscalYear != null && (a.fiscalYear < 1900 || a.fiscalYear > 2200))
        errors.add([...at, 'fiscalYear'], 'Must be a year from 1900 to 2200.');
      checkSources(a.sources, [...at, 'sources'], errors);
    });
    if (errors.any || id === null) return invalid(errors);
    return runWrite(scope, async (tx, audit) => {
      const writer = new ProjectWriter(tx);
      const project = await lockAt(writer, id, input.expectedVersion, 'projectId');
      if (project.archivedAt !== null) fail(['input', 'projectId'], 'The project is archived.', 'INVALID_VALUE');
      const sourceIds = await writer.fundingSourceIds([...new Set(input.allocations.map((a) => a.sourceCode))]);
      const unknown = new UserErrors();
      input.allocations.forEach((a, i) => {
        if (!sourceIds.has(a.sourceCode))
          unknown.add(
            ['input', 'allocations', i, 'sourceCode'],
            `No funding source has the code "${a.sourceCode}".`,
            'NOT_FOUND',
          );
      });
      if (unknown.any) fail(unknown.list[0].field, unknown.list[0].message, 'NOT_FOUND');
      const before = await writer.snapshot(id);
      await writer.replaceAllocations(id, {
        add: input.allocations.map((a, i) => ({
          sourceId: sourceIds.get(a.sourceCode)!,
          financier: a.financier ?? null,
          amount: a.amount ?? null,
          currency: a.currency,
          rateToVnd: a.rateToVnd ?? null,
          rateDate: a.rateDate ?? null,
          rateNote: a.rateNote ?? null,
          status: a.status,
          fiscalYear: a.fiscalYear ?? null,
          note: a.note ?? null,
          position: i + 1,
          sources: a.sources,
        })),
      });
      const updated = await writer.update(id, {});
      await audit({ entityType: 'Project', entityId: id, before, after: await writer.snapshot(id) });
      return updated;
    });
  },

  async link(
    request: WriteRequest,
    input: LinkProjectToTaskInput | UnlinkProjectFromTaskInput,
    action: 'linkProjectToTask' | 'unlinkProjectFromTask',
  ): Promise<WriteOutcome<{ project: ProjectRow; taskId: number }>> {
    const scope = authorize(request, 'planner', action, input.clientMutationId);
    const errors = new UserErrors();
    const projectId = errors.id(input.projectId, 'Project', ['input', 'projectId']);
    const taskId = errors.id(input.taskId, 'PlanTask', ['input', 'taskId']);
    if (errors.any || projectId === null || taskId === null)
      return invalid<{ project: ProjectRow; taskId: number }>(errors);
    return runWrite(scope, async (tx, audit) => {
      const writer = new ProjectWriter(tx);
      const project = await lockAt(writer, projectId, input.expectedVersion, 'projectId');
      if (project.archivedAt !== null) fail(['input', 'projectId'], 'The project is archived.', 'INVALID_VALUE');
      if (!(await writer.taskExists(taskId))) fail(['input', 'taskId'], 'No task has this ID.', 'NOT_FOUND');
      const linked = await writer.isLinked(projectId, taskId);
      if (action === 'linkProjectToTask' && linked)
        fail(['input', 'taskId'], 'The project already serves this task.', 'DUPLICATE');
      if (action === 'unlinkProjectFromTask' && !linked)
        fail(['input', 'taskId'], 'The project does not serve this task.', 'NOT_FOUND');
      const before = await writer.snapshot(projectId);
      if (action === 'linkProjectToTask') await writer.link(projectId, [taskId]);
      else await writer.unlink(projectId, taskId);
      const updated = await writer.update(projectId, {});
      await audit({ entityType: 'Project', entityId: projectId, before, after: await writer.snapshot(projectId) });
      return { project: updated, taskId };
    });
  },
};
