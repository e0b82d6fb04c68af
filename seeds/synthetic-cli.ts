import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import { countSyntheticRows, deleteSyntheticPortfolio, generateSyntheticPortfolio } from './synthetic';
import { progressReporter } from './progress';
import { argumentsOrExitCode, integerOption, readOptions } from './cli-options';

/**
 * `npm run seed:synthetic -- --projects 20000 --seed 42 [--replace]`: applies migrations, then adds a deterministic
 * synthetic portfolio (codes SYN-…) to the configured database (DATABASE_URL, or PGlite at PGLITE_DATA_DIR).
 */

const USAGE = `Usage: npm run seed:synthetic -- [--projects N] [--seed S] [--replace]

Adds a synthetic portfolio (plans, agencies, projects, funding and status history, all coded SYN-...)
to the configured database (DATABASE_URL, or PGlite at PGLITE_DATA_DIR), migrating it first.

  --projects N   number of projects, an integer from 1 to 1000000 (default 20000)
  --seed S       PRNG seed, an integer (default 42); the same seed and size give the same rows
  --replace      first delete every SYN- row already in the database (in one transaction)
  --help         show this help`;

interface Args {
  projects: number;
  seed: number;
  replace: boolean;
}

export function parseArgs(argv: string[]): Args | 'help' {
  const args: Args = { projects: 20000, seed: 42, replace: false };
  const options = readOptions(argv, { projects: 'string', seed: 'string', replace: 'boolean' });
  if (options === 'help') return 'help';
  if (options.projects !== undefined)
    args.projects = integerOption('--projects', String(options.projects), 1, 1_000_000);
  if (options.seed !== undefined)
    args.seed = integerOption('--seed', String(options.seed), Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  args.replace = options.replace === true;
  return args;
}

async function main(): Promise<number> {
  const args = argumentsOrExitCode(() => parseArgs(process.argv.slice(2)), USAGE);
  if (typeof args === 'number') return args;

  const config = loadConfig();
  const database = await openDatabase(config);
  const started = performance.now();
  const progress = progressReporter(started);
  try {
    await migrateDatabase(database);
    const existing = await countSyntheticRows(database.db);
    const any = existing.projects + existing.plans + existing.agencies > 0;
    if (any && !args.replace) {
      console.error(
        `The ${database.kind} database at ${database.location} already holds synthetic data ` +
          `(${existing.projects} SYN- projects, ${existing.plans} plans, ${existing.agencies} agencies). ` +
          'Run again with --replace to delete it first.',
      );
      return 1;
    }
    if (any) {
      const deleted = await deleteSyntheticPortfolio(database.db);
      console.error(
        `Deleted the synthetic data: ${deleted.projects} projects, ${deleted.plans} plans, ${deleted.agencies} agencies.`,
      );
    }
    const report = await generateSyntheticPortfolio(database.db, {
      projects: args.projects,
      seed: args.seed,
      onProgress: (done, total, phase) => progress.update(done, total, phase),
    });
    progress.end();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Synthetic portfolio (seed ${args.seed}) added to ${database.kind} database at ${database.location}: ` +
        `${report.plans} plans, ${report.sections} sections, ${report.tasks} tasks, ${report.agencies} agencies, ` +
        `${report.successions} successions, ${report.projects} projects, ${report.taskLinks} task links, ` +
        `${report.locations} locations, ${report.statusChanges} status changes, ${report.allocations} allocations in ${seconds}s.`,
    );
    return 0;
  } finally {
    progress.end();
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
