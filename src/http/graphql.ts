import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Config } from '../config';
import type { Database, Db } from '../db/client';
import { databaseFailure } from '../db/errors';
import { cancelPending, type StatementScope } from '../db/postgres-guard';
import type { StatementTally } from '../db/statement-counter';
import { createContext, type Context } from '../graphql/context';
import { ErrorCode, isCallerCode } from '../lib/errors';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { authenticate, type TokenVerifier } from './auth';
import { readGraphQLRequest } from './body';
import { idempotentRequest, runIdempotent, validKey, type Answer, type IdempotentRequest } from './idempotency';
import { graphqlError, headerValue, sendJson } from './responses';
import { RequestTimeout, withTimeout } from './timeouts';

/** What the GraphQL route needs from the server. */
export interface GraphQLRoute {
  apollo: ApolloServer<Context>;
  /** Operation names `/metrics` labels by name; others count as `other`. */
  knownOperations: ReadonlySet<string>;
  database: Database;
  verifier: TokenVerifier;
  config: Pick<Config, 'nodeEnv' | 'auth' | 'operations' | 'oc4idsPrefix'>;
  metrics: Metrics;
  logger: Logger;
}

/**
 * `/graphql`: the request checked (body, nesting, NUL, the caller), run through Apollo with its statements counted
 * and cancelled when it is abandoned, a mutation with an Idempotency-Key in one transaction with its key, and the
 * answer observed in the logs and metrics.
 */
export async function handleGraphQL(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requestId: string,
  handler: GraphQLRoute,
) {
  const { apollo, database, verifier, config, metrics, logger } = handler;
  const started = process.hrtime.bigint();
  const limits = config.operations.limits;
  const checked = await readGraphQLRequest(req, url, limits);
  if ('refusal' in checked) {
    const { status, message, code, extra } = checked.refusal;
    return sendJson(res, status, graphqlError(message, code, extra), { 'X-SQL-Statements': '0' });
  }
  const { body } = checked;

  const caller = await authenticate(headerValue(req, 'authorization'), verifier, config.auth);
  if ('refusal' in caller) {
    return sendJson(res, 401, graphqlError(caller.refusal.message, 'UNAUTHENTICATED'), {
      'WWW-Authenticate': caller.refusal.challenge,
    });
  }
  const { viewer } = caller;

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
      context: async () =>
        (context = createContext(database, requestId, tally, viewer, {
          scope,
          transaction: db,
          oc4idsPrefix: config.oc4idsPrefix,
        })),
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
    const outcome = codes.length === 0 ? 'ok' : codes.every(isCallerCode) ? 'client_error' : 'error';
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
    if (!validKey(key))
      return sendJson(
        res,
        400,
        graphqlError('Idempotency-Key must be 1 to 255 visible ASCII characters.', ErrorCode.BAD_REQUEST),
      );
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
          return sendJson(
            res,
            422,
            graphqlError(
              'This Idempotency-Key was used with a different request. Use a new key for a new request.',
              'IDEMPOTENCY_KEY_REUSED',
            ),
          );
        case 'tooLarge':
          return sendJson(
            res,
            409,
            graphqlError(
              'The request with this Idempotency-Key was answered, but its answer was too large to keep. Read the result instead of retrying.',
              'IDEMPOTENCY_ANSWER_NOT_KEPT',
            ),
          );
        case 'busy':
          return sendJson(
            res,
            409,
            graphqlError(
              'A request with this Idempotency-Key is still running. Retry shortly.',
              'IDEMPOTENCY_KEY_IN_USE',
            ),
            { 'Retry-After': '1' },
          );
        case 'quota':
          return sendJson(
            res,
            429,
            graphqlError(
              `This caller holds ${config.operations.idempotency.maxKeysPerCaller} Idempotency-Keys, the most it may; retry later or without a key.`,
              'IDEMPOTENCY_QUOTA_EXCEEDED',
              {
                limit: config.operations.idempotency.maxKeysPerCaller,
              },
            ),
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
        graphqlError(
          `The request took longer than ${config.operations.requestTimeoutMs} ms and was abandoned.`,
          'REQUEST_TIMEOUT',
          { limit: config.operations.requestTimeoutMs },
        ),
        { 'Retry-After': '2' },
      );
    }
    if (databaseFailure(error) === 'unavailable') {
      observe(503);
      return sendJson(
        res,
        503,
        graphqlError('The database is not reachable right now. Retry in a few seconds.', ErrorCode.SERVICE_UNAVAILABLE),
        { 'Retry-After': '2' },
      );
    }
    throw error;
  }
}
