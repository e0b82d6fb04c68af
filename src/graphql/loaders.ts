import type { Db } from '../db/client';
import { AgencyRepository } from '../modules/agency/agency.repository';
import { FundingRepository, type FundingMixRow } from '../modules/funding/funding.repository';
import { agencyAssignmentOrdering, PlanRepository, planTaskOrdering } from '../modules/plan/plan.repository';
import { projectLists } from '../modules/project/project.loaders';
import { ProjectRepository, type ProjectScope } from '../modules/project/project.repository';
import { SourceRepository, type CitationOwner, type CitationRow } from '../modules/source/source.repository';
import type { ProjectFilter } from '../__generated__/graphql';
import type { BatchScheduler } from '../lib/batch-scheduler';
import type { Notices, Warning } from '../lib/notices';
import { CODE_FIELDS, filterCodes, type CodeField } from '../modules/project/project-query';
import { groupLoader, prime, rowLoader, scheduledLoader } from '../lib/loader-utils';
import { childConnections } from '../lib/paged-loader';

export interface Repositories {
  plans: PlanRepository;
  agencies: AgencyRepository;
  projects: ProjectRepository;
  funding: FundingRepository;
  sources: SourceRepository;
}

export function createRepositories(db: Db): Repositories {
  return {
    plans: new PlanRepository(db),
    agencies: new AgencyRepository(db),
    projects: new ProjectRepository(db),
    funding: new FundingRepository(db),
    sources: new SourceRepository(db),
  };
}

