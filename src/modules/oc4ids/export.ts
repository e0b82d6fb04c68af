import type { ServerResponse } from 'node:http';
import type { SQL } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type { ProjectFilter, ProjectSector, ProjectStatus, ProjectType } from '../../__generated__/graphql';
import { projectSector, projectStatus, projectType } from '../../db/schema';
import { badUserInput } from '../../lib/errors';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../../lib/scalars';
import { checkProjectFilter, LIST_FIELDS, projectFilterSql, type FilterLimits } from '../project/list/filter';
import { packageEnvelope, toOc4idsProject, type ExportProject } from './mapping';
import type { Oc4idsRepository } from './oc4ids.repository';

/** Projects read (with everything they need) per batch of the export. */
export const EXPORT_BATCH_SIZE = 500;

/** The OC4IDS objects of these projects, in their order: one batch of statements for all of them. */
export async function oc4idsProjects(
  repository: Oc4idsRepository,
  rows: readonly ExportProject[],
  prefix: string,
): Promise<Record<string, unknown>[]> {
  const bundles = await repository.bundles(rows);
  return bundles.map((bundle) => toOc4idsProject(bundle, prefix));
}

// ---- Filters from query parameters ----

/**
 * List parameters, the filter's list fields: repeatable, or comma-separated (except `financier`, whose names may
 * hold commas).
 */
const LIST_PARAMETERS = LIST_FIELDS;
const SINGLE_PARAMETERS = [
  'search',
  'minInvestment',
  'maxInvestment',
  'plannedCompletionFrom',
  'plannedCompletionTo',
  'updatedSince',
  'includeSuccessors',
] as const;
export const FILTER_PARAMETERS: readonly string[] = [...LIST_PARAMETERS, ...SINGLE_PARAMETERS];

const ENUMS: Record<string, readonly string[]> = {
  status: projectStatus.enumValues,
  sector: projectSector.enumValues,
  type: projectType.enumValues,
};

/** Runs a scalar's parser, naming the parameter in its error. */
function parsed<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw badUserInput(`Query parameter "${name}": ${message}`, { argument: name });
  }
}

/**
 * The ProjectFilter the query parameters of an export ask for, checked like the GraphQL filter: unknown parameters,
 * empty values, unknown enum values, malformed decimals, dates and instants are BAD_USER_INPUT.
 */
export function filterFromQuery(params: URLSearchParams): ProjectFilter | null {
  const names = new Set(params.keys());
  for (const name of names) {
    if (!FILTER_PARAMETERS.includes(name)) {
      throw badUserInput(`Unknown query parameter "${name}". The export takes ${FILTER_PARAMETERS.join(', ')}.`, {
        argument: name,
      });
    }
  }
  if (names.size === 0) return null;
  const filter: ProjectFilter = {};
  for (const name of LIST_PARAMETERS) {
    if (!names.has(name)) continue;
    const raw = params.getAll(name);
    const values = (name === 'financier' ? raw : raw.flatMap((value) => value.split(','))).map((value) => value.trim());
    if (values.some((value) => value === ''))
      throw badUserInput(`Query parameter "${name}" has an empty value.`, { argument: name });
    const allowed = ENUMS[name];
    const wrong = allowed ? values.find((value) => !allowed.includes(value)) : undefined;
    if (wrong !== undefined)
      throw badUserInput(`Query parameter "${name}": "${wrong}" is not one of ${allowed.join(', ')}.`, {
        argument: name,
      });
    if (name === 'status') filter.status = values as ProjectStatus[];
    else if (name === 'sector') filter.sector = values as ProjectSector[];
    else if (name === 'type') filter.type = values as ProjectType[];
    else filter[name] = values;
  }
  const single = (name: (typeof SINGLE_PARAMETERS)[number]): string | undefined => {
    if (!names.has(name)) return undefined;
    const values = params.getAll(name);
    if (values.length > 1)
      throw badUserInput(`Query parameter "${name}" is given ${values.length} times; it takes one value.`, {
        argument: name,
      });
    if (values[0].trim() === '')
      throw badUserInput(`Query parameter "${name}" has an empty value.`, { argument: name });
    return values[0];
  };
  const search = single('search');
  if (search !== undefined) filter.search = search;
  const min = single('minInvestment');
  if (min !== undefined) filter.minInvestment = parsed('minInvestment', () => DecimalScalar.parseValue(min) as string);
  const max = single('maxInvestment');
  if (max !== undefined) filter.maxInvestment = parsed('maxInvestment', () => DecimalScalar.parseValue(max) as string);
  const from = single('plannedCompletionFrom');
  const to = single('plannedCompletionTo');
  if (from !== undefined || to !== undefined) {
    filter.plannedCompletion = {
      ...(from !== undefined
        ? { from: parsed('plannedCompletionFrom', () => DateScalar.parseValue(from) as string) }
        : {}),
      ...(to !== undefined ? { to: parsed('plannedCompletionTo', () => DateScalar.parseValue(to) as string) } : {}),
    };
  }
  const since = single('updatedSince');
  if (since !== undefined)
    filter.updatedSince = parsed('updatedSince', () => DateTimeScalar.parseValue(since) as string);
  const successors = single('includeSuccessors');
  if (successors !== undefined) {
    if (!['true', 'false'].includes(successors))
      throw badUserInput('Query parameter "includeSuccessors" must be true or false.', {
        argument: 'includeSuccessors',
      });
    filter.includeSuccessors = successors === 'true';
  }
  return filter;
}

