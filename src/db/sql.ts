import { sql, type SQL } from 'drizzle-orm';

/**
 * A list as one array parameter (`$1::int[]`), for `= any(...)` and `unnest(...)`: one parameter however long the
 * list (a JavaScript array spread into an `sql` template would become one parameter per item, and PostgreSQL
 * takes at most 65,535).
 */
export function intArray(values: readonly number[]): SQL {
  return sql`${sql.param([...values])}::int[]`;
}

/** A list of texts as one array parameter (`$1::text[]`). */
export function textArray(values: readonly string[]): SQL {
  return sql`${sql.param([...values])}::text[]`;
}
