/**
 * The bench database: a new database on the server of BENCH_DATABASE_URL (dropped at the end) or PGlite in the run's
 * scratch directory, migrated and loaded with the plan's data and the synthetic portfolio, then described for the
 * workloads (which projects W4 reads and W5 may toggle, and the size of the plan W1 reads whole).
 */

import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import { today } from '../src/lib/dates';
import { seedDatabase } from '../seeds/load';
import { progressReporter } from '../seeds/progress';
import { generateSyntheticPortfolio, type SyntheticReport } from '../seeds/synthetic';
import { onCleanup } from './cleanup';
import { BenchError, errorMessage } from './helpers';

/** PRNG seed of the synthetic portfolio: the same rows on every run of the same size. */
export const SEED = 42;
/** The plan W1 reads whole: the first plan of the synthetic portfolio. */
export const PLAN_CODE = 'SYN-PLAN-001';

/** The statuses W5 toggles a project between. */
export type ToggleStatus = 'UNDER_CONSTRUCTION' | 'SUSPENDED';

export interface Target {
  kind: 'pglite' | 'postgres';
  /** The benchmark database's URL (postgres), or null. */
  databaseUrl: string | null;
  /** PGlite's data directory (pglite), or null. */
  pgliteDataDir: string | null;
  /** Where it lives, without credentials. */
  location: string;
  /** PostgreSQL: statements of client connections to the benchmark database that are not idle. */
  busyStatements?: () => Promise<number>;
}

async function createPostgresDatabase(adminUrl: string): Promise<Target> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'ipr-bench' } });
  onCleanup('close the admin connection', () => admin.end({ timeout: 5 }));
  const now = new Date();
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 17);
  const name = `ipr_bench_${stamp}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    throw new BenchError(`Could not create database ${name} with BENCH_DATABASE_URL: ${errorMessage(error)}`);
  }
  onCleanup(`drop database ${name}`, async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    console.error(`Dropped database ${name}.`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const busyStatements = async () => {
    const [row] = await admin<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = ${name} and backend_type = 'client backend' and state <> 'idle' and pid <> pg_backend_pid()`;
    return Number(row.n);
  };
  return {
    kind: 'postgres',
    databaseUrl: url.toString(),
    pgliteDataDir: null,
    location: `${url.hostname}:${url.port || 5432}/${name}`,
    busyStatements,
  };
}

export interface Loaded {
  report: SyntheticReport;
  seconds: number;
  /** Ids of the projects that are not archived (W4 draws from them). */
  projectIds: number[];
  /** Projects W5 may toggle: UNDER_CONSTRUCTION or SUSPENDED, with no status change dated after today. */
  togglable: { id: number; status: ToggleStatus; version: number }[];
  plan: { sections: number; tasks: number; projects: number; links: number };
}

export async function loadDatabase(target: Target, projects: number): Promise<Loaded> {
  const started = performance.now();
  const database: Database = await openDatabase({
    databaseUrl: target.databaseUrl,
    pgliteDataDir: target.pgliteDataDir ?? '',
  });
  let open = true;
  onCleanup('close the loading connection', async () => {
    if (open) await database.close();
  });
  const progress = progressReporter(performance.now(), '  ');
  try {
    await migrateDatabase(database);
    await seedDatabase(database.db);
    const report = await generateSyntheticPortfolio(database.db, {
      projects,
      seed: SEED,
      onProgress: (done, total, phase) => progress.update(done, total, phase),
    });
    progress.end();
    // Statistics as a database that has been in use would have them, so plans are the planner's best.
    await database.db.execute(sql`vacuum analyze`);

    const ids = await queryRows<{ id: number }>(
      database.db,
      sql`select id from projects where archived_at is null order by id`,
    );
    const togglable = await queryRows<{ id: number; status: ToggleStatus; version: number }>(
      database.db,
      sql`select p.id, p.status::text as status, p.version from projects p
          where p.archived_at is null and p.status in ('UNDER_CONSTRUCTION', 'SUSPENDED')
            and not exists (select 1 from project_status_changes c where c.project_id = p.id and c.effective_on > cast(${today()} as date))
          order by p.id`,
    );
    const [plan] = await queryRows<{ sections: number; tasks: number; projects: number; links: number }>(
      database.db,
      sql`select (select count(*) from plan_sections s where s.plan_id = pl.id)::int as sections,
                 (select count(*) from plan_tasks t where t.plan_id = pl.id)::int as tasks,
                 (select count(distinct pt.project_id) from project_tasks pt join plan_tasks t on t.id = pt.task_id where t.plan_id = pl.id)::int as projects,
                 (select count(*) from project_tasks pt join plan_tasks t on t.id = pt.task_id where t.plan_id = pl.id)::int as links
          from plans pl where pl.code = ${PLAN_CODE}`,
    );
    if (!plan) throw new BenchError(`The synthetic portfolio has no plan ${PLAN_CODE}.`);
    return {
      report,
      seconds: (performance.now() - started) / 1000,
      projectIds: ids.map((row) => Number(row.id)),
      togglable: togglable.map((row) => ({ id: Number(row.id), status: row.status, version: Number(row.version) })),
      plan: {
        sections: Number(plan.sections),
        tasks: Number(plan.tasks),
        projects: Number(plan.projects),
        links: Number(plan.links),
      },
    };
  } finally {
    progress.end();
    // PGlite allows one process in a directory: the server child opens it only after this closes.
    open = false;
    await database.close();
  }
}

/** The database the run measures, created for it: on PostgreSQL when `kind` says so, else PGlite in `scratch`. */
export async function createDatabase(kind: 'pglite' | 'postgres', scratch: string): Promise<Target> {
  if (kind === 'postgres') return createPostgresDatabase(process.env.BENCH_DATABASE_URL!.trim());
  const dataDir = path.join(scratch, 'pglite');
  return { kind: 'pglite', databaseUrl: null, pgliteDataDir: dataDir, location: dataDir };
}
