import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { signToken, type Role } from '../../src/http/auth';
import { TEST_JWT_SECRET, type GraphQLResponse, type TestApp } from './test-app';

/**
 * Shared helpers of the write API tests (test/api/write-*.test.ts): tokens, global IDs, dates, the mutation
 * documents, direct SQL through the app's Drizzle database, and exact decimal arithmetic with BigInt.
 */

// ---- Callers ----

const tokens = new Map<string, string>();

/** A bearer token signed with the test secret, for `sub` with `role`. */
export async function tokenFor(role: Role, sub: string = `${role}-user`): Promise<string> {
  const key = `${role}|${sub}`;
  let token = tokens.get(key);
  if (!token) {
    token = await signToken(TEST_JWT_SECRET, { sub, role });
    tokens.set(key, token);
  }
  return token;
}

/** Headers of a caller: `none` sends no Authorization header. */
export async function as(role: Role | 'none', sub?: string): Promise<Record<string, string>> {
  if (role === 'none') return {};
  return { authorization: `Bearer ${await tokenFor(role, sub)}` };
}

// ---- IDs and dates ----

export const globalId = (type: string, id: number): string =>
  Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

export function databaseId(id: string): number {
  const [, n] = Buffer.from(id, 'base64url').toString('utf8').split(':');
  return Number(n);
}

/** Today (UTC), as the server's `today()` computes it. */
export const today = (): string => new Date().toISOString().slice(0, 10);

/** The UTC date `days` from today. */
export function dayFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

let sequence = 0;
/** A project code unique within the test run. */
export const uniqueCode = (prefix: string): string =>
  `${prefix}-${process.pid.toString(36)}-${(++sequence).toString(36)}`.toUpperCase();

// ---- Direct SQL ----

/** Rows of a hand-written statement, run on the app's own database. */
export function rows<T = Record<string, unknown>>(t: TestApp, text: string): Promise<T[]> {
  return queryRows<T>(t.app.database.db, sql.raw(text));
}

/** A number from a one-row, one-column statement. */
export async function scalar(t: TestApp, text: string): Promise<number> {
  const [row] = await rows<Record<string, unknown>>(t, text);
  return Number(Object.values(row)[0]);
}

/** The whole audit log as text (ids, actions, entities, values), to compare before and after a failed write. */
export async function auditSnapshot(t: TestApp): Promise<string> {
  const [row] = await rows<{ j: string | null }>(t, `select json_agg(a order by a.id)::text as j from audit_log a`);
  return row.j ?? '[]';
}

export const auditCount = (t: TestApp): Promise<number> => scalar(t, 'select count(*)::int from audit_log');

/** A project's row, its allocations, status history and task links as text, to show that nothing changed. */
export async function projectSnapshot(t: TestApp, projectId: number): Promise<Record<string, string>> {
  const q = async (text: string) => (await rows<{ j: string | null }>(t, text))[0].j ?? '[]';
  return {
    project: await q(`select row_to_json(p)::text as j from projects p where p.id = ${projectId}`),
    allocations: await q(
      `select json_agg(f order by f.id)::text as j from funding_allocations f where f.project_id = ${projectId}`,
    ),
    allocationSources: await q(
      `select json_agg(s order by s.allocation_id, s.position)::text as j from allocation_sources s
       where s.allocation_id in (select id from funding_allocations where project_id = ${projectId})`,
    ),
    history: await q(
      `select json_agg(c order by c.id)::text as j from project_status_changes c where c.project_id = ${projectId}`,
    ),
    historySources: await q(
      `select json_agg(s order by s.status_change_id, s.position)::text as j from status_change_sources s
       where s.status_change_id in (select id from project_status_changes where project_id = ${projectId})`,
    ),
    tasks: await q(
      `select json_agg(t order by t.task_id)::text as j from project_tasks t where t.project_id = ${projectId}`,
    ),
    sources: await q(
      `select json_agg(s order by s.position)::text as j from project_sources s where s.project_id = ${projectId}`,
    ),
  };
}

// ---- GraphQL documents ----

export const USER_ERRORS = 'userErrors { field message code }';