/**
 * The filter of the export's query parameters, checked against the same limits as the GraphQL filter, and its SQL
 * condition (BAD_USER_INPUT when they are wrong).
 */
export function exportFilter(
  params: URLSearchParams,
  limits: FilterLimits,
): { filter: ProjectFilter | null; condition: SQL | undefined } {
  const filter = filterFromQuery(params);
  try {
    checkProjectFilter(filter, limits);
    return { filter, condition: projectFilterSql(filter).where };
  } catch (error) {
    if (error instanceof GraphQLError) {
      // The GraphQL messages name `filter.x`; here they are query parameters.
      throw badUserInput(error.message.replace(/"filter\.(\w+)"/g, 'Query parameter "$1"'), error.extensions);
    }
    throw error;
  }
}

// ---- Streaming ----

class ClientGone extends Error {}

/** Writes a chunk, waiting for 'drain' when the socket's buffer is full; throws ClientGone when the client left. */
function write(res: ServerResponse, chunk: string): Promise<void> | void {
  if (res.destroyed) throw new ClientGone();
  if (res.write(chunk)) return;
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', gone);
      resolve();
    };
    const gone = () => {
      res.off('drain', done);
      res.off('close', gone);
      reject(new ClientGone());
    };
    res.on('drain', done);
    res.on('close', gone);
  });
}

/**
 * Streams a project package: the package's own fields, then each project as soon as its batch is read. Reads
 * EXPORT_BATCH_SIZE projects at a time by keyset on id, with a constant number of statements per batch, so the
 * export never holds more than one batch in memory. A failure after the first byte aborts the response (a
 * truncated body is not valid JSON, so it cannot pass for a complete package).
 */
export async function streamPackage(
  res: ServerResponse,
  repository: Oc4idsRepository,
  options: {
    condition: SQL | undefined;
    uri: string;
    publishedDate: string;
    prefix: string;
    headers: Record<string, string>;
  },
): Promise<void> {
  res.statusCode = 200;
  for (const [name, value] of Object.entries(options.headers)) res.setHeader(name, value);
  const envelope = JSON.stringify(packageEnvelope(options.uri, options.publishedDate));
  try {
    await write(res, `${envelope.slice(0, -1)},"projects":[`);
    let afterId = 0;
    let first = true;
    for (;;) {
      const rows = await repository.exportPage(options.condition, afterId, EXPORT_BATCH_SIZE);
      if (rows.length === 0) break;
      const objects = await oc4idsProjects(repository, rows, options.prefix);
      for (const object of objects) {
        await write(res, `${first ? '' : ','}${JSON.stringify(object)}`);
        first = false;
      }
      afterId = rows[rows.length - 1].id;
      if (rows.length < EXPORT_BATCH_SIZE) break;
    }
    res.end(']}');
  } catch (error) {
    if (error instanceof ClientGone) return;
    res.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
