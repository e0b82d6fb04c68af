import type { ProjectRow } from '../../db/schema';
import type { BatchScheduler } from '../../lib/batch-scheduler';
import { scheduledLoader } from '../../lib/loader-utils';
import { oc4idsProjects } from './export';
import type { Oc4idsRepository } from './oc4ids.repository';

/** The OC4IDS objects of all projects a query asks for, read in one batch; ids begin with `prefix`. */
export function oc4idsLoaders(scheduler: BatchScheduler, oc4ids: Oc4idsRepository, prefix: string) {
  return {
    oc4idsByProject: scheduledLoader<ProjectRow, Record<string, unknown>, number>(
      scheduler,
      (rows) => oc4idsProjects(oc4ids, rows, prefix),
      {
        cacheKeyFn: (row) => row.id,
      },
    ),
  };
}