export const PROJECT_FIELDS = /* GraphQL */ `
  fragment WriteProjectFields on Project {
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
        url
        title
        document {
          code
        }
        supports
      }
    }
    lengthKm
    ownerAgency {
      code
    }
    tasks {
      id
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
      rateNote
      amountVnd
      status
      fiscalYear
      note
      sources {
        url
        title
      }
    }
    fundingMix {
      ...WriteMix
    }
    sources {
      url
      title
      publisher
      quote
      publishedOn
      retrievedOn
      confidence
      supports
      document {
        code
      }
    }
    version
    createdAt
    updatedAt
    archivedAt
  }
  fragment WriteMix on FundingMix {
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

export const CREATE_PROJECT = /* GraphQL */ `
  mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) { clientMutationId project { ...WriteProjectFields } ${USER_ERRORS} }
  }
  ${PROJECT_FIELDS}
`;

export const UPDATE_PROJECT = /* GraphQL */ `
  mutation UpdateProject($input: UpdateProjectInput!) {
    updateProject(input: $input) { clientMutationId project { ...WriteProjectFields } ${USER_ERRORS} }
  }
  ${PROJECT_FIELDS}
`;

export const ARCHIVE_PROJECT = /* GraphQL */ `
  mutation ArchiveProject($input: ArchiveProjectInput!) {
    archiveProject(input: $input) { clientMutationId project { ...WriteProjectFields } ${USER_ERRORS} }
  }
  ${PROJECT_FIELDS}
`;

export const CHANGE_STATUS = /* GraphQL */ `
  mutation ChangeStatus($input: ChangeProjectStatusInput!) {
    changeProjectStatus(input: $input) {
      clientMutationId
      project { ...WriteProjectFields }
      statusChange { id status oc4idsStatus effectiveOn note sources { url title document { code } supports } }
      ${USER_ERRORS}
    }
  }
  ${PROJECT_FIELDS}
`;

export const SET_FUNDING = /* GraphQL */ `
  mutation SetFunding($input: SetProjectFundingInput!) {
    setProjectFunding(input: $input) { clientMutationId project { ...WriteProjectFields } ${USER_ERRORS} }
  }
  ${PROJECT_FIELDS}
`;

export const LINK = /* GraphQL */ `
  mutation Link($input: LinkProjectToTaskInput!) {
    linkProjectToTask(input: $input) {
      clientMutationId
      project { id code version tasks { code } }
      task { id code projects(first: 100) { totalCount nodes { code } } }
      ${USER_ERRORS}
    }
  }
`;

export const UNLINK = /* GraphQL */ `
  mutation Unlink($input: UnlinkProjectFromTaskInput!) {
    unlinkProjectFromTask(input: $input) {
      clientMutationId
      project { id code version tasks { code } }
      task { id code projects(first: 100) { totalCount nodes { code } } }
      ${USER_ERRORS}
    }
  }
`;

export const CREATE_PLAN = /* GraphQL */ `
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) { clientMutationId plan { id code title } ${USER_ERRORS} }
  }
`;

export const CREATE_AGENCY = /* GraphQL */ `
  mutation CreateAgency($input: CreateAgencyInput!) {
    createAgency(input: $input) { clientMutationId agency { id code name nameEn kind jurisdiction jurisdictionCode validFrom validTo } ${USER_ERRORS} }
  }
`;

export const RECORD_SUCCESSION = /* GraphQL */ `
  mutation RecordSuccession($input: RecordAgencySuccessionInput!) {
    recordAgencySuccession(input: $input) {
      clientMutationId
      predecessor { code validTo current { code } successors { agency { code } kind effectiveOn } }
      successor { code current { code } predecessors { agency { code } kind effectiveOn } }
      ${USER_ERRORS}
    }
  }
`;

export const PROJECT_BY_CODE = /* GraphQL */ `
  query ProjectByCode($code: String!) {
    project(code: $code) {
      ...WriteProjectFields
    }
  }
  ${PROJECT_FIELDS}
`;

export const NODE = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Project {
        ...WriteProjectFields
      }
    }
  }
  ${PROJECT_FIELDS}
`;

export const TASK_BY_CODE = /* GraphQL */ `
  query Task($plan: String!, $code: String!) {
    plan(code: $plan) {
      task(code: $code) {
        id
        code
        projects(first: 100) {
          totalCount
          nodes {
            code
          }
        }
        fundingMix {
          ...WriteMix
        }
      }
    }
  }
  fragment WriteMix on FundingMix {
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

export const PLAN_CODE = '6408/KH-UBND';

/** A minimal valid createProject input. */
export function projectInput(code: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { code, name: `Dự án ${code}`, sector: 'TRANSPORT_ROAD', type: 'CONSTRUCTION', ...extra };
}

/** The payload of a mutation that must have no GraphQL errors. */
export function payloadOf(response: GraphQLResponse, field: string): any {
  if (response.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors, null, 2)}`);
  expect(response.status).toBe(200);
  return (response.body.data as any)[field];
}

