import type { BatchScheduler } from '../../lib/batch-scheduler';
import type { PageArgs } from '../../lib/pagination';
import { rootConnection } from '../../lib/top-level';
import { auditOrdering, type AuditFilter, type AuditRepository } from './audit.repository';

/** The audit log's pages. */
export function auditLoaders(scheduler: BatchScheduler, audit: AuditRepository) {
  return {
    auditLog: (filter: AuditFilter, args: PageArgs) =>
      rootConnection(
        scheduler,
        args,
        auditOrdering,
        null,
        (request) => audit.page(filter, request),
        () => audit.count(filter),
      ),
  };
}
