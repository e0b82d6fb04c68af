import type { Context } from './graphql/context';
import type { Db } from './db/client';
import { createLoaders } from './graphql/loaders';
import { assertRole, type Role } from './modules/auth/auth';
import { AuditRepository } from './modules/audit/audit.repository';
import { UserInputFailure, type UserError } from './lib/user-errors';

/** What a write records in the audit log besides who, when and which request. */
export interface AuditRecord {
  entityType: string;
  entityId: number;
  before: unknown;
  after: unknown;
}

/** The caller must hold `role` for `action`: checked before the input, so nobody below it learns the rules. */
export function authorize(context: Context, role: Role, action: string): void {
  assertRole(context.viewer, role, action);
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
    const { code, constraint, constraint_name } = current as { code?: string; constraint?: string; constraint_name?: string };
    const name = constraint_name ?? constraint;
    if (code === '23505' && name && name in DUPLICATE_KEYS) return DUPLICATE_KEYS[name];
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; userErrors: UserError[] };

/**
 * Runs one mutation: checks the caller's role, runs `work` in a transaction that also writes the audit entries it
 * records, and rolls everything back when `work` reports user errors (by throwing UserInputFailure) or fails.
 * After a successful write the request's loaders start afresh, so the payload shows the new state.
 */
export async function runWrite<T>(
  context: Context,
  spec: { action: string; role: Role; clientMutationId?: string | null },
  work: (tx: Db, audit: (record: AuditRecord) => Promise<void>) => Promise<T>,
): Promise<WriteOutcome<T>> {
  assertRole(context.viewer, spec.role, spec.action);
  const viewer = context.viewer;
  try {
    const value = await context.db.transaction(async (tx) => {
      const audit = new AuditRepository(tx as unknown as Db);
      return work(tx as unknown as Db, (record) =>
        audit.record({
          ...record,
          actorSubject: viewer.subject,
          actorRole: viewer.role,
          action: spec.action,
          requestId: context.requestId,
          clientMutationId: spec.clientMutationId ?? null,
        }),
      );
    });
    context.loaders = createLoaders(context.repos, context.scheduler, context.notices);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof UserInputFailure) return { ok: false, userErrors: error.errors };
    const field = duplicateOf(error);
    if (field) return { ok: false, userErrors: [{ field: ['input', field], message: 'This already exists (it was just recorded by another request).', code: 'DUPLICATE' }] };
    throw error;
  }
}

/** A mutation payload: the objects `build` loads on success, or the user errors; `clientMutationId` echoed. */
export async function payload<T, P extends object>(
  input: { clientMutationId?: string | null },
  outcome: WriteOutcome<T>,
  build: (value: T) => Promise<P>,
  empty: P,
): Promise<P & { clientMutationId: string | null; userErrors: UserError[] }> {
  const clientMutationId = input.clientMutationId ?? null;
  if (!outcome.ok) return { ...empty, clientMutationId, userErrors: outcome.userErrors };
  return { ...(await build(outcome.value)), clientMutationId, userErrors: [] };
}
