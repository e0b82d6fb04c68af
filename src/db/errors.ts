/** What went wrong with the database, as the API tells it. */
export type DatabaseFailure = 'unavailable' | 'timeout' | 'abandoned' | null;

const UNAVAILABLE_CODES = new Set([
  // Node and postgres.js
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, too many connections
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** Classifies an error thrown by either driver (possibly wrapped by Drizzle) as unavailability or a timeout. */
export function databaseFailure(error: unknown): DatabaseFailure {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    // The request was abandoned (its client left, or it timed out) and its statements cancelled.
    if (
      code === 'REQUEST_ABANDONED' ||
      (code === '57014' && typeof message === 'string' && /user request/.test(message))
    )
      return 'abandoned';
    if (code === '57014') return 'timeout'; // query_canceled: statement_timeout
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return 'unavailable';
    if (
      typeof message === 'string' &&
      /PGlite is closed|Connection terminated|connection (is )?closed|write after end/i.test(message)
    )
      return 'unavailable';
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