/** One set per request: every relation the schema exposes is read in batches, never once per parent row. */
export function createLoaders(repos: Repositories, scheduler: BatchScheduler, notices: Notices) {
  const planById = rowLoader(scheduler, repos.plans.plansByIds.bind(repos.plans), (row) => row.id);
  const sectionById = rowLoader(scheduler, repos.plans.sectionsByIds.bind(repos.plans), (row) => row.id);
  const taskById = rowLoader(scheduler, repos.plans.tasksByIds.bind(repos.plans), (row) => row.id);
  const agencyById = rowLoader(scheduler, repos.agencies.agenciesByIds.bind(repos.agencies), (row) => row.id);
  const projectById = rowLoader(scheduler, repos.projects.projectsByIds.bind(repos.projects), (row) => row.id);

  const planByCode = rowLoader(scheduler, 
    async (codes: readonly string[]) => prime(planById, await repos.plans.plansByCodes(codes)),
    (row) => row.code,
  );
  const agencyByCode = rowLoader(scheduler, 
    async (codes: readonly string[]) => prime(agencyById, await repos.agencies.agenciesByCodes(codes)),
    (row) => row.code,
  );
  const projectByCode = rowLoader(scheduler, 
    async (codes: readonly string[]) => prime(projectById, await repos.projects.projectsByCodes(codes)),
    (row) => row.code,
  );

  const sectionsByPlanId = groupLoader(scheduler, 
    async (ids: readonly number[]) => prime(sectionById, await repos.plans.sectionsByPlanIds(ids)),
    (row) => row.planId,
  );
  const tasksByPlanId = groupLoader(scheduler, 
    async (ids: readonly number[]) => prime(taskById, await repos.plans.tasksByPlanIds(ids)),
    (row) => row.planId,
  );
  const taskByPlanAndCode = scheduledLoader<{ planId: number; code: string }, Awaited<ReturnType<typeof taskById.load>>, string>(
    scheduler,
    async (pairs) => {
      const rows = prime(taskById, await repos.plans.tasksByPlanAndCodes(pairs));
      const map = new Map(rows.map((row) => [`${row.planId}|${row.code}`, row]));
      return pairs.map((pair) => map.get(`${pair.planId}|${pair.code}`) ?? null);
    },
    { cacheKeyFn: (pair) => `${pair.planId}|${pair.code}` },
  );

  const citationLoader = (owner: CitationOwner) =>
    groupLoader<number, CitationRow>(scheduler, (ids) => repos.sources.citations(owner, ids), (row) => row.ownerId);

  const mixLoader = (fetch: (ids: readonly number[]) => Promise<Map<number, FundingMixRow[]>>) =>
    scheduledLoader<number, FundingMixRow[]>(scheduler, async (ids) => {
      const mixes = await fetch(ids);
      return ids.map((id) => mixes.get(id) ?? []);
    });
  const fundingSources = scheduledLoader<'all', Awaited<ReturnType<FundingRepository['fundingSources']>>>(scheduler, async (keys) => {
    const rows = await repos.funding.fundingSources();
    return keys.map(() => rows);
  });
  let sourcesById: Map<number, Awaited<ReturnType<FundingRepository['fundingSources']>>[number]> | null = null;

  // Codes in filters that nothing has: they match nothing, and the answer says so in extensions.warnings.
  const unknownCode = scheduledLoader<{ field: CodeField; code: string }, boolean, string>(
    scheduler,
    async (pairs) => {
      const byField: Record<CodeField, string[]> = { agency: [], planCode: [], taskCode: [], fundingSource: [] };
      for (const { field, code } of pairs) byField[field].push(code);
      const unknown = new Set((await repos.projects.unknownCodes(byField)).map((row) => `${row.field}|${row.code}`));
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
    notices.add(Promise.all(pairs.map((pair) => unknownCode.load(pair))).then((unknown) => pairs.filter((_, i) => unknown[i]).map(unknownCodeWarning)));
  };

  // Each scope's list loaders (five DataLoaders) are made when a request first lists projects of that scope.
  const projectList = (scope: ProjectScope): ReturnType<typeof projectLists> => {
    let lists: ReturnType<typeof projectLists> | undefined;
    return (parentId, args, options) => {
      noteFilter(args.filter);
      return (lists ??= projectLists(scheduler, repos, projectById, scope))(parentId, args, options);
    };
  };

  return {
    noteFilter,
    planById,
    planByCode,
    sectionById,
    taskById,
    agencyById,
    agencyByCode,
    projectById,
    projectByCode,
    legalDocumentById: rowLoader(scheduler, repos.sources.documentsByIds.bind(repos.sources), (row) => row.id),
    sourceById: rowLoader(scheduler, repos.sources.sourcesByIds.bind(repos.sources), (row) => row.id),
    allocationById: rowLoader(scheduler, repos.funding.allocationsByIds.bind(repos.funding), (row) => row.id),
    statusChangeById: rowLoader(scheduler, repos.projects.statusChangesByIds.bind(repos.projects), (row) => row.id),

    legalBasisByPlanId: groupLoader(scheduler, repos.plans.legalBasesByPlanIds.bind(repos.plans), (row) => row.planId),
    targetsByPlanId: groupLoader(scheduler, repos.plans.targetsByPlanIds.bind(repos.plans), (row) => row.planId),
    sectionsByPlanId,
    tasksByPlanId,
    taskByPlanAndCode,
    sectionAssignmentsByPlanId: groupLoader(scheduler, repos.plans.sectionAssignmentsByPlanIds.bind(repos.plans), (row) => row.planId),
    taskAssignmentsByTaskId: groupLoader(scheduler, repos.plans.taskAssignmentsByTaskIds.bind(repos.plans), (row) => row.taskId),
    tasksByPlan: childConnections(scheduler, {
      ordering: planTaskOrdering,
      fetchPages: async (ids, request) => prime(taskById, await repos.plans.taskPagesByPlanIds(ids, request)),
      countByParent: (ids) => repos.plans.countTasksByPlanIds(ids),
    }),
    assignmentsByAgency: childConnections(scheduler, {
      ordering: agencyAssignmentOrdering,
      fetchPages: (ids, request) => repos.plans.assignmentPagesByAgencyIds(ids, request),
      countByParent: (ids) => repos.plans.countAssignmentsByAgencyIds(ids),
    }),

    successionsByPredecessorId: groupLoader(scheduler, repos.agencies.successionsByPredecessorIds.bind(repos.agencies), (row) => row.predecessorId),
    successionsBySuccessorId: groupLoader(scheduler, repos.agencies.successionsBySuccessorIds.bind(repos.agencies), (row) => row.successorId),
    currentAgencyIdByAgencyId: scheduledLoader<number, number>(scheduler, async (ids) => {
      const map = await repos.agencies.currentAgencyIds(ids);
      return ids.map((id) => map.get(id) ?? id);
    }),

    projects: projectList('all'),
    projectsByTask: projectList('task'),
    projectsByPlan: projectList('plan'),
    projectsByAgency: projectList('agency'),
    taskIdsByProjectId: groupLoader(scheduler, repos.projects.taskLinksByProjectIds.bind(repos.projects), (row) => row.projectId),
    locationsByProjectId: groupLoader(scheduler, repos.projects.locationsByProjectIds.bind(repos.projects), (row) => row.projectId),
    statusChangesByProjectId: groupLoader(scheduler, repos.projects.statusChangesByProjectIds.bind(repos.projects), (row) => row.projectId),
    allocationsByProjectId: groupLoader(scheduler, repos.funding.allocationsByProjectIds.bind(repos.funding), (row) => row.projectId),
    fundingSources,
    /**
     * A funding source by database id: synchronous once the request has read the (seven) sources, so the thousands of
     * shares of a plan tree resolve their source without a promise each.
     */
    fundingSourceById(id: number) {
      if (sourcesById) return sourcesById.get(id)!;
      return fundingSources.load('all').then((rows) => {
        sourcesById ??= new Map(rows.map((row) => [row.id, row]));
        return sourcesById.get(id)!;
      });
    },

    fundingMixByProjectId: mixLoader((ids) => repos.funding.fundingMixesByProjectIds(ids)),
    fundingMixByTaskId: mixLoader((ids) => repos.funding.fundingMixesByScope('task', ids)),
    fundingMixByPlanId: mixLoader((ids) => repos.funding.fundingMixesByScope('plan', ids)),

    sourcesByProjectId: citationLoader('project'),
    sourcesByAllocationId: citationLoader('allocation'),
    sourcesByStatusChangeId: citationLoader('statusChange'),
    sourcesBySuccessionId: citationLoader('succession'),
    sourcesByAgencyId: citationLoader('agency'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

const CODE_NAMES: Record<CodeField, string> = { agency: 'agency', planCode: 'plan', taskCode: 'plan task', fundingSource: 'funding source' };

function unknownCodeWarning({ field, code }: { field: CodeField; code: string }): Warning {
  return {
    code: 'UNKNOWN_CODE',
    message: `No ${CODE_NAMES[field]} has the code "${code}": the filter's "${field}" matches no project through it.`,
    argument: `filter.${field}`,
    value: code,
  };
}
