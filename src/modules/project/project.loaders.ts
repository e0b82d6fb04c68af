import type { GraphQLResolveInfo } from 'graphql';
import { selects } from '../../lib/selection';
import type { ProjectRow } from '../../db/schema';
import type { FundingRepository, FundingMixRow } from '../funding/funding.repository';
import type { BatchScheduler } from '../../lib/batch-scheduler';
import { prime, type RequestLoader } from '../../lib/loader-utils';
import { byParent, parentLoader } from '../../lib/paged-loader';
import { connection, toPage, type Connection } from '../../lib/pagination';
import { projectQuery, type ProjectListArgs, type ProjectQuery, type RankedProjectRow } from './project-query';
import { ROOT, type ProjectRepository, type ProjectScope, type ProjectSummaryRow } from './project.repository';

/** What `ProjectConnection.aggregate` resolves from: the set's summary rows and its funding mix, each read lazily. */
export interface ProjectAggregateModel {
  summary(): Promise<ProjectSummaryRow[]>;
  mix(): Promise<FundingMixRow[]>;
}

export type ProjectConnectionModel = Connection<RankedProjectRow> & { aggregate(): ProjectAggregateModel };

/**
 * Filtered, ordered project lists of one scope (the root list, or each task's, plan's or agency's): pages, counts,
 * summaries and funding mixes each cost one statement per distinct list, however many parents ask.
 */
export function projectLists(
  scheduler: BatchScheduler,
  repos: { projects: ProjectRepository; funding: FundingRepository },
  projectById: RequestLoader<number, ProjectRow | null>,
  scope: ProjectScope,
) {
  const setKey = (query: ProjectQuery) => query.setKey;
  const pages = parentLoader(
    scheduler,
    (query: ProjectQuery) => query.pageKey,
    async (parentIds, query) => byParent(prime(projectById, await repos.projects.pages(scope, parentIds, query))),
    () => [],
  );
  const counts = parentLoader(scheduler, setKey, (parentIds, query) => repos.projects.counts(scope, parentIds, query), () => 0);
  const summaries = parentLoader(
    scheduler,
    setKey,
    async (parentIds, query) => byParent(await repos.projects.summaries(scope, parentIds, query)),
    () => [],
  );
  const summariesAndMixes = parentLoader(
    scheduler,
    setKey,
    (parentIds, query) => repos.projects.summariesAndMixes(scope, parentIds, query),
    () => ({ summary: [], mix: [] }),
  );
  const mixes = parentLoader(
    scheduler,
    setKey,
    (parentIds, query) => repos.funding.fundingMixesOfSelection(scope, parentIds, query.filter),
    () => [],
  );

  /**
   * What the request selects decides the statements: with `aggregate` the list's count comes from its summary (one
   * statement for both) rather than a count of its own; with `aggregateMix` (the aggregate's funding) the summary and
   * the mix come from one statement that evaluates the selection once.
   */
  return (parentId: number, args: ProjectListArgs, options: { aggregate?: boolean; aggregateMix?: boolean } = {}): ProjectConnectionModel => {
    const query = projectQuery(args);
    const key = { parentId, query };
    const summary = options.aggregateMix ? async () => (await summariesAndMixes.load(key)).summary : () => summaries.load(key);
    const mix = options.aggregateMix ? async () => (await summariesAndMixes.load(key)).mix : () => mixes.load(key);
    const count = options.aggregate ? async () => (await summary()).find((row) => row.grouping === 'all')?.count ?? 0 : () => counts.load(key);
    return {
      ...connection(query.ordering, async () => toPage(await pages.load(key), query.request), count),
      aggregate: () => ({ summary, mix }),
    };
  };
}

/** What a project list's resolver asks of it, read from the query's selection. */
export function listOptions(info: GraphQLResolveInfo) {
  return {
    aggregate: selects(info, 'aggregate'),
    aggregateMix: selects(info, 'aggregate', 'byFundingSource') || selects(info, 'aggregate', 'fundingMix'),
  };
}

export { ROOT };
