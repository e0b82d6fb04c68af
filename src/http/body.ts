import type { IncomingMessage } from 'node:http';
import type { Limits } from '../config';
import { ErrorCode } from '../lib/errors';
import { documentNesting, jsonNesting } from '../lib/nesting';
import { headerValue } from './responses';

export interface Refusal {
  status: number;
  message: string;
  code: string;
  extra?: Record<string, unknown>;
}

const NUL_REFUSAL: Refusal = {
  status: 400,
  message: 'Text in a request may not contain the NUL character (U+0000).',
  code: ErrorCode.BAD_USER_INPUT,
};

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
export async function readGraphQLRequest(
  req: IncomingMessage,
  url: URL,
  limits: Limits,
): Promise<{ body: unknown } | { refusal: Refusal }> {
  const tooDeep = (what: string): Refusal => ({
    status: 400,
    message: `The request's ${what} nests deeper than ${limits.maxJsonDepth} levels.`,
    code: ErrorCode.BAD_REQUEST,
    extra: { limit: limits.maxJsonDepth, setting: 'MAX_JSON_DEPTH' },
  });
  const checkDocument = (query: unknown): Refusal | null =>
    typeof query === 'string' && documentNesting(query, limits.maxJsonDepth) > limits.maxJsonDepth
      ? tooDeep('document')
      : null;

  if (req.method !== 'POST') {
    for (const value of url.searchParams.values()) if (value.includes('\u0000')) return { refusal: NUL_REFUSAL };
    for (const json of [url.searchParams.get('variables'), url.searchParams.get('extensions')]) {
      if (json !== null && jsonNesting(json, limits.maxJsonDepth) > limits.maxJsonDepth)
        return { refusal: tooDeep('JSON') };
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
  if (!type.startsWith('application/json') && !type.startsWith('application/graphql-response+json'))
    return { body: read.text };
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

async function readBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<{ text: string; raw: Buffer; tooLarge: boolean }> {
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
