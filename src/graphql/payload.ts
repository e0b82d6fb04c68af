import type { WriteOutcome, WriteRequest } from '../modules/audit/audit.writer';
import type { UserError } from '../lib/user-errors';
import type { Context } from './context';

/** What a mutation resolver hands its service: the request's database and caller. */
export function writeRequest(context: Context): WriteRequest {
  return { db: context.db, viewer: context.viewer, requestId: context.requestId };
}

/**
 * A mutation payload: after a write, the request's loaders forget what it wrote (by key), then `build` loads the
 * objects the payload shows through them; on user errors, `empty` with the errors. `clientMutationId` is echoed.
 */
export async function payload<T, P extends object>(
  context: Context,
  input: { clientMutationId?: string | null },
  outcome: WriteOutcome<T>,
  build: (value: T) => Promise<P>,
  empty: P,
): Promise<P & { clientMutationId: string | null; userErrors: UserError[] }> {
  const clientMutationId = input.clientMutationId ?? null;
  if (!outcome.ok) return { ...empty, clientMutationId, userErrors: outcome.userErrors };
  context.loaders.forget(outcome.written);
  return { ...(await build(outcome.value)), clientMutationId, userErrors: [] };
}
