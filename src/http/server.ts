import { randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { sql } from 'drizzle-orm';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { memoryQueryCache, redisQueryCache } from '../execution/persisted-queries';
import { compiledExecution } from '../execution/compiled';
import { DEFAULT_LIMITS, type Config } from '../config';
import { createContext, type Context } from '../graphql/context';
import { databaseWork, queryRows, type Database, type Db } from '../db/client';
import { databaseFailure } from '../db/errors';
import { cancelPending, type StatementScope } from '../db/postgres-guard';
import { migrationsFolder } from '../db/migrate';
import type { StatementTally } from '../db/statement-counter';
import { describeLimitError, limitPlugin, withoutSuggestions } from '../execution/limits';
import { documentNesting, jsonNesting } from '../lib/nesting';
import { checkProjectFilter } from '../modules/project/project-query';
import { createVerifier, type TokenVerifier, type Viewer } from '../modules/auth/auth';
import { idempotentRequest, runIdempotent, validKey, type Answer, type IdempotentRequest } from './idempotency';
import { isOc4idsRoute, serveOc4ids } from '../modules/oc4ids/http';
import { createLogger, type Logger } from '../observability/logger';
import { createMetrics, type Metrics } from '../observability/metrics';
import { buildSchema } from '../graphql/schema';
import { ErrorCode } from '../lib/errors';

export type { Logger };

/** The default limit of a request body (MAX_BODY_BYTES). */
export const MAX_BODY_BYTES = DEFAULT_LIMITS.maxBodyBytes;

export interface RegistryServer {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  metrics: Metrics;
  /** Listens on `port` (0 for any free port) and resolves to the port taken. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops taking requests, lets those in flight finish (up to the shutdown deadline), then stops. */
  close(): Promise<void>;
}

type ServerConfig = Pick<Config, 'nodeEnv' | 'auth' | 'operations'>;

/** Error codes a caller caused; anything else is the server's (or the database's) fault. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
  'DIRECTIVE_LIMIT_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
]);

const EXPOSED_HEADERS = 'X-Request-Id, X-SQL-Statements, Idempotent-Replayed';
const ALLOWED_HEADERS = 'Content-Type, Authorization, Apollo-Require-Preflight, X-Apollo-Operation-Name, Idempotency-Key, X-Request-Id';

const migrationCount = (JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

/** Builds the API (Apollo and the HTTP routes) over an open, migrated database. Does not listen. */
export async function createServer(config: ServerConfig, database: Database, logger: Logger = createLogger(config.operations.logLevel)): Promise<RegistryServer> {
  const verifier = await createVerifier(config, { warn: (message: string) => logger.warn(message) });
  const metrics = createMetrics();
  const production = config.nodeEnv === 'production';
  const limits = config.operations.limits;
  let cache: KeyValueCache<string>;
  let closeCache = async () => {};
  if (config.operations.redisUrl) {
    const redis = await redisQueryCache(config.operations.redisUrl);
    cache = redis.cache;
    closeCache = redis.close;
  } else {
    cache = memoryQueryCache(config.operations.caches.persistedQueryBytes);
  }

  const apollo = new ApolloServer<Context>({
    gateway: compiledExecution(buildSchema(), config.operations.caches.compiledPlanBytes),
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: config.operations.caches.documentBytes }),
    includeStacktraceInErrorResponses: false,
    introspection: config.operations.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: limits.allowBatchedRequests,
    parseOptions: { maxTokens: limits.maxTokens },
    cache,
    persistedQueries: { cache, ttl: 24 * 3600 },
    plugins: [
      // Cache hints would instrument every field resolver; the registry sets none.
      ApolloServerPluginCacheControlDisabled(),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
      limitPlugin(limits, { ProjectFilter: (filter) => checkProjectFilter(filter as never, limits) }, { hideSuggestions: production }),
      observationPlugin(logger),
    ],
    formatError: (formatted, error) => {
      const masked = maskError(formatted, error);
      return production ? { ...masked, message: withoutSuggestions(masked.message) } : masked;
    },
    // src/main.ts handles SIGTERM/SIGINT and calls close(). Apollo's own handlers would call stop() concurrently, and a
    // second stop() while the first is running waits on a barrier Apollo never resolves, so shutdown would hang.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const knownOperations = new Set(config.operations.metricsOperations);

  let inFlight = 0;
  let drained: (() => void) | null = null;
  const httpServer = http.createServer((req, res) => {
    // A request is in flight until its handler has finished, even if the client has gone: shutdown waits for it
    // before closing the database under it.
    inFlight += 1;
    metrics.inFlight.inc();
    handle(req, res, { apollo, knownOperations, database, verifier, config, metrics, logger })
      .catch((error) => {
        const reqId = res.getHeader('X-Request-Id');
        if (databaseFailure(error) === 'unavailable') {
          logger.warn({ err: error, reqId }, 'database unavailable while answering a request');
          if (!res.headersSent) {
            sendJson(res, 503, graphqlError('The database is not reachable right now. Retry in a few seconds.', ErrorCode.SERVICE_UNAVAILABLE), { 'Retry-After': '2' });
          } else res.end();
          return;
        }
        logger.error({ err: error, reqId }, 'unhandled request error');
        if (!res.headersSent) sendJson(res, 500, graphqlError('Internal server error', ErrorCode.INTERNAL_SERVER_ERROR));
        else res.end();
      })
      .finally(() => {
        inFlight -= 1;
        metrics.inFlight.dec();
        if (inFlight === 0) drained?.();
      });
  });
  // METRICS_PORT: /metrics on a port of its own (and nowhere else), for a network that lets only the scraper reach it.
  const metricsServer =
    config.operations.metricsPort === null
      ? null
      : http.createServer((req, res) => {
          res.setHeader('X-Content-Type-Options', 'nosniff');
          if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') return sendJson(res, 404, graphqlError('Only /metrics is served on this port.', 'NOT_FOUND'));
          serveMetrics(req, res, { config, metrics }).catch(() => res.end());
        });
  httpServer.keepAliveTimeout = 65_000;
  httpServer.requestTimeout = config.operations.requestTimeoutMs + 5_000;

  return {
    httpServer,
    apollo,
    metrics,
    async listen(port, host) {
      const taken = await listenOn(httpServer, port, host);
      if (metricsServer) await listenOn(metricsServer, config.operations.metricsPort!, host);
      return taken;
    },
    async close() {
      if (metricsServer) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, config.operations.shutdownTimeoutMs).unref()),
        ]);
      }
      httpServer.closeAllConnections();
      await closed;
      await apollo.stop();
      await closeCache();
    },
  };
}

