import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../../src/db/client';
import { migrateDatabase, migrationsFolder } from '../../src/db/migrate';
import { projects } from '../../src/db/schema';
import { readSeedData, seedDatabase } from '../../seeds/load';
import { snapshotDatabase } from '../helpers/snapshot';
import { createTestDatabase, dataOf, startTestApp, temporaryDirectory } from '../helpers/test-app';

/** Runs `work` on a fresh, migrated database (PGlite in memory, or a new PostgreSQL database), then drops it. */
async function withMigratedDatabase(work: (database: Database) => Promise<void>): Promise<void> {
  const target = await createTestDatabase();
  const database = await openDatabase({ databaseUrl: target.databaseUrl, pgliteDataDir: 'memory://' });
  try {
    await migrateDatabase(database);
    await work(database);
  } finally {
    await database.close();
    await target.drop();
  }
}

const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
  entries: unknown[];
};

describe('migrations', () => {
  it('create every table on an empty database, and a second run applies nothing', async () => {
    await withMigratedDatabase(async (database) => {
      const tables = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      );
      expect(Number(tables[0].n)).toBeGreaterThanOrEqual(20);
      const applied = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(Number(applied[0].n)).toBe(journal.entries.length);

      const before = await snapshotDatabase(database.db);
      await migrateDatabase(database);
      const again = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(Number(again[0].n)).toBe(journal.entries.length);
      expect(await snapshotDatabase(database.db)).toEqual(before);
    });
  });
});

describe('the schema', () => {
  it('indexes every foreign key (a btree index whose leading columns are the key)', async () => {
    await withMigratedDatabase(async (database) => {
      const unindexed = await queryRows<{ constraint_name: string }>(
        database.db,
        sql`select c.conname as constraint_name
            from pg_constraint c
            where c.contype = 'f' and c.connamespace = 'public'::regnamespace
              and not exists (
                select 1 from pg_index i
                where i.indrelid = c.conrelid
                  and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey
              )`,
      );
      expect(unindexed.map((row) => row.constraint_name)).toEqual([]);
      const [{ n }] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`,
      );
      expect(Number(n)).toBeGreaterThan(25);
    });
  });

  it('refuses an allocation whose VND equivalent contradicts its amount, and a negative amount', async () => {
    const t = await startTestApp();
    try {
      const db = t.app.database.db;
      const [project] = await queryRows<{ id: number }>(db, sql`select id from projects order by id limit 1`);
      const [source] = await queryRows<{ id: number }>(db, sql`select id from funding_sources order by id limit 1`);
      // The database's own message (Drizzle wraps it as the cause).
      const insert = (amount: string, currency: string, amountVnd: string | null, rate: string | null) =>
        db
          .execute(
            sql`insert into funding_allocations (project_id, source_id, amount, currency, amount_vnd, rate_to_vnd, rate_date, status, position)
                       values (${project.id}, ${source.id}, ${amount}, ${currency}, ${amountVnd}, ${rate}, ${rate ? '2025-01-01' : null}, 'PLANNED', 99)`,
          )
          .then(
            () => Promise.reject(new Error('inserted')),
            (error: any) => Promise.reject(new Error(String(error?.cause?.message ?? error?.message))),
          );
      await expect(insert('100', 'VND', '200', null)).rejects.toThrow(/funding_allocations_vnd_check/);
      await expect(insert('-1', 'VND', '-1', null)).rejects.toThrow(/funding_allocations_amount_check/);
      await expect(insert('100', 'usd', null, null)).rejects.toThrow(/funding_allocations_currency_check/);
      await expect(insert('100', 'USD', '2500000', null)).rejects.toThrow(/violates check constraint/);
    } finally {
      await t.stop();
    }
  });
});

describe('seeding', () => {
  it('is idempotent: a second run adds nothing and changes no row', async () => {
    await withMigratedDatabase(async (database) => {
      const first = await seedDatabase(database.db);
      expect(first.plansAdded).toBe(1);
      expect(first.projectsAdded).toBe(readSeedData().projects.length);
      const before = await snapshotDatabase(database.db);
      expect(before.plan_tasks.rows).toBeGreaterThan(10);
      expect(before.funding_allocations.rows).toBeGreaterThan(0);

      const second = await seedDatabase(database.db);
      expect(second).toEqual({ plansAdded: 0, projectsAdded: 0, agenciesAdded: 0, documentsAdded: 0 });
      expect(await snapshotDatabase(database.db)).toEqual(before);
    });
  });

  it('refuses data with a broken reference before writing anything', async () => {
    await withMigratedDatabase(async (database) => {
      const data = readSeedData();
      data.projects[0] = { ...data.projects[0], taskCodes: ['II.9.z.9'], ownerAgencyCode: 'XX.NOBODY' };
      await expect(seedDatabase(database.db, data)).rejects.toThrow(
        /unknown task II\.9\.z\.9[\s\S]*|unknown owner XX\.NOBODY/,
      );
      const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from agencies`);
      expect(Number(row.n)).toBe(0);
    });
  });
});

describe('the embedded database on disk', () => {
  it('keeps its data across a restart, and start-up does not seed it again', async () => {
    const tmp = temporaryDirectory('ipr-pglite-');
    try {
      const first = await startTestApp({ databaseUrl: null, pgliteDataDir: tmp.dir });
      const before = dataOf(await first.query('{ projects { totalCount } plans { totalCount } }'));
      expect(before.plans.totalCount).toBe(1);
      // A change made after seeding must survive the restart (seeding again would not restore it either).
      await first.app.database.db
        .update(projects)
        .set({ notes: 'edited after seeding' })
        .where(sql`${projects.code} = ${readSeedData().projects[0].code}`);
      await first.stop();

      const second = await startTestApp({ databaseUrl: null, pgliteDataDir: tmp.dir });
      try {
        const after = dataOf(
          await second.query(
            'query($code: String!) { projects { totalCount } plans { totalCount } project(code: $code) { notes } }',
            { code: readSeedData().projects[0].code },
          ),
        );
        expect(after.plans.totalCount).toBe(1);
        expect(after.projects.totalCount).toBe(before.projects.totalCount);
        expect(after.project.notes).toBe('edited after seeding');
      } finally {
        await second.stop();
      }
    } finally {
      tmp.remove();
    }
  });
});
