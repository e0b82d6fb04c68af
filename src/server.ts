import { randomUUID } from 'node:crypto';
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
export async function createServer(config: Pick<Config, 'nodeEnv'>, database: Database, logger: Logger = console): Promise<RegistryServer> {
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    plugins: config.nodeEnv === 'production' ? [ApolloServerPluginLandingPageDisabled()] : [],
    formatError: (formatted, error) => maskError(formatted, error, logger),
  });
  await apollo.start();

  const httpServer = http.createServer((req, res) => {
    handle(req, res, apollo, database).catch((error) => {
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

async function handle(req: IncomingMessage, res: ServerResponse, apollo: ApolloServer<Context>, database: Database) {
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

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }

  const tally: StatementTally = { statements: 0 };
  const response = await countStatements(tally, () =>
    apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
      context: async () => createContext(database, requestId, tally),
    }),
  );

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

