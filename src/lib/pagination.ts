import { and, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { isRegistryDate, isRegistryInstant } from './dates';
import { badUserInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** One key of a keyset ordering. The last key of an ordering must be unique (the row id). */
export interface OrderKey<Row> {
  expr: SQL;
  direction: 'ASC' | 'DESC';
  /** Nullable keys put nulls last in both directions ("unknown sorts last"). */
  nullable?: boolean;
  /** PostgreSQL type of the key, used to cast the cursor value. */
  type: 'int' | 'text' | 'numeric' | 'date' | 'timestamptz' | 'float8' | 'project_status';
  /** For an enum key: the values a cursor may hold. */
  values?: readonly string[];
  value(row: Row): string | number | null;
}

export interface Ordering<Row> {
  /** Names the type and ordering in the cursor, so a cursor of another ordering is refused. */
  tag: string;
  keys: OrderKey<Row>[];
}

/** A validated page request. */
export interface PageRequest {
  limit: number;
  backward: boolean;
  cursor: (string | number | null)[] | null;
}

export interface Page<Row> {
  rows: Row[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

function checkSize(name: string, value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0)
    throw badUserInput(`"${name}" must be a whole number from 0 to ${MAX_PAGE_SIZE}.`, { argument: name });
  if (value > MAX_PAGE_SIZE) {
    throw badUserInput(
      `"${name}" is ${value}, more than the maximum page size of ${MAX_PAGE_SIZE}. Page with cursors instead.`,
      {
        argument: name,
        maximum: MAX_PAGE_SIZE,
      },
    );
  }
  return value;
}

export function encodeCursor(tag: string, values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify([tag, ...values]), 'utf8').toString('base64url');
}

function decodeCursor(argument: string, cursor: string, ordering: Ordering<unknown>): (string | number | null)[] {
  let parsed: unknown;
  try {
    if (cursor.length > 2000 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badUserInput(`"${argument}" is not a valid cursor. Use a cursor this connection returned.`, { argument });
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') {
    throw badUserInput(`"${argument}" is not a valid cursor. Use a cursor this connection returned.`, { argument });
  }
  if (parsed[0] !== ordering.tag) {
    throw badUserInput(
      `"${argument}" is a cursor of another list or ordering; use a cursor this connection returned with the same arguments.`,
      {
        argument,
      },
    );
  }
  const values = parsed.slice(1);
  const valid =
    values.length === ordering.keys.length &&
    values.every((value, index) => {
      const key = ordering.keys[index];
      if (value === null) return key.nullable === true;
      if (key.type === 'int') return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
      if (key.type === 'float8') return typeof value === 'number' && Number.isFinite(value);
      if (key.values) return typeof value === 'string' && key.values.includes(value);
      if (key.type === 'numeric') return typeof value === 'string' && /^-?\d{1,30}(\.\d{1,12})?$/.test(value);
      if (key.type === 'date') return typeof value === 'string' && isRegistryDate(value);
      if (key.type === 'timestamptz') return typeof value === 'string' && isRegistryInstant(value);
      // Text as PostgreSQL stores it: no NUL character, and no lone surrogate.
      return typeof value === 'string' && value.length <= 1000 && !value.includes('\u0000') && value.isWellFormed();
    });
  if (!valid)
    throw badUserInput(`"${argument}" is not a valid cursor. Use a cursor this connection returned.`, { argument });
  return values as (string | number | null)[];
}

/** Checks `first`/`after`/`last`/`before` and decodes the cursor against the ordering. */
export function pageRequest(args: PageArgs, ordering: Ordering<any>): PageRequest {
  const first = checkSize('first', args.first);
  const last = checkSize('last', args.last);
  if (first !== null && last !== null) throw badUserInput('Pass "first" or "last", not both.', { argument: 'last' });
  if (args.after != null && args.before != null)
    throw badUserInput('Pass "after" or "before", not both.', { argument: 'before' });
  if (first !== null && args.before != null)
    throw badUserInput('"before" goes with "last"; "first" goes with "after".', { argument: 'before' });
  if (last !== null && args.after != null)
    throw badUserInput('"after" goes with "first"; "last" goes with "before".', { argument: 'after' });
  const backward = last !== null || args.before != null;
  const cursorText = backward ? args.before : args.after;
  return {
    limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE,
    backward,
    cursor: cursorText != null ? decodeCursor(backward ? 'before' : 'after', cursorText, ordering) : null,
  };
}

/** The key's direction as read: reversed when paging backward. */
function effective(key: OrderKey<unknown>, backward: boolean) {
  const ascending = (key.direction === 'ASC') !== backward;
  // Nulls are last in the ordering as shown; reading backward meets them first.
  return { ascending, nullsFirst: backward && key.nullable === true };
}

/** ORDER BY terms for reading the ordering (backward reads it reversed). */
export function orderByTerms(ordering: Ordering<any>, backward: boolean): SQL[] {
  return ordering.keys.map((key) => {
    const { ascending, nullsFirst } = effective(key, backward);
    return sql`${key.expr} ${sql.raw(ascending ? 'asc' : 'desc')} ${sql.raw(nullsFirst ? 'nulls first' : 'nulls last')}`;
  });
}

/** The rows strictly after the cursor in reading order, as one SQL condition. */
export function cursorCondition(ordering: Ordering<any>, request: PageRequest): SQL | undefined {
  const cursor = request.cursor;
  if (!cursor) return undefined;
  const branches: SQL[] = [];
  for (let i = 0; i < ordering.keys.length; i++) {
    const parts: SQL[] = [];
    for (let j = 0; j < i; j++) parts.push(equalTo(ordering.keys[j], cursor[j]));
    const after = strictlyAfter(ordering.keys[i], cursor[i], request.backward);
    if (!after) continue;
    parts.push(after);
    branches.push(and(...parts)!);
  }
  return branches.length > 0 ? or(...branches) : sql`false`;
}

function param(key: OrderKey<unknown>, value: string | number): SQL {
  return sql`cast(${value} as ${sql.raw(key.type)})`;
}

function equalTo(key: OrderKey<unknown>, value: string | number | null): SQL {
  return value === null ? isNull(key.expr) : sql`${key.expr} = ${param(key, value)}`;
}

function strictlyAfter(key: OrderKey<unknown>, value: string | number | null, backward: boolean): SQL | undefined {
  const { ascending, nullsFirst } = effective(key, backward);
  if (value === null) {
    // Past a null cursor value come only non-nulls, and only when nulls are read first.
    return nullsFirst ? isNotNull(key.expr) : undefined;
  }
  const comparison = sql`${key.expr} ${sql.raw(ascending ? '>' : '<')} ${param(key, value)}`;
  return key.nullable && !nullsFirst ? or(comparison, isNull(key.expr)) : comparison;
}

/** Rows read with `limit + 1` become a page: the extra row only says that more exist. */
export function toPage<Row>(rows: Row[], request: PageRequest): Page<Row> {
  const more = rows.length > request.limit;
  const kept = more ? rows.slice(0, request.limit) : rows;
  if (request.backward) {
    return { rows: kept.reverse(), hasPreviousPage: more, hasNextPage: request.cursor !== null };
  }
  return { rows: kept, hasNextPage: more, hasPreviousPage: request.cursor !== null };
}

export interface Edge<Row> {
  cursor: string;
  node: Row;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/**
 * What a connection field returns. Its fields are functions so that GraphQL's default resolver computes only what
 * the query selects: a query for `totalCount` alone reads no rows, and one for `nodes` runs no count.
 */
export interface Connection<Row> {
  edges(): Promise<Edge<Row>[]>;
  nodes(): Promise<Row[]>;
  pageInfo(): Promise<PageInfo>;
  totalCount(): Promise<number>;
}

export function connection<Row>(
  ordering: Ordering<Row>,
  loadPage: () => Promise<Page<Row>>,
  loadCount: () => Promise<number>,
): Connection<Row> {
  let pending: Promise<Page<Row>> | undefined;
  const page = () => (pending ??= loadPage());
  const cursorOf = (row: Row) =>
    encodeCursor(
      ordering.tag,
      ordering.keys.map((key) => key.value(row)),
    );
  return {
    async edges() {
      return (await page()).rows.map((row) => ({ cursor: cursorOf(row), node: row }));
    },
    async nodes() {
      return (await page()).rows;
    },
    async pageInfo() {
      const { rows, hasNextPage, hasPreviousPage } = await page();
      return {
        hasNextPage,
        hasPreviousPage,
        startCursor: rows.length > 0 ? cursorOf(rows[0]) : null,
        endCursor: rows.length > 0 ? cursorOf(rows[rows.length - 1]) : null,
      };
    },
    totalCount: loadCount,
  };
}

/** An ordering of a table's `id` column alone. */
export function byId<Row extends { id: number }>(tag: string, idColumn: SQL): Ordering<Row> {
  return { tag, keys: [{ expr: idColumn, direction: 'ASC', type: 'int', value: (row) => row.id }] };
}
