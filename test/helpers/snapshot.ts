import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/client';

/** Every table of the public schema with its row count and a digest of its content, to compare whole databases. */
export async function snapshotDatabase(db: Db): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await queryRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const snapshot: Record<string, { rows: number; digest: string }> = {};
  for (const { table_name } of tables) {
    const [row] = await queryRows<{ rows: number; digest: string | null }>(
      db,
      sql`select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${sql.identifier(table_name)} t`,
    );
    snapshot[table_name] = { rows: Number(row.rows), digest: row.digest ?? '' };
  }
  return snapshot;
}
