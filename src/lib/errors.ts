import { GraphQLError } from 'graphql';

/**
 * Every code an error of the API carries in `extensions.code`, with the HTTP status it answers when it decides the
 * request's status, whether the caller caused it, and what it means. `schema/base.graphql` documents the same codes
 * as the `ErrorCode` enum (a test keeps the two equal); the HTTP edge, the logs and the metrics read this table.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: {
    status: 400,
    caller: true,
    description: 'An argument is wrong: its type, its size or its value. `extensions.argument` names it.',
  },
  BAD_REQUEST: {
    status: 400,
    caller: true,
    description: 'The request itself is wrong: its body, its JSON, its nesting, its method or its headers.',
  },
  GRAPHQL_PARSE_FAILED: { status: 400, caller: true, description: 'The document is not GraphQL.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, caller: true, description: 'The document does not fit the schema.' },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 200,
    caller: true,
    description: 'The persisted query is not known: send it once with its hash.',
  },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 400, caller: true, description: 'Persisted queries are not accepted here.' },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    caller: true,
    description: 'The operation to run cannot be told (none of that name, or several and no name).',
  },
  UNAUTHENTICATED: {
    status: 401,
    caller: true,
    description: 'A bearer token is needed, or the one sent is not valid.',
  },
  FORBIDDEN: { status: 403, caller: true, description: "The token's role may not do this." },
  NOT_FOUND: { status: 404, caller: true, description: 'Nothing is at this route, or nothing has this code.' },
  METHOD_NOT_ALLOWED: { status: 405, caller: true, description: 'The route does not take this HTTP method.' },
  PAYLOAD_TOO_LARGE: { status: 413, caller: true, description: 'The request body is larger than MAX_BODY_BYTES.' },
  DEPTH_LIMIT_EXCEEDED: {
    status: 400,
    caller: true,
    description: 'The document nests fields deeper than MAX_QUERY_DEPTH.',
  },
  ALIAS_LIMIT_EXCEEDED: { status: 400, caller: true, description: 'The document uses more aliases than MAX_ALIASES.' },
  TOKEN_LIMIT_EXCEEDED: { status: 400, caller: true, description: 'The document has more tokens than MAX_TOKENS.' },
  DIRECTIVE_LIMIT_EXCEEDED: {
    status: 400,
    caller: true,
    description: 'The document uses more directives than MAX_DIRECTIVES.',
  },
  COST_LIMIT_EXCEEDED: {
    status: 400,
    caller: true,
    description: "The document's estimated cost is more than MAX_QUERY_COST.",
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    caller: true,
    description: 'The Idempotency-Key was used with a different request.',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 409,
    caller: true,
    description: 'A request with this Idempotency-Key is still running: retry after Retry-After.',
  },
  IDEMPOTENCY_ANSWER_NOT_KEPT: {
    status: 409,
    caller: true,
    description: 'The request with this Idempotency-Key was answered, but its answer was too large to keep.',
  },
  IDEMPOTENCY_QUOTA_EXCEEDED: {
    status: 429,
    caller: true,
    description: 'The caller holds as many Idempotency-Keys as it may (IDEMPOTENCY_MAX_KEYS).',
  },
  QUERY_TIMEOUT: {
    status: 200,
    caller: true,
    description: 'A statement ran longer than STATEMENT_TIMEOUT_MS and was stopped: ask for less.',
  },
  REQUEST_TIMEOUT: {
    status: 503,
    caller: false,
    description: 'The request ran longer than REQUEST_TIMEOUT_MS; its statements were cancelled.',
  },
  REQUEST_ABANDONED: {
    status: 503,
    caller: false,
    description: 'The request was abandoned (its client left, or it timed out) and its statements cancelled.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    caller: false,
    description: 'The database is not reachable right now: retry after Retry-After.',
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    caller: false,
    description: 'Something went wrong in the server; it is logged with the request id.',
  },
} as const satisfies Record<string, { status: number; caller: boolean; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes by name, for `ErrorCode.NOT_FOUND` rather than a string literal. */
export const ErrorCode = Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, code])) as {
  [C in ErrorCode]: C;
};

/** True when the caller caused an error with this code (a code not in the table is the server's). */
export function isCallerCode(code: string): boolean {
  return (ERROR_CODES as Record<string, { caller: boolean }>)[code]?.caller === true;
}

/** An error the caller caused and can fix: a malformed ID or cursor, a page size out of range. */
export function badUserInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extra } });
}
