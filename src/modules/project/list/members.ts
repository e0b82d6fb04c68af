import { and, isNull, sql, type SQL } from 'drizzle-orm';
import { planTasks, projects, projectTasks } from '../../../db/schema';
import { intArray } from '../../../db/sql';

/** Which projects a list holds: the membership SQL that pages, counts, summaries and funding mixes share. */

/** Where a list of projects hangs: the whole registry, or each of many tasks, plans or agencies. */
export type ProjectScope = 'all' | 'task' | 'plan' | 'agency';

/** The parent every root list belongs to. */
export const ROOT = 0;

export const notArchived = isNull(projects.archivedAt);

/** (parent_id, project_id) pairs of a scope: which projects hang under which parent. */
export function scopeMembers(scope: Exclude<ProjectScope, 'all'>, parentIds: readonly number[]): SQL {
  switch (scope) {
    case 'task':
      return sql`select pt.task_id as parent_id, pt.project_id from ${projectTasks} pt where pt.task_id = any(${intArray(parentIds)})`;
    case 'plan':
      return sql`select distinct t.plan_id as parent_id, pt.project_id from ${projectTasks} pt
                 join ${planTasks} t on t.id = pt.task_id where t.plan_id = any(${intArray(parentIds)})`;
    case 'agency':
      return sql`select l.agency_id as parent_id, l.project_id from agency_project_links l where l.agency_id = any(${intArray(parentIds)})`;
  }
}

/** The projects under the parent whose id is `parent` (an SQL expression): a correlated subquery of project ids. */
export function membersOf(scope: Exclude<ProjectScope, 'all'>, parent: SQL): SQL {
  switch (scope) {
    case 'task':
      return sql`select pt.project_id from ${projectTasks} pt where pt.task_id = ${parent}`;
    case 'plan':
      return sql`select pt.project_id from ${projectTasks} pt join ${planTasks} t on t.id = pt.task_id where t.plan_id = ${parent}`;
    case 'agency':
      return sql`select l.project_id from agency_project_links l where l.agency_id = ${parent}`;
  }
}

/** (parent_id, project_id) of the projects a query selects under each parent, archived ones left out. */
export function selectedMembers(
  scope: ProjectScope,
  parentIds: readonly number[],
  filter: SQL | undefined,
  withFacts = false,
): SQL {
  const where = and(notArchived, filter);
  // What summaries group and sum, read with the selection rather than looked up again by id.
  const facts = withFacts
    ? sql`, ${projects.status} as status, ${projects.sector} as sector, ${projects.plannedCompletion} as planned_completion,
          ${projects.totalInvestmentVnd} as total_investment_vnd`
    : sql``;
  if (scope === 'all')
    return sql`select ${ROOT} as parent_id, ${projects.id} as project_id${facts} from ${projects} where ${where}`;
  return sql`select m.parent_id, ${projects.id} as project_id${facts} from ${projects}
             join (${scopeMembers(scope, parentIds)}) m on m.project_id = ${projects.id} where ${where}`;
}
