/**
 * The bench's command line: its usage text, the workloads it knows, and the options read from the arguments and
 * BENCH_DATABASE_URL, each checked, with a usage mistake told as such.
 */

import { integerOption, readOptions, UsageError } from '../seeds/cli-options';

export const USAGE = `Usage: npm run bench -- [--database pglite|postgres] [--projects N] [--duration S] [--connections C] [--only W]

Builds a fresh database with the synthetic portfolio, starts the registry in production mode and measures each
workload with autocannon; prints a table and writes bench/results/latest.json.

  --database D     postgres (a new database on the server of BENCH_DATABASE_URL, an admin URL such as
                   postgres://postgres@127.0.0.1:5432/postgres, dropped at the end) or pglite (a temporary
                   directory); default postgres when BENCH_DATABASE_URL is set, else pglite
  --projects N     synthetic projects, an integer from 100 to 1000000 (default 20000)
  --duration S     seconds each workload is measured, an integer from 1 to 3600 (default 20); the warm-up
                   before it lasts 3 s (1 s when the duration is under 5 s)
  --connections C  concurrent connections, an integer from 1 to 1000 (default 8)
  --only W         workloads to run, e.g. W2 or W2,W4 (default all: W1 to W5)
  --help           show this help

Workloads: W1 plan-tree, W2 portfolio-page, W3 funding-compare, W4 node, W5 status-change.
The floor (hand-written SQL per read workload) runs on PostgreSQL only.`;

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5';
export const WORKLOAD_IDS: WorkloadId[] = ['W1', 'W2', 'W3', 'W4', 'W5'];

export interface Args {
  database: 'pglite' | 'postgres';
  projects: number;
  duration: number;
  connections: number;
  only: WorkloadId[];
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args | 'help' {
  const args: Args = {
    database: env.BENCH_DATABASE_URL ? 'postgres' : 'pglite',
    projects: 20000,
    duration: 20,
    connections: 8,
    only: [...WORKLOAD_IDS],
  };
  const options = readOptions(argv, {
    database: 'string',
    projects: 'string',
    duration: 'string',
    connections: 'string',
    only: 'string',
  });
  if (options === 'help') return 'help';
  if (options.database !== undefined) {
    const text = String(options.database);
    if (text !== 'pglite' && text !== 'postgres')
      throw new UsageError(`--database must be pglite or postgres, got "${text}"`);
    args.database = text;
  }
  if (options.projects !== undefined)
    args.projects = integerOption('--projects', String(options.projects), 100, 1_000_000);
  if (options.duration !== undefined) args.duration = integerOption('--duration', String(options.duration), 1, 3600);
  if (options.connections !== undefined)
    args.connections = integerOption('--connections', String(options.connections), 1, 1000);
  if (options.only !== undefined) {
    const ids = String(options.only)
      .split(',')
      .map((id) => id.trim().toUpperCase());
    for (const id of ids) {
      if (!(WORKLOAD_IDS as string[]).includes(id))
        throw new UsageError(`--only takes workloads ${WORKLOAD_IDS.join(', ')} separated by commas, got "${id}"`);
    }
    if (new Set(ids).size !== ids.length) throw new UsageError('--only names a workload twice');
    args.only = WORKLOAD_IDS.filter((id) => ids.includes(id));
  }
  if (args.database === 'postgres') {
    const url = env.BENCH_DATABASE_URL?.trim();
    if (!url)
      throw new UsageError(
        '--database postgres needs BENCH_DATABASE_URL, an admin URL such as postgres://postgres@127.0.0.1:5432/postgres',
      );
    let ok = false;
    try {
      const parsed = new URL(url);
      ok = parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:';
    } catch {
      ok = false;
    }
    if (!ok) throw new UsageError('BENCH_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return args;
}
