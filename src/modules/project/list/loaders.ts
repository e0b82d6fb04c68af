import type { GraphQLResolveInfo } from 'graphql';
import { selectedFieldNames, selects } from '../../../lib/selection';
import type { ProjectRow } from '../../../db/schema';
import type { FundingRepository } from '../../funding/funding.repository';
import type { FundingMixRow } from '../../funding/mix-sql';
import type { BatchScheduler } from '../../../lib/batch-scheduler';
import { prime, type RequestLoader } from '../../../lib/loader-utils';
import { byParent, parentLoader } from '../../../lib/paged-loader';
import { connection, toPage, type Connection } from '../../../lib/pagination';
import { projectColumns } from '../project.repository';
import type { ProjectListRepository, ProjectSummaryRow } from './list.repository';
import { ROOT, type ProjectScope } from './members';
import type { RankedProjectRow } from './order';
import { projectQuery, type ProjectListArgs, type ProjectQuery } from './query';

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
  repos: { lists: ProjectListRepository; funding: FundingRepository },
  projectById: RequestLoader<number, ProjectRow | null>,
  scope: ProjectScope,
) {
  const setKey = (query: ProjectQuery) => query.setKey;
  // A page read with only some columns is not a whole project, so it does not go into the request's project cache.
  const pages = parentLoader(
    scheduler,
    ({ query, columns }: { query: ProjectQuery; columns: ProjectColumn[] | null }) =>
      `${query.pageKey}|${columns?.join(',') ?? '*'}`,
    async (parentIds, { query, columns }) => {
      const rows = await repos.lists.pages(scope, parentIds, query, columns);
      return byParent(columns ? rows : prime(projectById, rows));
    },
    () => [],
  );
  const counts = parentLoader(
    scheduler,
    setKey,
    (parentIds, query) => repos.lists.counts(scope, parentIds, query),
    () => 0,
  );
  const summaries = parentLoader(
    scheduler,
    setKey,
    async (parentIds, query) => byParent(await repos.lists.summaries(scope, parentIds, query)),
    () => [],
  );
  const summariesAndMixes = parentLoader(
    scheduler,
    setKey,
    (parentIds, query) => repos.lists.summariesAndMixes(scope, parentIds, query),
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
  // A field's arguments are the same for every parent within a request (its literals and the request's variables):
  // the list's query is compiled once per field, not once for each of a plan tree's 527 tasks.
  const queries = new WeakMap<Partial<ListOptions>, ProjectQuery>();
  return (parentId: number, args: ProjectListArgs, options: Partial<ListOptions> = {}): ProjectConnectionModel => {
    let query = queries.get(options);
    if (!query) queries.set(options, (query = projectQuery(args)));
    const key = { parentId, query };
    const summary = options.aggregateMix
      ? async () => (await summariesAndMixes.load(key)).summary
      : () => summaries.load(key);
    const mix = options.aggregateMix ? async () => (await summariesAndMixes.load(key)).mix : () => mixes.load(key);
    const count = options.aggregate
      ? async () => (await summary()).find((row) => row.grouping === 'all')?.count ?? 0
      : () => counts.load(key);
    return {
      ...connection(
        query.ordering,
        async () =>
          toPage(await pages.load({ parentId, query: { query, columns: options.columns ?? null } }), query.request),
        count,
      ),
      aggregate: () => ({ summary, mix }),
    };
  };
}

type ProjectColumn = keyof typeof projectColumns;

/** The columns a `Project` field reads from its row; fields not listed (`oc4ids`) need the whole row. */
const FIELD_COLUMNS: Record<string, ProjectColumn[]> = {
  __typename: [],
  id: ['id'],
  code: ['code'],
  name: ['name'],
  nameEn: ['nameEn'],
  description: ['description'],
  sector: ['sector'],
  type: ['type'],
  status: ['status'],
  lengthKm: ['lengthKm'],
  ownerAgency: ['ownerAgencyId'],
  plannedStart: ['plannedStart'],
  plannedCompletion: ['plannedCompletion'],
  totalInvestment: ['totalInvestmentAmount', 'totalInvestmentCurrency'],
  totalInvestmentVnd: ['totalInvestmentVnd'],
  totalInvestmentNote: ['totalInvestmentNote'],
  notes: ['notes'],
  version: ['version'],
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
  archivedAt: ['archivedAt'],
  statusHistory: [],
  locations: [],
  tasks: [],
  funding: [],
  fundingMix: [],
  sources: [],
  auditTrail: [],
};

/** Always read: the id and every column an ordering's cursor may hold. */
const KEY_COLUMNS: ProjectColumn[] = [
  'id',
  'code',
  'name',
  'status',
  'totalInvestmentVnd',
  'plannedCompletion',
  'statusChangedOn',
];

/**
 * The columns a list's nodes need for what the query selects of them, or null for every column. A plan tree asks
 * a task's projects for a code, a name and a status: reading the other twenty columns of thousands of projects
 * (descriptions, notes, amounts) was a third of its decoding.
 */
function columnsFor(info: GraphQLResolveInfo): ProjectColumn[] | null {
  const columns = new Set<ProjectColumn>(KEY_COLUMNS);
  for (const name of [...selectedFieldNames(info, 'nodes'), ...selectedFieldNames(info, 'edges', 'node')]) {
    const needed = FIELD_COLUMNS[name];
    if (!needed) return null;
    for (const column of needed) columns.add(column);
  }
  return columns.size === Object.keys(projectColumns).length ? null : [...columns].sort();
}

type ListOptions = { aggregate: boolean; aggregateMix: boolean; columns: ProjectColumn[] | null };

/** Per field of a document: a plan tree resolves one task's projects 527 times with the same selection. */
const optionsBySelection = new WeakMap<GraphQLResolveInfo['fieldNodes'], ListOptions>();

/** What a project list's resolver asks of it, read from the query's selection. */
export function listOptions(info: GraphQLResolveInfo): ListOptions {
  let options = optionsBySelection.get(info.fieldNodes);
  if (!options) {
    options = {
      aggregate: selects(info, 'aggregate'),
      aggregateMix: selects(info, 'aggregate', 'byFundingSource') || selects(info, 'aggregate', 'fundingMix'),
      columns: columnsFor(info),
    };
    optionsBySelection.set(info.fieldNodes, options);
  }
  return options;
}

export { ROOT };
