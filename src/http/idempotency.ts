import { createHash } from 'node:crypto';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { sql } from 'drizzle-orm';
import type { IdempotencyConfig } from '../config';
import { queryRows, type Db } from '../db/client';

/**
 * `Idempotency-Key` on a mutation: a repeat of the request with the same key, by the same caller, within the window
 * answers the first answer byte for byte instead of writing again.
 *
 * The whole request runs in one transaction that also records the key and, at the end, the answer: the write and
 * its record commit together or not at all. A second request with the same key waits on the first one's
 * uncommitted key (PostgreSQL's unique index does the waiting, up to `LOCK_WAIT`) and then replays its answer, or,
 * if the first rolled back (its database connection was cut, say), runs itself. Nothing is ever reserved outside a
 * transaction, so no crashed request can block a key.
 *
 * What is stored: answers that executed (HTTP 200, user errors included). Not stored, so a retry runs again: answers
 * the caller could not be given (the database away, a timeout, a server fault) and authorization failures (a caller
 * who gains the role may retry). Keys on queries are ignored: they are for writes. Each caller may hold at most
 * `maxKeysPerCaller` keys within the window. An answer larger than `maxResponseBytes` commits with its write but is not
 * kept: a repeat is told so (409) rather than writing again.
 */
export interface IdempotentRequest {
  key: string;
  /** SHA-256 of the request in canonical form (keys sorted), so that key order in the JSON does not matter. */
  hash: string;
}

export interface Answer {
  status: number;
  body: string;
  headers: [string, string][];
  /** The error codes of the answer. */
  codes: string[];
}

export type IdempotentOutcome =
  | { kind: 'answered'; answer: Answer; stored: boolean }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'tooLarge' }
  | { kind: 'mismatch' }
  | { kind: 'busy' }
  | { kind: 'quota' };

const KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a request waits for another request with its key to finish. */
const LOCK_WAIT = '5s';

/** Codes whose answers are not kept: the caller did not get what it asked for, and may retry. */
const NOT_STORED = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'QUERY_TIMEOUT',
  'REQUEST_TIMEOUT',
  'REQUEST_ABANDONED',
]);

export function validKey(key: string): boolean {
  return KEY.test(key);
}

/** JSON with every object's keys in order: the canonical form of a request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The idempotent request a body stands for: a single operation whose document, read here, is a mutation. Null
 * for a query (the key is ignored) and for a body that is not one operation (Apollo says what is wrong with it).
 */
export function idempotentRequest(key: string, body: unknown, maxTokens: number): IdempotentRequest | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, operationName, variables } = body as { query?: unknown; operationName?: unknown; variables?: unknown };
  if (typeof query !== 'string') return null;
  let operation: OperationDefinitionNode | undefined;
  try {
    const operations = parse(query, { noLocation: true, maxTokens }).definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    operation =
      typeof operationName === 'string'
        ? operations.find((o) => o.name?.value === operationName)
        : operations.length === 1
          ? operations[0]
          : undefined;
  } catch {
    return null;
  }
  if (operation?.operation !== 'mutation') return null;
  const hash = createHash('sha256')
    .update(canonicalJson({ query, operationName: operationName ?? null, variables: variables ?? null }))
    .digest('hex');
  return { key, hash };
}

class Unstored extends Error {
  constructor(readonly answer: Answer) {
    super('answer not stored');
  }
}

function isLockTimeout(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === '55P03') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

interface StoredRow {
  request_hash: string;
  response: string | null;
  http_status: number | null;
}

/**
 * Runs `execute` (the request, on the transaction's database) under the key, or answers from what the key holds.
 * Errors of the database itself are thrown to the caller (which answers 503).
 */
export async function runIdempotent(
  db: Db,
  subject: string,
  request: IdempotentRequest,
  config: IdempotencyConfig,
  execute: (tx: Db) => Promise<Answer>,
): Promise<IdempotentOutcome> {
  const stored = (tx: Db) =>
    queryRows<StoredRow>(
      tx,
      sql`select request_hash, response #>> '{}' as response, http_status from idempotency_keys
          where subject = ${subject} and key = ${request.key}`,
    );
  const fromRow = (row: StoredRow): IdempotentOutcome =>
    row.request_hash !== request.hash
      ? { kind: 'mismatch' }
      : row.response === null
        ? { kind: 'tooLarge' }
        : { kind: 'replay', status: row.http_status ?? 200, body: row.response };
  try {
    return await db.transaction(async (tx) => {
      const window = sql`now() - make_interval(hours => ${config.windowHours})`;
      await queryRows(tx, sql`delete from idempotency_keys where subject = ${subject} and created_at < ${window}`);
      const [existing] = await stored(tx);
      if (existing) return fromRow(existing);
      const [{ n }] = await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from idempotency_keys where subject = ${subject}`,
      );
      if (Number(n) >= config.maxKeysPerCaller) return { kind: 'quota' } as const;
      // A concurrent request with this key holds its uncommitted row: the insert waits for it to end.
      await queryRows(tx, sql.raw(`set local lock_timeout = '${LOCK_WAIT}'`));
      const inserted = await queryRows(
        tx,
        sql`insert into idempotency_keys (subject, key, request_hash) values (${subject}, ${request.key}, ${request.hash})
            on conflict do nothing returning key`,
      );
      await queryRows(tx, sql.raw('set local lock_timeout = 0'));
      if (inserted.length === 0) {
        const [row] = await stored(tx);
        return row ? fromRow(row) : ({ kind: 'busy' } as const);
      }
      const answer = await execute(tx);
      if (answer.status !== 200 || answer.codes.some((code) => NOT_STORED.has(code))) throw new Unstored(answer);
      // An answer too large to keep is still committed with its write; a repeat is then told so (`tooLarge`).
      const keep = Buffer.byteLength(answer.body) <= config.maxResponseBytes;
      await queryRows(
        tx,
        sql`update idempotency_keys set response = ${keep ? sql`to_jsonb(cast(${answer.body} as text))` : sql`null`}, http_status = ${answer.status}
            where subject = ${subject} and key = ${request.key}`,
      );
      return { kind: 'answered', answer, stored: keep } as const;
    });
  } catch (error) {
    if (error instanceof Unstored) return { kind: 'answered', answer: error.answer, stored: false };
    if (isLockTimeout(error)) return { kind: 'busy' };
    throw error;
  }
}
