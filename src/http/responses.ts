import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers a browser on another origin may read, and send. */
const EXPOSED_HEADERS = 'X-Request-Id, X-SQL-Statements, Idempotent-Replayed, Registry-Warning';
const ALLOWED_HEADERS =
  'Content-Type, Authorization, Apollo-Require-Preflight, X-Apollo-Operation-Name, Idempotency-Key, X-Request-Id';

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A GraphQL-shaped error body: every route answers errors this way. */
export function graphqlError(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

export function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(payload));
}

/** Sets the CORS headers of an answer; true when the request was a preflight, which this answers. */
export function cors(req: IncomingMessage, res: ServerResponse, origins: '*' | string[]): boolean {
  const origin = headerValue(req, 'origin');
  let allowed = true;
  if (origins === '*') res.setHeader('Access-Control-Allow-Origin', '*');
  else if (origin && origins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  } else allowed = false;
  if (allowed) res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  if (req.method !== 'OPTIONS') return false;
  res.statusCode = 204;
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
  res.setHeader('Access-Control-Max-Age', '600');
  res.end();
  return true;
}
