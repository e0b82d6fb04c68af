import { asc, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { anyInt, anyText, preparedRead } from '../../db/prepared';
import { planTasks, projectLocations, projects, projectStatusChanges, projectTasks } from '../../db/schema';

/** Every column of a project the API reads: all but `search_text`, which only searches use (a third of a row's bytes).
 * */
export const projectColumns = (() => {
  const { searchText: _searchText, ...columns } = getTableColumns(projects);
  return columns;
})();

const projectsByIds = preparedRead((db) => db.select(projectColumns).from(projects).where(anyInt(projects.id, 'ids')));
const projectsByCodes = preparedRead((db) =>
  db.select(projectColumns).from(projects).where(anyText(projects.code, 'codes')),
);
const statusChangesByProjectIds = preparedRead((db) =>
  db
    .select()
    .from(projectStatusChanges)
    .where(anyInt(projectStatusChanges.projectId, 'ids'))
    .orderBy(asc(projectStatusChanges.projectId), asc(projectStatusChanges.effectiveOn), asc(projectStatusChanges.id)),
);
const locationsByProjectIds = preparedRead((db) =>
  db
    .select()
    .from(projectLocations)
    .where(anyInt(projectLocations.projectId, 'ids'))
    .orderBy(asc(projectLocations.projectId), asc(projectLocations.position)),
);

/** The SQL of project details: projects by id or code, their task links, locations and status history. */
export class ProjectRepository {
  constructor(private readonly db: Db) {}

  projectsByIds(ids: readonly number[]) {
    return projectsByIds(this.db, { ids: [...ids] });
  }

  projectsByCodes(codes: readonly string[]) {
    return projectsByCodes(this.db, { codes: [...codes] });
  }

  taskLinksByProjectIds(projectIds: readonly number[]) {
    return this.db
      .select({ projectId: projectTasks.projectId, taskId: projectTasks.taskId })
      .from(projectTasks)
      .innerJoin(planTasks, sql`${planTasks.id} = ${projectTasks.taskId}`)
      .where(inArray(projectTasks.projectId, [...projectIds]))
      .orderBy(asc(projectTasks.projectId), asc(planTasks.planId), asc(planTasks.sortOrder));
  }

  locationsByProjectIds(projectIds: readonly number[]) {
    return locationsByProjectIds(this.db, { ids: [...projectIds] });
  }

  statusChangesByProjectIds(projectIds: readonly number[]) {
    return statusChangesByProjectIds(this.db, { ids: [...projectIds] });
  }

  statusChangesByIds(ids: readonly number[]) {
    return this.db
      .select()
      .from(projectStatusChanges)
      .where(inArray(projectStatusChanges.id, [...ids]));
  }
}
