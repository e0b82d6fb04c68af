import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { DEFAULT_LIMITS, type Config } from '../config';
import type { Database } from '../db/client';
import { databaseFailure } from '../db/errors';
import { compiledExecution } from '../execution/compiled';
import { maskError, observationPlugin } from '../execution/errors';
import { limitPlugin, withoutSuggestions } from '../execution/limits';
import { memoryQueryCache, redisQueryCache } from '../execution/persisted-queries';
import type { Context } from '../graphql/context';
import { buildSchema } from '../graphql/schema';
import { ErrorCode } from '../lib/errors';
import { checkProjectFilter } from '../modules/project/list/filter';
import { createLogger, type Logger } from '../observability/logger';
import { createMetrics, type Metrics } from '../observability/metrics';
import { createVerifier } from './auth';
import { handleGraphQL, type GraphQLRoute } from './graphql';
import { HEALTH_ROUTES, serveHealth } from './health';
import { metricsOnApiPort, metricsServer, serveMetrics } from './metrics';
import { isOc4idsRoute, serveOc4ids } from './oc4ids';
import { cors, graphqlError, headerValue, sendJson } from './responses';

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

type ServerConfig = Pick<Config, 'nodeEnv' | 'auth' | 'operations' | 'oc4idsPrefix'>;

/** Apollo Server over the schema: compiled execution, the limits, persisted queries, error masking, observation. */
async function createApollo(config: ServerConfig, logger: Logger) {
  const production = config.nodeEnv === 'production';
  const { limits, caches } = config.operations;
  let cache: KeyValueCache<string>;
  let closeCache = async () => {};
  if (config.operations.redisUrl) {
    const redis = await redisQueryCache(config.operations.redisUrl);
    cache = redis.cache;
    closeCache = redis.close;
  } else {
    cache = memoryQueryCache(caches.persistedQueryBytes);
  }
  const apollo = new ApolloServer<Context>({
    gateway: compiledExecution(buildSchema(), caches.compiledPlanBytes),
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: caches.documentBytes }),
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
      limitPlugin(
        limits,
        { ProjectFilter: (filter) => checkProjectFilter(filter as never, limits) },
        { hideSuggestions: production },
      ),
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
  return { apollo, closeCache };
}

/** Builds the API (Apollo and the HTTP routes) over an open, migrated database. Does not listen. */
export async function createServer(
  config: ServerConfig,
  database: Database,
  logger: Logger = createLogger(config.operations.logLevel),
): Promise<RegistryServer> {
  const verifier = await createVerifier(config, { warn: (message: string) => logger.warn(message) });
  const metrics = createMetrics();
  const { apollo, closeCache } = await createApollo(config, logger);
  const route: GraphQLRoute = {
    apollo,
    knownOperations: new Set(config.operations.metricsOperations),
    database,
    verifier,
    config,
    metrics,
    logger,
  };

  let inFlight = 0;
  let drained: (() => void) | null = null;
  const httpServer = http.createServer((req, res) => {
    // A request is in flight until its handler has finished, even if the client has gone: shutdown waits for it
    // before closing the database under it.
    inFlight += 1;
    metrics.inFlight.inc();
    handle(req, res, route)
      .catch((error) => answerFailure(res, error, logger))
      .finally(() => {
        inFlight -= 1;
        metrics.inFlight.dec();
        if (inFlight === 0) drained?.();
      });
  });
  httpServer.keepAliveTimeout = 65_000;
  httpServer.requestTimeout = config.operations.requestTimeoutMs + 5_000;
  const scrapes = metricsServer(config, metrics);

  return {
    httpServer,
    apollo,
    metrics,
    async listen(port, host) {
      const taken = await listenOn(httpServer, port, host);
      if (scrapes) await listenOn(scrapes, config.operations.metricsPort!, host);
      return taken;
    },
    async close() {
      if (scrapes) await new Promise<void>((resolve) => scrapes.close(() => resolve()));
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

/** A request whose handler failed: the database away is a 503 to retry; anything else a logged 500. */
function answerFailure(res: ServerResponse, error: unknown, logger: Logger): void {
  const reqId = res.getHeader('X-Request-Id');
  const unavailable = databaseFailure(error) === 'unavailable';
  if (unavailable) logger.warn({ err: error, reqId }, 'database unavailable while answering a request');
  else logger.error({ err: error, reqId }, 'unhandled request error');
  if (res.headersSent) {
    res.end();
    return;
  }
  if (unavailable) {
    sendJson(
      res,
      503,
      graphqlError('The database is not reachable right now. Retry in a few seconds.', ErrorCode.SERVICE_UNAVAILABLE),
      { 'Retry-After': '2' },
    );
  } else {
    sendJson(res, 500, graphqlError('Internal server error', ErrorCode.INTERNAL_SERVER_ERROR));
  }
}

/** The routes: headers every answer carries, then /graphql, the OC4IDS packages, health and metrics. */
async function handle(req: IncomingMessage, res: ServerResponse, route: GraphQLRoute) {
  const { database, config } = route;
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // PostgreSQL text cannot hold NUL: no route takes it, in its path or its query.
  if (/%00/i.test(req.url ?? '') || (req.url ?? '').includes('\u0000')) {
    return sendJson(
      res,
      400,
      graphqlError('Text in a request may not contain the NUL character (U+0000).', ErrorCode.BAD_USER_INPUT),
    );
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  // A caller's request id is kept when it is a plain token (letters, digits and . _ : @ / + = -), at most 128 long.
  const requestId =
    headerValue(req, 'x-request-id')
      ?.replace(/[^A-Za-z0-9._:@/+=-]/g, '')
      .slice(0, 128) || randomUUID();
  res.setHeader('X-Request-Id', requestId);
  if (cors(req, res, config.operations.corsOrigins)) return;

  if (url.pathname === '/graphql') return handleGraphQL(req, res, url, requestId, route);
  if (isOc4idsRoute(url)) return serveOc4ids(req, res, url, { database, verifier: route.verifier, config });
  if (HEALTH_ROUTES.has(url.pathname)) return serveHealth(url.pathname, res, database);
  if (url.pathname === '/metrics' && metricsOnApiPort(config)) return serveMetrics(req, res, config, route.metrics);
  return sendJson(res, 404, graphqlError(`No route ${url.pathname}. The API is at /graphql.`, ErrorCode.NOT_FOUND));
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
