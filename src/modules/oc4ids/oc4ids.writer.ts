import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { projects } from '../../db/schema';
import { exportColumns, type ExistingProject } from './oc4ids.repository';

/** The import's own write SQL (its other writes are the project and agency writers'). */
export class Oc4idsWriter {
  constructor(private readonly tx: Db) {}

  /** The projects with these codes, locked until the transaction ends. */
  lockProjectsByCodes(codes: readonly string[]): Promise<ExistingProject[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.tx
      .select({ ...exportColumns, archivedAt: projects.archivedAt, version: projects.version })
      .from(projects)
      .where(inArray(projects.code, [...codes]))
      .orderBy(asc(projects.id))
      .for('update');
  }
}
