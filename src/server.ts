import { createHash, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Config } from './config';
import { createContext, type Context } from './context';
import type { Database } from './db/client';
import { countStatements, type StatementTally } from './db/statement-counter';
import { createVerifier, type TokenVerifier, type Viewer } from './modules/auth/auth';
import { IdempotencyRepository } from './modules/idempotency/idempotency.repository';
import { buildSchema } from './schema';
import { ErrorCode } from './shared/errors';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RegistryServer {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** Listens on `port` (0 for any free port) and resolves to the port taken. */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export type Logger = Pick<Console, 'info' | 'error' | 'warn'>;

/** Builds the API (Apollo and the HTTP routes) over an open, migrated database. Does not listen. */
export async function createServer(config: Pick<Config, 'nodeEnv' | 'auth'>, database: Database, logger: Logger = console): Promise<RegistryServer> {
  const verifier = await createVerifier(config, logger);
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    plugins: config.nodeEnv === 'production' ? [ApolloServerPluginLandingPageDisabled()] : [],
    formatError: (formatted, error) => maskError(formatted, error, logger),
  });
  await apollo.start();

  const httpServer = http.createServer((req, res) => {
    handle(req, res, { apollo, database, verifier, config }).catch((error) => {
      logger.error('Unhandled request error', error);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
      else res.end();
    });
  });
  httpServer.keepAliveTimeout = 65_000;

  return {
    httpServer,
    apollo,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}

/**
 * Errors the caller can act on keep their message and code. Anything else (a database error, a bug) is logged
 * in full and answered with a generic message, so no SQL, table name or stack trace leaves the server.
 */
function maskError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  const known = original instanceof GraphQLError && typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR;
  if (known) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error('Unexpected error while answering a request', original);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

interface Handler {
  apollo: ApolloServer<Context>;
  database: Database;
  verifier: TokenVerifier;
  config: Pick<Config, 'auth'>;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

async function handle(req: IncomingMessage, res: ServerResponse, { apollo, database, verifier, config }: Handler) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const requestId = headerValue(req, 'x-request-id')?.slice(0, 128) || randomUUID();
  res.setHeader('X-Request-Id', requestId);

  if (url.pathname === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'Method not allowed' }, { Allow: 'GET, HEAD' });
    const up = await database.ping();
    return sendJson(res, up ? 200 : 503, { status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down' });
  }

  if (url.pathname !== '/graphql') {
    return sendJson(res, 404, { errors: [{ message: `No route ${url.pathname}. The API is at /graphql.`, extensions: { code: 'NOT_FOUND' } }] });
  }

  let body: unknown = undefined;
  if (req.method === 'POST') {
    const read = await readBody(req);
    if (read.tooLarge) {
      return sendJson(res, 413, graphqlError(`Request body is larger than ${MAX_BODY_BYTES} bytes.`, ErrorCode.PAYLOAD_TOO_LARGE, { limit: MAX_BODY_BYTES }));
    }
    const type = (headerValue(req, 'content-type') ?? '').toLowerCase();
    if (type.startsWith('application/json') || type.startsWith('application/graphql-response+json')) {
      try {
        body = read.text.length > 0 ? JSON.parse(read.text) : undefined;
      } catch {
        return sendJson(res, 400, graphqlError('Request body is not valid JSON.', ErrorCode.BAD_REQUEST));
      }
    } else {
      body = read.text;
    }
  }

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
  const execute = async () => {
    const tally: StatementTally = { statements: 0 };
    const response = await countStatements(tally, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
        context: async () => createContext(database, requestId, tally, viewer),
      }),
    );
    return { response, tally };
  };

  // A repeat of a request with the same Idempotency-Key by the same caller answers the first result.
  const idempotencyKey = headerValue(req, 'idempotency-key');
  if (idempotencyKey !== undefined && req.method === 'POST' && viewer.kind === 'user') {
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      return sendJson(res, 400, graphqlError('Idempotency-Key must be 1 to 255 visible ASCII characters.', ErrorCode.BAD_REQUEST));
    }
    const keys = new IdempotencyRepository(database.db);
    const requestHash = createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
    const reservation = await keys.reserve(viewer.subject, idempotencyKey, requestHash);
    if (reservation.kind === 'mismatch') {
      return sendJson(res, 422, graphqlError('This Idempotency-Key was used with a different request. Use a new key for a new request.', 'IDEMPOTENCY_KEY_REUSED'));
    }
    if (reservation.kind === 'in-progress') {
      return sendJson(res, 409, graphqlError('A request with this Idempotency-Key is still running. Retry shortly.', 'IDEMPOTENCY_KEY_IN_USE'), { 'Retry-After': '1' });
    }
    if (reservation.kind === 'replay') {
      return sendJson(res, reservation.httpStatus, reservation.response, { 'Idempotent-Replayed': 'true', 'X-SQL-Statements': '0' });
    }
    let result: Awaited<ReturnType<typeof execute>>;
    try {
      result = await execute();
    } catch (error) {
      await keys.release(viewer.subject, idempotencyKey).catch(() => {});
      throw error;
    }
    const { response, tally } = result;
    if (response.body.kind === 'complete') {
      const status = response.status ?? 200;
      await keys.complete(viewer.subject, idempotencyKey, JSON.parse(response.body.string), status);
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.statusCode = status;
      res.setHeader('X-SQL-Statements', String(tally.statements));
      res.end(response.body.string);
      return;
    }
    await keys.release(viewer.subject, idempotencyKey);
    return send(res, response, tally);
  }

  const { response, tally } = await execute();
  return send(res, response, tally);
}

async function send(res: ServerResponse, response: Awaited<ReturnType<ApolloServer<Context>['executeHTTPGraphQLRequest']>>, tally: StatementTally) {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('X-SQL-Statements', String(tally.statements));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return { text: '', tooLarge: true };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      return { text: '', tooLarge: true };
    }
    chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false };
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

