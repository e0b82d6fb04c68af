import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { idempotencyKeys } from '../../db/schema';

/** How long a key answers repeats. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;

export type Reservation =
  | { kind: 'reserved' }
  | { kind: 'replay'; response: string; httpStatus: number }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

/** All SQL of idempotency keys. */
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /** Claims the key for this request, or tells what an earlier request with it did. */
  async reserve(subject: string, key: string, requestHash: string): Promise<Reservation> {
    await this.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})`));
    const inserted = await this.db.insert(idempotencyKeys).values({ subject, key, requestHash }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: 'reserved' };
    const [existing] = await this.db
      .select({
        requestHash: idempotencyKeys.requestHash,
        // The stored JSON string as text (a jsonb column would be parsed on the way out).
        response: sql<string | null>`${idempotencyKeys.response} #>> '{}'`,
        httpStatus: idempotencyKeys.httpStatus,
      })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.subject, subject), eq(idempotencyKeys.key, key)));
    if (!existing) return this.reserve(subject, key, requestHash);
    if (existing.requestHash !== requestHash) return { kind: 'mismatch' };
    if (existing.response === null) return { kind: 'in-progress' };
    // Stored as a JSON string value, so the replay is the first response byte for byte.
    return { kind: 'replay', response: existing.response, httpStatus: existing.httpStatus ?? 200 };
  }

  async complete(subject: string, key: string, response: string, httpStatus: number): Promise<void> {
    await this.db
      .update(idempotencyKeys)
      .set({ response: sql`to_jsonb(cast(${response} as text))`, httpStatus })
      .where(and(eq(idempotencyKeys.subject, subject), eq(idempotencyKeys.key, key)));
  }

  async release(subject: string, key: string): Promise<void> {
    await this.db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.subject, subject), eq(idempotencyKeys.key, key)));
  }
}
