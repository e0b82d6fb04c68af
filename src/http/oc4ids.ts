/**
 * The OC4IDS routes:
 *
 * - `GET /oc4ids/projects.json`: a project package of every non-archived project the query parameters select
 *   (the filters of `Query.projects`, see `filterFromQuery`), streamed.
 * - `GET /oc4ids/projects/{code}.json`: a package of one project (archived ones too, like `project(code:)`).
 *
 * Errors answer `{ errors: [{ message, extensions: { code } }] }`: 400 BAD_USER_INPUT, 404 NOT_FOUND, 405, 401.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SQL } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { authenticate, type TokenVerifier } from './auth';
import type { ProjectFilter } from '../__generated__/graphql';
import { CODE_FIELDS, filterCodes } from '../modules/project/list/filter';
import { ProjectListRepository } from '../modules/project/list/list.repository';
import { exportFilter, oc4idsProjects, streamPackage } from '../modules/oc4ids/export';
import { instantOf, packageEnvelope } from '../modules/oc4ids/mapping';
import { Oc4idsRepository } from '../modules/oc4ids/oc4ids.repository';

export interface Oc4idsRouteDeps {
  database: Database;
  verifier: TokenVerifier;
  config: Pick<Config, 'auth' | 'nodeEnv' | 'oc4idsPrefix'> & {
    operations: Pick<Config['operations'], 'limits' | 'publicUrl' | 'trustProxy'>;
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** True for the OC4IDS routes. */
export function isOc4idsRoute(url: URL): boolean {
  return url.pathname === '/oc4ids' || url.pathname.startsWith('/oc4ids/');
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
) {
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_TYPE);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * The address of this request, for the package's `uri`. With PUBLIC_URL, under it. Otherwise from the request's
 * headers, which a client chooses (a cache in front of the registry could keep a package naming a stranger's host):
 * `X-Forwarded-Host`/`-Proto` only with TRUST_PROXY, `Host` only outside production, else the local address.
 */
function requestUri(
  req: IncomingMessage,
  url: URL,
  options: { publicUrl: string | null; trustProxy: boolean; production: boolean },
): string {
  const path = `${url.pathname}${url.search}`;
  if (options.publicUrl) return `${options.publicUrl}${path}`;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const plainHost = (host: string | undefined) =>
    host !== undefined && /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/.test(host)
      ? host
      : undefined;
  const local = `localhost:${req.socket.localPort ?? 80}`;
  if (options.trustProxy) {
    const host =
      plainHost(first(req.headers['x-forwarded-host'])?.split(',')[0].trim()) ?? plainHost(req.headers.host) ?? local;
    const proto = first(req.headers['x-forwarded-proto'])?.split(',')[0].trim() === 'https' ? 'https' : 'http';
    return new URL(path, `${proto}://${host}`).href;
  }
  const host = options.production ? local : (plainHost(req.headers.host) ?? local);
  return new URL(path, `http://${host}`).href;
}

/** Serves an OC4IDS route (see the module comment). */
export async function serveOc4ids(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: Oc4idsRouteDeps,
): Promise<void> {
  const single = /^\/oc4ids\/projects\/(.+)\.json$/.exec(url.pathname);
  if (url.pathname !== '/oc4ids/projects.json' && !single) {
    return sendError(
      res,
      404,
      `No route ${url.pathname}. OC4IDS packages are at /oc4ids/projects.json and /oc4ids/projects/{code}.json.`,
      'NOT_FOUND',
    );
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return sendError(res, 405, 'Method not allowed', 'METHOD_NOT_ALLOWED', { Allow: 'GET, HEAD' });

  // Reads are open unless REQUIRE_AUTH_FOR_READS; a token that is sent must be valid either way.
  const caller = await authenticate(req.headers.authorization, deps.verifier, deps.config.auth);
  if ('refusal' in caller)
    return sendError(res, 401, caller.refusal.message, 'UNAUTHENTICATED', {
      'WWW-Authenticate': caller.refusal.challenge,
    });

  const prefix = deps.config.oc4idsPrefix;
  const repository = new Oc4idsRepository(deps.database.db);
  const uri = requestUri(req, url, { ...deps.config.operations, production: deps.config.nodeEnv === 'production' });

  if (single) {
    if ([...url.searchParams.keys()].length > 0)
      return sendError(res, 400, "A single project's package takes no query parameters.", 'BAD_USER_INPUT');
    let code: string;
    try {
      code = decodeURIComponent(single[1]).normalize('NFC');
    } catch {
      return sendError(res, 400, 'The project code in the path is not valid percent-encoding.', 'BAD_USER_INPUT');
    }
    const [row] = await repository.projectsByCodes([code]);
    if (!row) return sendError(res, 404, `No project has the code "${code}".`, 'NOT_FOUND');
    const [project] = await oc4idsProjects(repository, [row], prefix);
    const body = JSON.stringify({ ...packageEnvelope(uri, instantOf(row.updatedAt)), projects: [project] });
    res.statusCode = 200;
    res.setHeader('Content-Type', JSON_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }

  let condition: SQL | undefined;
  let filter: ProjectFilter | null;
  try {
    ({ filter, condition } = exportFilter(url.searchParams, deps.config.operations.limits));
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT')
      return sendError(res, 400, error.message, 'BAD_USER_INPUT');
    throw error;
  }
  const codes = filterCodes(filter);
  const unknown = CODE_FIELDS.some((field) => codes[field].length > 0)
    ? await new ProjectListRepository(deps.database.db).unknownCodes(codes)
    : [];
  const unknownText = unknown.map(({ field, code }) => `${field} "${code}"`).join(', ');
  if (unknown.length > 0) res.setHeader('Registry-Warning', `UNKNOWN_CODE ${encodeURIComponent(unknownText)}`);
  const summary = await repository.exportSummary(condition);
  if (summary.count === 0 || summary.lastUpdated === null) {
    const because = unknown.length > 0 ? ` No record has these codes: ${unknownText}.` : '';
    return sendError(
      res,
      404,
      `No project matches; an OC4IDS package holds at least one project.${because}`,
      'NOT_FOUND',
    );
  }
  const headers = { 'Content-Type': JSON_TYPE, 'X-Total-Count': String(summary.count) };
  if (req.method === 'HEAD') {
    res.statusCode = 200;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.end();
    return;
  }
  // `publishedDate` of a package made on demand is the last change of its contents.
  await streamPackage(res, repository, {
    condition,
    uri,
    publishedDate: instantOf(summary.lastUpdated),
    prefix,
    headers,
  });
}
