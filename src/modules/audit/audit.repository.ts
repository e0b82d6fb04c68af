import { and, desc, eq, gte, lte, count, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { auditLog, type AuditLogRow } from '../../db/schema';
import { cursorCondition, orderByTerms, type Ordering, type PageRequest } from '../../lib/pagination';

export const auditOrdering: Ordering<AuditLogRow> = {
  tag: 'AuditEntry:newest',
  keys: [{ expr: sql`${auditLog.id}`, direction: 'DESC', type: 'int', value: (row) => row.id }],
};

export interface AuditFilter {
  entity?: { type: string; id: number };
  actor?: string;
  action?: string;
  since?: string;
  until?: string;
}

/** The reads of the audit log (entries are written by the AuditWriter, in each write's transaction). */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  private where(filter: AuditFilter): SQL | undefined {
    return and(
      filter.entity
        ? and(eq(auditLog.entityType, filter.entity.type), eq(auditLog.entityId, filter.entity.id))
        : undefined,
      filter.actor !== undefined ? eq(auditLog.actorSubject, filter.actor) : undefined,
      filter.action !== undefined ? eq(auditLog.action, filter.action) : undefined,
      filter.since !== undefined ? gte(auditLog.at, filter.since) : undefined,
      filter.until !== undefined ? lte(auditLog.at, filter.until) : undefined,
    );
  }

  page(filter: AuditFilter, request: PageRequest): Promise<AuditLogRow[]> {
    return this.db
      .select()
      .from(auditLog)
      .where(and(this.where(filter), cursorCondition(auditOrdering, request)))
      .orderBy(...orderByTerms(auditOrdering, request.backward))
      .limit(request.limit + 1);
  }

  async count(filter: AuditFilter): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(auditLog).where(this.where(filter));
    return Number(row.n);
  }

  latest(limit: number) {
    return this.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
  }
}
