import type { Db } from '../../db/client';
import { auditLog } from '../../db/schema';
import { UserInputFailure, type UserError } from '../../lib/user-errors';
import { assertRole, type Role, type User, type Viewer } from '../../lib/viewer';

/**
 * The one shape of a write. A resolver hands its service a `WriteRequest` (the request's database and caller, not
 * the GraphQL context); the service checks the role once (`authorize`, before the input, so nobody below the role
 * learns the rules), validates, and runs the write with `runWrite`: one transaction holding the write's SQL (in the
 * module's writer) and its audit entries, rolled back whole when the service reports user errors or anything fails.
 */
export interface WriteRequest {
  db: Db;
  viewer: Viewer;
  requestId: string;
}

/** A write the caller may make: who, which action, on which database. */
export interface WriteScope {
  db: Db;
  user: User;
  requestId: string;
  action: string;
  clientMutationId: string | null;
}

/** What a write records in the audit log besides who, when and which request. */
export interface AuditRecord {
  entityType: string;
  entityId: number;
  before: unknown;
  after: unknown;
}

/** The records a write touched, by type and id: the request's loaders forget them. */
export type Written = Pick<AuditRecord, 'entityType' | 'entityId'>[];

export type WriteOutcome<T> = { ok: true; value: T; written: Written } | { ok: false; userErrors: UserError[] };

/** The caller must hold `role` for `action`: the write's one role check. */
export function authorize(
  request: WriteRequest,
  role: Role,
  action: string,
  clientMutationId?: string | null,
): WriteScope {
  assertRole(request.viewer, role, action);
  return {
    db: request.db,
    user: request.viewer,
    requestId: request.requestId,
    action,
    clientMutationId: clientMutationId ?? null,
  };
}

/** The outcome of a write refused before it ran. */
export function refused<T>(userErrors: UserError[]): WriteOutcome<T> {
  return { ok: false, userErrors };
}

/** Unique keys whose violation means the code the caller gave is taken (a concurrent write got there first). */
const DUPLICATE_KEYS: Record<string, string> = {
  projects_code_key: 'code',
  projects_code_lower_key: 'code',
  agencies_code_key: 'code',
  agencies_code_lower_key: 'code',
  plans_code_key: 'code',
  plans_code_lower_key: 'code',
  agency_successions_pair_key: 'successorCode',
};

function duplicateOf(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, constraint, constraint_name } = current as {
      code?: string;
      constraint?: string;
      constraint_name?: string;
    };
    const name = constraint_name ?? constraint;
    if (code === '23505' && name && name in DUPLICATE_KEYS) return DUPLICATE_KEYS[name];
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The audit log's SQL: entries are appended in the write's own transaction. */
export class AuditWriter {
  constructor(private readonly tx: Db) {}

  async record(scope: WriteScope, record: AuditRecord): Promise<void> {
    await this.tx.insert(auditLog).values({
      ...record,
      before: record.before ?? null,
      after: record.after ?? null,
      actorSubject: scope.user.subject,
      actorRole: scope.user.role,
      action: scope.action,
      requestId: scope.requestId,
      clientMutationId: scope.clientMutationId,
    });
  }
}

/**
 * Runs `work` in a transaction that also writes the audit entries it records, and rolls everything back when `work`
 * reports user errors (by throwing UserInputFailure) or fails. The outcome names what was written.
 */
export async function runWrite<T>(
  scope: WriteScope,
  work: (tx: Db, audit: (record: AuditRecord) => Promise<void>) => Promise<T>,
): Promise<WriteOutcome<T>> {
  const written: Written = [];
  try {
    const value = await scope.db.transaction(async (tx) => {
      const auditor = new AuditWriter(tx as unknown as Db);
      return work(tx as unknown as Db, async (record) => {
        await auditor.record(scope, record);
        written.push({ entityType: record.entityType, entityId: record.entityId });
      });
    });
    return { ok: true, value, written };
  } catch (error) {
    if (error instanceof UserInputFailure) return { ok: false, userErrors: error.errors };
    const field = duplicateOf(error);
    if (field)
      return {
        ok: false,
        userErrors: [
          {
            field: ['input', field],
            message: 'This already exists (it was just recorded by another request).',
            code: 'DUPLICATE',
          },
        ],
      };
    throw error;
  }
}
