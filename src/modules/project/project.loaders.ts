import type { ProjectFilter } from '../../__generated__/graphql';
import type { BatchScheduler } from '../../lib/batch-scheduler';
import { groupLoader, prime, rowLoader, scheduledLoader } from '../../lib/loader-utils';
import type { Notices, Warning } from '../../lib/notices';
import type { FundingRepository } from '../funding/funding.repository';
import { CODE_FIELDS, filterCodes, type CodeField } from './list/filter';
import type { ProjectListRepository } from './list/list.repository';
import { projectLists } from './list/loaders';
import type { ProjectScope } from './list/members';
import type { ProjectRepository } from './project.repository';

const CODE_NAMES: Record<CodeField, string> = {
  agency: 'agency',
  planCode: 'plan',
  taskCode: 'plan task',
  fundingSource: 'funding source',
};

function unknownCodeWarning({ field, code }: { field: CodeField; code: string }): Warning {
  return {
    code: 'UNKNOWN_CODE',
    message: `No ${CODE_NAMES[field]} has the code "${code}": the filter's "${field}" matches no project through it.`,
    argument: `filter.${field}`,
    value: code,
  };
}

/** The loaders of projects, their details, and their lists (filtered, ordered, paged and summed). */
export function projectLoaders(
  scheduler: BatchScheduler,
  repos: { projects: ProjectRepository; lists: ProjectListRepository; funding: FundingRepository },
  notices: Notices,
) {
  const { projects } = repos;
  const projectById = rowLoader(
    scheduler,
    (ids: readonly number[]) => projects.projectsByIds(ids),
    (row) => row.id,
  );
  const projectByCode = rowLoader(
    scheduler,
    async (codes: readonly string[]) => prime(projectById, await projects.projectsByCodes(codes)),
    (row) => row.code,
  );

  // Codes in filters that nothing has: they match nothing, and the answer says so in extensions.warnings.
  const unknownCode = scheduledLoader<{ field: CodeField; code: string }, boolean, string>(
    scheduler,
    async (pairs) => {
      const byField: Record<CodeField, string[]> = { agency: [], planCode: [], taskCode: [], fundingSource: [] };
      for (const { field, code } of pairs) byField[field].push(code);
      const unknown = new Set((await repos.lists.unknownCodes(byField)).map((row) => `${row.field}|${row.code}`));
      return pairs.map(({ field, code }) => unknown.has(`${field}|${code}`));
    },
    { cacheKeyFn: ({ field, code }) => `${field}|${code}` },
  );
  const notedFilters = new Set<string>();
  /** Looks up the codes a filter names, once per distinct filter of the request, and warns of those nothing has. */
  const noteFilter = (filter: ProjectFilter | null | undefined): void => {
    if (!filter) return;
    const key = JSON.stringify(filter);
    if (notedFilters.has(key)) return;
    notedFilters.add(key);
    const codes = filterCodes(filter);
    const pairs = CODE_FIELDS.flatMap((field) => codes[field].map((code) => ({ field, code })));
    if (pairs.length === 0) return;
    notices.add(
      Promise.all(pairs.map((pair) => unknownCode.load(pair))).then((unknown) =>
        pairs.filter((_, i) => unknown[i]).map(unknownCodeWarning),
      ),
    );
  };

  // Each scope's list loaders (five DataLoaders) are made when a request first lists projects of that scope.
  const listsOf = new Map<ProjectScope, ReturnType<typeof projectLists>>();
  const projectList =
    (scope: ProjectScope): ReturnType<typeof projectLists> =>
    (parentId, args, options) => {
      noteFilter(args.filter);
      let lists = listsOf.get(scope);
      if (!lists) listsOf.set(scope, (lists = projectLists(scheduler, repos, projectById, scope)));
      return lists(parentId, args, options);
    };

  const details = {
    statusChangeById: rowLoader(
      scheduler,
      (ids: readonly number[]) => projects.statusChangesByIds(ids),
      (row) => row.id,
    ),
    taskIdsByProjectId: groupLoader(
      scheduler,
      (ids: readonly number[]) => projects.taskLinksByProjectIds(ids),
      (row) => row.projectId,
    ),
    locationsByProjectId: groupLoader(
      scheduler,
      (ids: readonly number[]) => projects.locationsByProjectIds(ids),
      (row) => row.projectId,
    ),
    statusChangesByProjectId: groupLoader(
      scheduler,
      (ids: readonly number[]) => projects.statusChangesByProjectIds(ids),
      (row) => row.projectId,
    ),
  };
  return {
    noteFilter,
    projectById,
    projectByCode,
    ...details,
    projects: projectList('all'),
    projectsByTask: projectList('task'),
    projectsByPlan: projectList('plan'),
    projectsByAgency: projectList('agency'),
    /** After a project was written: its rows and details are read again, and every list (which may hold it). */
    forgetProject(projectId: number) {
      projectById.clear(projectId);
      projectByCode.clearAll();
      for (const loader of [details.taskIdsByProjectId, details.locationsByProjectId, details.statusChangesByProjectId])
        loader.clear(projectId);
      details.statusChangeById.clearAll();
      listsOf.clear();
    },
  };
}