/** Records the operation's name and error codes on the context, and logs unexpected errors with the request id. */
function observationPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.observation.operationName = operationName ?? null;
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const code = error.extensions?.code;
            if (original instanceof GraphQLError && typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) continue;
            const failure = databaseFailure(original);
            if (failure === 'abandoned') continue;
            if (failure) logger.warn({ reqId: contextValue.requestId, err: original, path: error.path }, `database ${failure} while answering a request`);
            else logger.error({ reqId: contextValue.requestId, err: original, path: error.path }, 'unexpected error while answering a request');
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind === 'single') {
            contextValue.observation.errorCodes = (response.body.singleResult.errors ?? []).map((e) => String(e.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR));
          }
        },
      };
    },
  };
}

/**
 * Errors the caller can act on keep their message and code (limits get their own code and value). The database
 * being away or too slow is said as such. Anything else (a bug) is answered with a generic message, so no SQL,
 * table name or stack trace leaves the server; the plugin above has logged it in full.
 */
function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const limit = describeLimitError(formatted);
  if (limit) return limit;
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (original instanceof GraphQLError && typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const base = { locations: formatted.locations, path: formatted.path };
  switch (databaseFailure(original)) {
    case 'abandoned':
      return { ...base, message: 'The request was abandoned and its statements cancelled.', extensions: { code: 'REQUEST_ABANDONED' } };
    case 'unavailable':
      return { ...base, message: 'The database is not reachable right now. Retry in a few seconds.', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
    case 'timeout':
      return { ...base, message: 'The query ran longer than the statement timeout and was stopped. Ask for less.', extensions: { code: 'QUERY_TIMEOUT' } };
    default:
      return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}

interface Handler {
  apollo: ApolloServer<Context>;
  /** Operation names `/metrics` labels by name; others count as `other`. */
  knownOperations: ReadonlySet<string>;
  database: Database;
  verifier: TokenVerifier;
  config: ServerConfig;
  metrics: Metrics;
  logger: Logger;
}

async function handle(req: IncomingMessage, res: ServerResponse, handler: Handler) {
  const { database, config } = handler;
  // PostgreSQL text cannot hold NUL: no route takes it, in its path or its query.
  if (/%00/i.test(req.url ?? '') || (req.url ?? '').includes('\u0000')) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return sendJson(res, 400, graphqlError('Text in a request may not contain the NUL character (U+0000).', ErrorCode.BAD_USER_INPUT));
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  // A caller's request id is kept when it is a plain token (letters, digits and . _ : @ / + = -), at most 128 long.
  const requestId = headerValue(req, 'x-request-id')?.replace(/[^A-Za-z0-9._:@/+=-]/g, '').slice(0, 128) || randomUUID();
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  applyCors(req, res, config.operations.corsOrigins);
  if (req.method === 'OPTIONS') {
    res.statusCode = 204;
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.end();
    return;
  }

  if (isOc4idsRoute(url, database, config)) return serveOc4ids(req, res, url, { database, verifier: handler.verifier, config });

  switch (url.pathname) {
    case '/health': {
      const up = await ping(database);
      return sendJson(res, up ? 200 : 503, { status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down' });
    }
    case '/health/live':
      return sendJson(res, 200, { status: 'ok' });
    case '/health/ready': {
      const ready = await readiness(database);
      return sendJson(res, ready.ready ? 200 : 503, { status: ready.ready ? 'ready' : 'not ready', database: ready.database, migrations: ready.migrations });
    }
    case '/metrics':
      if (config.operations.metricsPort !== null || (config.nodeEnv === 'production' && config.operations.metricsToken === null)) {
        return sendJson(res, 404, graphqlError('No route /metrics on this port.', 'NOT_FOUND'));
      }
      return serveMetrics(req, res, handler);
    case '/graphql':
      return handleGraphQL(req, res, url, requestId, handler);
    default:
      return sendJson(res, 404, graphqlError(`No route ${url.pathname}. The API is at /graphql.`, 'NOT_FOUND'));
  }
}

function listenOn(server: http.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Prometheus metrics; with METRICS_TOKEN, only for a caller presenting it. */
async function serveMetrics(req: IncomingMessage, res: ServerResponse, handler: Pick<Handler, 'config' | 'metrics'>) {
  const { config, metrics } = handler;
  const token = config.operations.metricsToken;
  if (token !== null && !sameSecret(headerValue(req, 'authorization') ?? '', `Bearer ${token}`)) {
    return sendJson(res, 401, graphqlError('/metrics needs its bearer token (METRICS_TOKEN).', 'UNAUTHENTICATED'), { 'WWW-Authenticate': 'Bearer' });
  }
  metrics.dbInUse.set(Math.min(databaseWork.inFlight, config.operations.poolSize));
  metrics.dbWaiting.set(Math.max(0, databaseWork.inFlight - config.operations.poolSize));
  res.statusCode = 200;
  res.setHeader('Content-Type', metrics.registry.contentType);
  res.end(await metrics.registry.metrics());
}

/** Compares two strings in time independent of where they differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, handler: Handler) {
  const { apollo, database, verifier, config, metrics, logger } = handler;
  const started = process.hrtime.bigint();
  const limits = config.operations.limits;
  const checked = await readGraphQLRequest(req, url, limits);
  if ('refusal' in checked) {
    const { status, message, code, extra } = checked.refusal;
    return sendJson(res, status, graphqlError(message, code, extra), { 'X-SQL-Statements': '0' });
  }
  const { body } = checked;

  let viewer: Viewer;
  try {
    viewer = await verifier.viewerOf(headerValue(req, 'authorization'));
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : 'The token is not valid.';
    return sendJson(res, 401, graphqlError(message, 'UNAUTHENTICATED'), { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  }
  if (config.auth.requireAuthForReads && viewer.kind === 'anonymous') {
    return sendJson(res, 401, graphqlError('This registry requires a bearer token (Authorization: Bearer <token>).', 'UNAUTHENTICATED'), {
      'WWW-Authenticate': 'Bearer',
    });
  }

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let context: Context | undefined;
  const tally: StatementTally = { statements: 0 };
  // The request's statements, cancelled when it is abandoned: its client went away, or it ran past the timeout.
  const abandon = new AbortController();
  const scope: StatementScope = { signal: abandon.signal, pending: new Set() };
  abandon.signal.addEventListener('abort', () => cancelPending(scope), { once: true });
  res.once('close', () => {
    if (!res.writableFinished) abandon.abort();
  });

  /** Runs the request through Apollo (on `db`, a transaction, when given) and reads its answer. */
  const execute = async (db?: Db): Promise<Answer> => {
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
      context: async () => (context = createContext(database, requestId, tally, viewer, scope, db)),
    });
    let text: string;
    if (response.body.kind === 'complete') text = response.body.string;
    else {
      text = '';
      for await (const chunk of response.body.asyncIterator) text += chunk;
    }
    const codes = context?.observation.errorCodes ?? [];
    let status = response.status ?? 200;
    const answerHeaders: [string, string][] = [...response.headers];
    if (codes.length > 0 && codes.every((code) => code === ErrorCode.SERVICE_UNAVAILABLE)) {
      status = 503;
      answerHeaders.push(['retry-after', '2']);
    }
    return { status, body: text, headers: answerHeaders, codes };
  };

  const observe = (status: number) => {
    const name = context?.observation.operationName ?? null;
    const operation = name === null ? 'anonymous' : handler.knownOperations.has(name) ? name : 'other';
    const codes = context?.observation.errorCodes ?? [];
    const outcome = codes.length === 0 ? 'ok' : codes.every((code) => CLIENT_CODES.has(code)) ? 'client_error' : 'error';
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.requests.inc({ operation, outcome });
    metrics.duration.observe({ operation }, seconds);
    metrics.statements.observe(tally.statements);
    logger.info(
      {
        reqId: requestId,
        operation: name ?? undefined,
        status,
        durationMs: Math.round(seconds * 1000 * 10) / 10,
        statements: tally.statements,
        errorCodes: codes.length ? codes : undefined,
      },
      'graphql request',
    );
  };
  const send = (status: number, text: string, extraHeaders: Iterable<[string, string]> = []) => {
    for (const [name, value] of extraHeaders) res.setHeader(name, value);
    res.statusCode = status;
    res.setHeader('X-SQL-Statements', String(tally.statements));
    res.end(text);
    observe(status);
  };

  // A mutation with an Idempotency-Key runs in one transaction with its key (see src/http/idempotency.ts).
  const key = headerValue(req, 'idempotency-key');
  let idempotent: IdempotentRequest | null = null;
  if (key !== undefined && req.method === 'POST' && viewer.kind === 'user') {
    if (!validKey(key)) return sendJson(res, 400, graphqlError('Idempotency-Key must be 1 to 255 visible ASCII characters.', ErrorCode.BAD_REQUEST));
    idempotent = idempotentRequest(key, body, limits.maxTokens);
  }

  try {
    if (idempotent && viewer.kind === 'user') {
      const subject = viewer.subject;
      const outcome = await withTimeout(
        runIdempotent(database.db, subject, idempotent, config.operations.idempotency, (tx) => execute(tx)),
        config.operations.requestTimeoutMs,
      );
      switch (outcome.kind) {
        case 'answered':
          return send(outcome.answer.status, outcome.answer.body, outcome.answer.headers);
        case 'replay':
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.setHeader('Cache-Control', 'no-store');
          res.setHeader('Idempotent-Replayed', 'true');
          return send(outcome.status, outcome.body);
        case 'mismatch':
          return sendJson(res, 422, graphqlError('This Idempotency-Key was used with a different request. Use a new key for a new request.', 'IDEMPOTENCY_KEY_REUSED'));
        case 'tooLarge':
          return sendJson(
            res,
            409,
            graphqlError('The request with this Idempotency-Key was answered, but its answer was too large to keep. Read the result instead of retrying.', 'IDEMPOTENCY_ANSWER_NOT_KEPT'),
          );
        case 'busy':
          return sendJson(res, 409, graphqlError('A request with this Idempotency-Key is still running. Retry shortly.', 'IDEMPOTENCY_KEY_IN_USE'), { 'Retry-After': '1' });
        case 'quota':
          return sendJson(
            res,
            429,
            graphqlError(`This caller holds ${config.operations.idempotency.maxKeysPerCaller} Idempotency-Keys, the most it may; retry later or without a key.`, 'IDEMPOTENCY_QUOTA_EXCEEDED', {
              limit: config.operations.idempotency.maxKeysPerCaller,
            }),
            { 'Retry-After': '3600' },
          );
      }
    }
    const answer = await withTimeout(execute(), config.operations.requestTimeoutMs);
    return send(answer.status, answer.body, answer.headers);
  } catch (error) {
    if (error instanceof RequestTimeout) {
      abandon.abort();
      observe(503);
      return sendJson(
        res,
        503,
        graphqlError(`The request took longer than ${config.operations.requestTimeoutMs} ms and was abandoned.`, 'REQUEST_TIMEOUT', { limit: config.operations.requestTimeoutMs }),
        { 'Retry-After': '2' },
      );
    }
    if (databaseFailure(error) === 'unavailable') {
      observe(503);
      return sendJson(res, 503, graphqlError('The database is not reachable right now. Retry in a few seconds.', ErrorCode.SERVICE_UNAVAILABLE), { 'Retry-After': '2' });
    }
    throw error;
  }
}

interface Refusal {
  status: number;
  message: string;
  code: string;
  extra?: Record<string, unknown>;
}

const NUL_REFUSAL: Refusal = { status: 400, message: 'Text in a request may not contain the NUL character (U+0000).', code: ErrorCode.BAD_USER_INPUT };

/** True when any string in a parsed JSON value (keys included) holds U+0000; iterative, so depth costs no stack. */
function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return true;
    } else if (current !== null && typeof current === 'object') {
      for (const [key, inner] of Object.entries(current)) {
        if (key.includes('\u0000')) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

/**
 * Reads and checks a GraphQL request before Apollo sees it: the body's size and encoding, the nesting of its JSON
 * and of its document (so nothing recursive meets a thousand levels), and NUL characters anywhere (PostgreSQL text
 * cannot hold them). Each refusal costs no SQL statement.
 */
async function readGraphQLRequest(req: IncomingMessage, url: URL, limits: Config['operations']['limits']): Promise<{ body: unknown } | { refusal: Refusal }> {
  const tooDeep = (what: string): Refusal => ({
    status: 400,
    message: `The request's ${what} nests deeper than ${limits.maxJsonDepth} levels.`,
    code: ErrorCode.BAD_REQUEST,
    extra: { limit: limits.maxJsonDepth, setting: 'MAX_JSON_DEPTH' },
  });
  const checkDocument = (query: unknown): Refusal | null =>
    typeof query === 'string' && documentNesting(query, limits.maxJsonDepth) > limits.maxJsonDepth ? tooDeep('document') : null;

  if (req.method !== 'POST') {
    for (const value of url.searchParams.values()) if (value.includes('\u0000')) return { refusal: NUL_REFUSAL };
    for (const json of [url.searchParams.get('variables'), url.searchParams.get('extensions')]) {
      if (json !== null && jsonNesting(json, limits.maxJsonDepth) > limits.maxJsonDepth) return { refusal: tooDeep('JSON') };
    }
    const document = checkDocument(url.searchParams.get('query'));
    return document ? { refusal: document } : { body: undefined };
  }
  const read = await readBody(req, limits.maxBodyBytes);
  if (read.tooLarge) {
    return {
      refusal: {
        status: 413,
        message: `Request body is larger than the limit of ${limits.maxBodyBytes} bytes.`,
        code: ErrorCode.PAYLOAD_TOO_LARGE,
        extra: { limit: limits.maxBodyBytes },
      },
    };
  }
  if (read.text.includes('\uFFFD') && !Buffer.from(read.text, 'utf8').equals(read.raw)) {
    return { refusal: { status: 400, message: 'Request body is not valid UTF-8.', code: ErrorCode.BAD_REQUEST } };
  }
  if (read.text.includes('\u0000')) return { refusal: NUL_REFUSAL };
  const type = (headerValue(req, 'content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/json') && !type.startsWith('application/graphql-response+json')) return { body: read.text };
  if (jsonNesting(read.text, limits.maxJsonDepth) > limits.maxJsonDepth) return { refusal: tooDeep('JSON') };
  let body: unknown;
  try {
    body = read.text.length > 0 ? JSON.parse(read.text) : undefined;
  } catch {
    return { refusal: { status: 400, message: 'Request body is not valid JSON.', code: ErrorCode.BAD_REQUEST } };
  }
  if (holdsNul(body)) return { refusal: NUL_REFUSAL };
  for (const item of Array.isArray(body) ? body : [body]) {
    const document = checkDocument((item as { query?: unknown } | null)?.query);
    if (document) return { refusal: document };
  }
  return { body };
}

class RequestTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** True when the database answers within two seconds. */
async function ping(database: Database): Promise<boolean> {
  return withTimeout(database.ping(), 2000).catch(() => false);
}

/** Ready: the database answers and every migration this build ships is applied. */
async function readiness(database: Database): Promise<{ ready: boolean; database: 'up' | 'down'; migrations: 'applied' | 'pending' | 'unknown' }> {
  if (!(await ping(database))) return { ready: false, database: 'down', migrations: 'unknown' };
  try {
    const [row] = await withTimeout(
      queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      2000,
    );
    const applied = Number(row.n) >= migrationCount;
    return { ready: applied, database: 'up', migrations: applied ? 'applied' : 'pending' };
  } catch {
    return { ready: false, database: 'up', migrations: 'unknown' };
  }
}

function applyCors(req: IncomingMessage, res: ServerResponse, origins: '*' | string[]) {
  const origin = headerValue(req, 'origin');
  if (origins === '*') res.setHeader('Access-Control-Allow-Origin', '*');
  else if (origin && origins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  } else return;
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<{ text: string; raw: Buffer; tooLarge: boolean }> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    req.resume();
    return { text: '', raw: Buffer.alloc(0), tooLarge: true };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.resume();
      return { text: '', raw: Buffer.alloc(0), tooLarge: true };
    }
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  return { text: raw.toString('utf8'), raw, tooLarge: false };
}

function graphqlError(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(payload));
}