/** The payload of a mutation that must succeed: no GraphQL errors and no user errors. */
export function okPayload(response: GraphQLResponse, field: string): any {
  const payload = payloadOf(response, field);
  if (payload.userErrors.length > 0) throw new Error(`User errors: ${JSON.stringify(payload.userErrors, null, 2)}`);
  return payload;
}

/** Creates a project as a planner (or the given caller) and answers it. */
export async function createProject(
  t: TestApp,
  input: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<any> {
  const response = await t.query(CREATE_PROJECT, { input }, headers ?? (await as('planner')));
  return okPayload(response, 'createProject').project;
}

export async function projectByCode(t: TestApp, code: string): Promise<any> {
  const response = await t.query(PROJECT_BY_CODE, { code });
  if (response.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors, null, 2)}`);
  return (response.body.data as any).project;
}

/** The global ID of a task of the seeded plan (or another plan). */
export async function taskId(t: TestApp, code: string, plan = PLAN_CODE): Promise<string> {
  const response = await t.query(TASK_BY_CODE, { plan, code });
  const task = (response.body.data as any)?.plan?.task;
  if (!task) throw new Error(`No task ${code} in ${plan}: ${JSON.stringify(response.body)}`);
  return task.id;
}

/** The user errors reduced to what tests compare: field path and code. */
export const errorKeys = (userErrors: { field: string[]; code: string }[]) =>
  userErrors.map((e) => ({ field: e.field, code: e.code }));

/** A valid source citation. */
export function source(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    url: 'https://example.org/decision',
    title: 'A decision',
    retrievedOn: '2025-06-01',
    confidence: 'HIGH',
    ...extra,
  };
}

// ---- Exact decimals (non-negative) ----

interface Dec {
  n: bigint;
  scale: number;
}

export function parseDec(text: string): Dec {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal: ${text}`);
  const [whole, fraction = ''] = text.split('.');
  return { n: BigInt(whole + fraction), scale: fraction.length };
}

const pow10 = (k: number) => 10n ** BigInt(k);

/** As the API prints decimals: no trailing fractional zeros. */
export function formatDec({ n, scale }: Dec): string {
  const digits = n.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

export const trimDec = (text: string): string => formatDec(parseDec(text));

function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  return 2n * (num % den) >= den ? q + 1n : q;
}

export function addDec(...values: string[]): string {
  return values.reduce((a, b) => {
    const x = parseDec(a);
    const y = parseDec(b);
    const scale = Math.max(x.scale, y.scale);
    return formatDec({ n: x.n * pow10(scale - x.scale) + y.n * pow10(scale - y.scale), scale });
  }, '0');
}

/** a − b (a ≥ b). */
export function subDec(a: string, b: string): string {
  const x = parseDec(a);
  const y = parseDec(b);
  const scale = Math.max(x.scale, y.scale);
  const n = x.n * pow10(scale - x.scale) - y.n * pow10(scale - y.scale);
  if (n < 0n) throw new Error(`${a} - ${b} is negative`);
  return formatDec({ n, scale });
}

/** a × b rounded half up to 2 decimals. */
export function mulRound2(a: string, b: string): string {
  const x = parseDec(a);
  const y = parseDec(b);
  const scale = x.scale + y.scale;
  const product = x.n * y.n;
  return scale <= 2
    ? formatDec({ n: product * pow10(2 - scale), scale: 2 })
    : formatDec({ n: divRound(product, pow10(scale - 2)), scale: 2 });
}

/** a / b rounded half up to 6 decimals. */
export function ratio6(a: string, b: string): string {
  const x = parseDec(a);
  const y = parseDec(b);
  const scale = Math.max(x.scale, y.scale);
  return formatDec({ n: divRound(x.n * pow10(scale - x.scale) * pow10(6), y.n * pow10(scale - y.scale)), scale: 6 });
}

export function compareDec(a: string, b: string): number {
  const x = parseDec(a);
  const y = parseDec(b);
  const scale = Math.max(x.scale, y.scale);
  const d = x.n * pow10(scale - x.scale) - y.n * pow10(scale - y.scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Raw HTTP POST to /graphql, answering the body as text (for byte comparisons) and the headers. */
export async function rawPost(
  t: TestApp,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
