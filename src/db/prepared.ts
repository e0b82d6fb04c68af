import * as drizzle from 'drizzle-orm';
import { Column, is, SQL, type Query } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { rowsOf, type Db } from './client';

/**
 * Reads the API sends on every request, built once per process instead of once per call.
 *
 * A Drizzle select builder costs more to turn into SQL than a small read costs PostgreSQL to answer, and its row
 * mapper checks every column's class on every row. A `preparedRead` builds its statement once, with
 * `sql.placeholder`s for the values (ID lists as `= any(...)` so the text is the same for every batch size), maps rows
 * with decoders looked up once, and runs as a named prepared statement: PostgreSQL parses and plans it once per
 * connection (postgres.js keeps the statement per connection; PGlite has one session). Statements still go through
 * the session of the `db` they run on, so they count into its request's tally and join its transaction.
 */
export interface PreparedRead<Row, Values extends Record<string, unknown>> {
  (db: Db, values: Values): Promise<Row[]>;
}

interface SelectBuilder {
  toSQL(): Query;
}

interface Shape {
  query: Query;
  fields: unknown[];
  map: (rows: unknown[][]) => unknown[];
}

interface OrderedField {
  path: string[];
  field: unknown;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/** Drizzle's own ordering of a selection (the order it reads columns back in), found at run time. */
const orderSelectedFields = (
  drizzle as unknown as { orderSelectedFields?: (fields: Record<string, unknown>) => OrderedField[] }
).orderSelectedFields;
if (typeof orderSelectedFields !== 'function')
  throw new Error('drizzle-orm no longer exports orderSelectedFields: update src/db/prepared.ts');

let counter = 0;
const dialect = new PgDialect();

/** `Column.mapFromDriverValue` and the decoder of plain `sql` return the value unchanged. */
const identity = (Column.prototype as unknown as Decoder).mapFromDriverValue;
const noopDecode = (drizzle.sql`` as unknown as { decoder: Decoder }).decoder.mapFromDriverValue;

/**
 * A read built by `build` (a select whose variable parts are `sql.placeholder(name)`), run with `values` for the
 * placeholders. Only flat selections (a table, or columns and SQL expressions by name) are supported.
 */
export function preparedRead<
  Builder extends SelectBuilder & { _: { result: unknown[] } },
  Values extends Record<string, unknown> = Record<string, unknown>,
>(build: (db: Db) => Builder): PreparedRead<Builder['_']['result'][number], Values> {
  const name = `ipr_${(counter += 1).toString(36)}`;
  let shape: Shape | null = null;
  return (db, values) => {
    shape ??= compile(build(db));
    return run(db, shape.query, name, shape, values) as Promise<Builder['_']['result'][number][]>;
  };
}

/**
 * Runs a select built for this one call (its text varies, so it is not kept as a prepared statement), with the row
 * mapper of `preparedRead`: for long results the mapping is most of the cost.
 */
export function runSelect<Builder extends SelectBuilder & { _: { result: unknown[] } }>(
  db: Db,
  builder: Builder,
): Promise<Builder['_']['result'][number][]> {
  return runSelectWithin(db, builder, (inner) => inner, []);
}

/**
 * Runs `builder` inside a statement of its own: `wrap` receives the builder's SQL and must select its columns, in
 * order, then `extraKeys` (plain values) — a lateral join per parent, say.
 */
export function runSelectWithin<Builder extends SelectBuilder & { _: { result: unknown[] } }, Extra extends string>(
  db: Db,
  builder: Builder,
  wrap: (inner: SQL) => SQL,
  extraKeys: Extra[],
): Promise<(Builder['_']['result'][number] & Record<Extra, unknown>)[]> {
  const shape = compile(builder, extraKeys);
  const query = dialect.sqlToQuery(wrap(drizzle.sql`${builder as unknown as SQL}`));
  return run(db, query, undefined, shape, {}) as Promise<(Builder['_']['result'][number] & Record<Extra, unknown>)[]>;
}

interface PreparingSession {
  prepareQuery(
    query: Query,
    fields: unknown[] | undefined,
    name: string | undefined,
    isResponseInArrayMode: boolean,
    map?: (rows: unknown[][]) => unknown[],
  ): { execute(values: Record<string, unknown>): Promise<unknown> };
}

/**
 * Sends `query` through the session of `db` (its request's tally, its transaction): named, it is a prepared
 * statement; with a shape, rows come back as arrays and are mapped by it, else as objects.
 */
function run(
  db: Db,
  query: Query,
  name: string | undefined,
  shape: Shape | null,
  values: Record<string, unknown>,
): Promise<unknown> {
  const session = (db as unknown as { session: PreparingSession }).session;
  return shape
    ? session.prepareQuery(query, shape.fields, name, true, shape.map).execute(values)
    : session.prepareQuery(query, undefined, name, false).execute(values);
}

function compile(builder: SelectBuilder, extraKeys: string[] = []): Shape {
  const fields = orderSelectedFields!(
    (builder as unknown as { getSelectedFields(): Record<string, unknown> }).getSelectedFields(),
  );
  const keys = fields.map(({ path }) => {
    if (path.length !== 1) throw new Error(`preparedRead supports flat selections only, got ${path.join('.')}`);
    return path[0];
  });
  keys.push(...extraKeys);
  // Each column's decoder, looked up once: none where it returns the driver's value as it is (text, integers,
  // enums), and bound to the column where it does something (a subquery's columns are proxies, slow to call through).
  const decoders = fields.map(({ field }): ((value: unknown) => unknown) | null => {
    const decoder: Decoder = is(field, Column)
      ? (field as unknown as Decoder)
      : is(field, SQL)
        ? (field as unknown as { decoder: Decoder }).decoder
        : (field as { sql: { decoder: Decoder } }).sql.decoder;
    const decode = decoder.mapFromDriverValue;
    if (decode === identity || decode === noopDecode) return null;
    return decode.bind(decoder);
  });
  for (let i = 0; i < extraKeys.length; i++) decoders.push(null);
  const width = keys.length;
  const map = (rows: unknown[][]) => {
    const out = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const object: Record<string, unknown> = {};
      for (let i = 0; i < width; i++) {
        const value = row[i];
        const decode = decoders[i];
        object[keys[i]] = value === null || decode === null ? value : decode(value);
      }
      out[r] = object;
    }
    return out;
  };
  return { query: builder.toSQL(), fields, map };
}

/**
 * A hand-written statement (`sql` with `sql.placeholder`s) prepared the same way; rows come back as objects named by
 * the statement's column aliases, with PostgreSQL's own text for numeric and dates.
 */
export function preparedSql<Row>(statement: SQL): PreparedRead<Row, Record<string, unknown>> {
  const name = `ipr_${(counter += 1).toString(36)}`;
  const query = dialect.sqlToQuery(statement);
  return async (db, values) => rowsOf<Row>(await run(db, query, name, null, values));
}

/** `column = any($name::int[])`: one statement text for any number of IDs (an empty list matches nothing). */
export function anyInt(column: Column, name: string): SQL {
  return drizzle.sql`${column} = any(${drizzle.sql.placeholder(name)}::int[])`;
}

/** `column = any($name::text[])`. */
export function anyText(column: Column, name: string): SQL {
  return drizzle.sql`${column} = any(${drizzle.sql.placeholder(name)}::text[])`;
}
