import DataLoader from 'dataloader';
import type { Db } from './db/client';
import { AgencyRepository } from './modules/agency/agency.repository';
import { FundingRepository, type FundingMixRow } from './modules/funding/funding.repository';
import { agencyAssignmentOrdering, PlanRepository, planTaskOrdering } from './modules/plan/plan.repository';
import { ProjectRepository, projectOrdering } from './modules/project/project.repository';
import { SourceRepository, type CitationOwner, type CitationRow } from './modules/source/source.repository';
import type { ProjectRow } from './db/schema';
import { batchOptions, groupLoader, prime, rowLoader } from './shared/loader-utils';
import { childConnections } from './shared/paged-loader';

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
export function createLoaders(repos: Repositories) {
  const planById = rowLoader(repos.plans.plansByIds.bind(repos.plans), (row) => row.id);
  const sectionById = rowLoader(repos.plans.sectionsByIds.bind(repos.plans), (row) => row.id);
  const taskById = rowLoader(repos.plans.tasksByIds.bind(repos.plans), (row) => row.id);
  const agencyById = rowLoader(repos.agencies.agenciesByIds.bind(repos.agencies), (row) => row.id);
  const projectById = rowLoader(repos.projects.projectsByIds.bind(repos.projects), (row) => row.id);

  const planByCode = rowLoader(
    async (codes: readonly string[]) => prime(planById, await repos.plans.plansByCodes(codes)),
    (row) => row.code,
  );
  const agencyByCode = rowLoader(
    async (codes: readonly string[]) => prime(agencyById, await repos.agencies.agenciesByCodes(codes)),
    (row) => row.code,
  );
  const projectByCode = rowLoader(
    async (codes: readonly string[]) => prime(projectById, await repos.projects.projectsByCodes(codes)),
    (row) => row.code,
  );

  const sectionsByPlanId = groupLoader(
    async (ids: readonly number[]) => prime(sectionById, await repos.plans.sectionsByPlanIds(ids)),
    (row) => row.planId,
  );
  const tasksBySectionId = groupLoader(
    async (ids: readonly number[]) => prime(taskById, await repos.plans.tasksBySectionIds(ids)),
    (row) => row.sectionId,
  );
  const taskByPlanAndCode = new DataLoader<{ planId: number; code: string }, Awaited<ReturnType<typeof taskById.load>>, string>(
    async (pairs) => {
      const rows = prime(taskById, await repos.plans.tasksByPlanAndCodes(pairs));
      const map = new Map(rows.map((row) => [`${row.planId}|${row.code}`, row]));
      return pairs.map((pair) => map.get(`${pair.planId}|${pair.code}`) ?? null);
    },
    { ...batchOptions, cacheKeyFn: (pair) => `${pair.planId}|${pair.code}` },
  );

  const citationLoader = (owner: CitationOwner) =>
    groupLoader<number, CitationRow>((ids) => repos.sources.citations(owner, ids), (row) => row.ownerId);

  const mixLoader = (fetch: (ids: readonly number[]) => Promise<FundingMixRow[]>) =>
    groupLoader<number, FundingMixRow>(fetch, (row) => row.parentId);

  const projectPagesByTask = childConnections<ProjectRow>({
    ordering: projectOrdering,
    fetchPages: (ids, request) => repos.projects.projectPagesByTaskIds(ids, request),
    countByParent: (ids) => repos.projects.countByTaskIds(ids),
  });

  return {
    planById,
    planByCode,
    sectionById,
    taskById,
    agencyById,
    agencyByCode,
    projectById,
    projectByCode,
    legalDocumentById: rowLoader(repos.sources.documentsByIds.bind(repos.sources), (row) => row.id),
    sourceById: rowLoader(repos.sources.sourcesByIds.bind(repos.sources), (row) => row.id),
    allocationById: rowLoader(repos.funding.allocationsByIds.bind(repos.funding), (row) => row.id),
    statusChangeById: rowLoader(repos.projects.statusChangesByIds.bind(repos.projects), (row) => row.id),

    legalBasisByPlanId: groupLoader(repos.plans.legalBasesByPlanIds.bind(repos.plans), (row) => row.planId),
    targetsByPlanId: groupLoader(repos.plans.targetsByPlanIds.bind(repos.plans), (row) => row.planId),
    sectionsByPlanId,
    tasksBySectionId,
    taskByPlanAndCode,
    sectionAssignmentsBySectionId: groupLoader(repos.plans.sectionAssignmentsBySectionIds.bind(repos.plans), (row) => row.sectionId),
    taskAssignmentsByTaskId: groupLoader(repos.plans.taskAssignmentsByTaskIds.bind(repos.plans), (row) => row.taskId),
    tasksByPlan: childConnections({
      ordering: planTaskOrdering,
      fetchPages: async (ids, request) => prime(taskById, await repos.plans.taskPagesByPlanIds(ids, request)),
      countByParent: (ids) => repos.plans.countTasksByPlanIds(ids),
    }),
    assignmentsByAgency: childConnections({
      ordering: agencyAssignmentOrdering,
      fetchPages: (ids, request) => repos.plans.assignmentPagesByAgencyIds(ids, request),
      countByParent: (ids) => repos.plans.countAssignmentsByAgencyIds(ids),
    }),

    successionsByPredecessorId: groupLoader(repos.agencies.successionsByPredecessorIds.bind(repos.agencies), (row) => row.predecessorId),
    successionsBySuccessorId: groupLoader(repos.agencies.successionsBySuccessorIds.bind(repos.agencies), (row) => row.successorId),
    currentAgencyIdByAgencyId: new DataLoader<number, number>(async (ids) => {
      const map = await repos.agencies.currentAgencyIds(ids);
      return ids.map((id) => map.get(id) ?? id);
    }, batchOptions),

    projectsByTask: projectPagesByTask,
    projectsByPlan: childConnections<ProjectRow>({
      ordering: projectOrdering,
      fetchPages: async (ids, request) => prime(projectById, await repos.projects.projectPagesByPlanIds(ids, request)),
      countByParent: (ids) => repos.projects.countByPlanIds(ids),
    }),
    projectsByOwner: childConnections<ProjectRow>({
      ordering: projectOrdering,
      fetchPages: async (ids, request) => prime(projectById, await repos.projects.projectPagesByOwnerIds(ids, request)),
      countByParent: (ids) => repos.projects.countByOwnerIds(ids),
    }),
    taskIdsByProjectId: groupLoader(repos.projects.taskLinksByProjectIds.bind(repos.projects), (row) => row.projectId),
    locationsByProjectId: groupLoader(repos.projects.locationsByProjectIds.bind(repos.projects), (row) => row.projectId),
    statusChangesByProjectId: groupLoader(repos.projects.statusChangesByProjectIds.bind(repos.projects), (row) => row.projectId),
    allocationsByProjectId: groupLoader(repos.funding.allocationsByProjectIds.bind(repos.funding), (row) => row.projectId),
    fundingSources: new DataLoader<'all', Awaited<ReturnType<FundingRepository['fundingSources']>>>(async (keys) => {
      const rows = await repos.funding.fundingSources();
      return keys.map(() => rows);
    }, batchOptions),

    fundingMixByProjectId: mixLoader((ids) => repos.funding.fundingMixesByProjectIds(ids)),
    fundingMixByTaskId: mixLoader((ids) => repos.funding.fundingMixesByTaskIds(ids)),
    fundingMixByPlanId: mixLoader((ids) => repos.funding.fundingMixesByPlanIds(ids)),

    sourcesByProjectId: citationLoader('project'),
    sourcesByAllocationId: citationLoader('allocation'),
    sourcesByStatusChangeId: citationLoader('statusChange'),
    sourcesBySuccessionId: citationLoader('succession'),
    sourcesByAgencyId: citationLoader('agency'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
