import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { databaseFailure } from '../db/errors';
import type { Context } from '../graphql/context';
import { ErrorCode } from '../lib/errors';
import type { Logger } from '../observability/logger';
import { describeLimitError } from './limits';

/** Records the operation's name and error codes on the context, and logs unexpected errors with the request id. */
export function observationPlugin(logger: Logger): ApolloServerPlugin<Context> {
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
            if (
              original instanceof GraphQLError &&
              typeof code === 'string' &&
              code !== ErrorCode.INTERNAL_SERVER_ERROR
            )
              continue;
            const failure = databaseFailure(original);
            if (failure === 'abandoned') continue;
            if (failure)
              logger.warn(
                { reqId: contextValue.requestId, err: original, path: error.path },
                `database ${failure} while answering a request`,
              );
            else
              logger.error(
                { reqId: contextValue.requestId, err: original, path: error.path },
                'unexpected error while answering a request',
              );
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind === 'single') {
            contextValue.observation.errorCodes = (response.body.singleResult.errors ?? []).map((e) =>
              String(e.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR),
            );
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
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
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
      return {
        ...base,
        message: 'The request was abandoned and its statements cancelled.',
        extensions: { code: 'REQUEST_ABANDONED' },
      };
    case 'unavailable':
      return {
        ...base,
        message: 'The database is not reachable right now. Retry in a few seconds.',
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      };
    case 'timeout':
      return {
        ...base,
        message: 'The query ran longer than the statement timeout and was stopped. Ask for less.',
        extensions: { code: 'QUERY_TIMEOUT' },
      };
    default:
      return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}
