import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import { signToken } from '../src/http/auth';
import { seedDatabase } from '../seeds/load';
import { generateSyntheticPortfolio, type SyntheticReport } from '../seeds/synthetic';
import { progressReporter } from '../seeds/progress';
import { integerOption, readOptions, UsageError } from '../seeds/cli-options';

/**
 * `npm run bench -- [--database pglite|postgres] [--projects N] [--duration S] [--connections C] [--only W1,W2]`
 *
 * Builds a fresh database (PostgreSQL from BENCH_DATABASE_URL, or PGlite in a temporary directory) with the plan's
 * real data and a synthetic portfolio, starts the registry as a child process in production mode, and drives each
 * workload with autocannon for a fixed time after a warm-up, at a fixed concurrency. On PostgreSQL every read
 * workload also runs against its floor (bench/floor/: one hand-written statement per request behind a bare HTTP
 * server), and the registry's throughput is shown as a fraction of the floor's. Prints a table and writes
 * bench/results/latest.json. Benchmarks are not tests: nothing here asserts a time.
 */

const ROOT = path.resolve(__dirname, '..');
const WORKLOAD_DIR = path.join(__dirname, 'workloads');
const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');
/** PRNG seed of the synthetic portfolio: the same rows on every run of the same size. */
const SEED = 42;
/** The plan W1 reads whole: the first plan of the synthetic portfolio. */
const PLAN_CODE = 'SYN-PLAN-001';
const SERVER_COMMAND = ['--import', 'tsx', 'src/main.ts'];
const FLOOR_COMMAND = ['--import', 'tsx', 'bench/floor/server.ts'];
/** Longest autocannon waits for one response before it counts a timeout. */
const REQUEST_TIMEOUT_S = 120;

const USAGE = `Usage: npm run bench -- [--database pglite|postgres] [--projects N] [--duration S] [--connections C] [--only W]

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

// ---------------------------------------------------------------------------------------------------------------
// Arguments

type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5';
const WORKLOAD_IDS: WorkloadId[] = ['W1', 'W2', 'W3', 'W4', 'W5'];

interface Args {
  database: 'pglite' | 'postgres';
  projects: number;
  duration: number;
  connections: number;
  only: WorkloadId[];
}

/** An error that ends the run with its message alone (no stack). */
class BenchError extends Error {}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args | 'help' {
  const args: Args = { database: env.BENCH_DATABASE_URL ? 'postgres' : 'pglite', projects: 20000, duration: 20, connections: 8, only: [...WORKLOAD_IDS] };
  const options = readOptions(argv, { database: 'string', projects: 'string', duration: 'string', connections: 'string', only: 'string' });
  if (options === 'help') return 'help';
  if (options.database !== undefined) {
    const text = String(options.database);
    if (text !== 'pglite' && text !== 'postgres') throw new UsageError(`--database must be pglite or postgres, got "${text}"`);
    args.database = text;
  }
  if (options.projects !== undefined) args.projects = integerOption('--projects', String(options.projects), 100, 1_000_000);
  if (options.duration !== undefined) args.duration = integerOption('--duration', String(options.duration), 1, 3600);
  if (options.connections !== undefined) args.connections = integerOption('--connections', String(options.connections), 1, 1000);
  if (options.only !== undefined) {
    const ids = String(options.only)
      .split(',')
      .map((id) => id.trim().toUpperCase());
    for (const id of ids) {
      if (!(WORKLOAD_IDS as string[]).includes(id)) throw new UsageError(`--only takes workloads ${WORKLOAD_IDS.join(', ')} separated by commas, got "${id}"`);
    }
    if (new Set(ids).size !== ids.length) throw new UsageError('--only names a workload twice');
    args.only = WORKLOAD_IDS.filter((id) => ids.includes(id));
  }
  if (args.database === 'postgres') {
    const url = env.BENCH_DATABASE_URL?.trim();
    if (!url) throw new UsageError('--database postgres needs BENCH_DATABASE_URL, an admin URL such as postgres://postgres@127.0.0.1:5432/postgres');
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

// ---------------------------------------------------------------------------------------------------------------
// Clean-up: everything the run creates is undone in reverse order, on success, on failure and on SIGINT/SIGTERM.

const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
let cleaning: Promise<void> | null = null;
/** Set by SIGINT/SIGTERM: what fails afterwards fails because of the clean-up, and is not reported. */
let interrupted = false;

function onCleanup(name: string, run: () => Promise<void> | void) {
  cleanups.push({ name, run });
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`Clean-up: could not ${step.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaning;
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    if (cleaning) return;
    interrupted = true;
    console.error(`\n${signal} received: stopping and cleaning up`);
    void cleanup().finally(() => process.exit(code));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const utcToday = () => new Date().toISOString().slice(0, 10);
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const projectGlobalId = (id: number) => Buffer.from(`Project:${id}`, 'utf8').toString('base64url');
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}


// ---------------------------------------------------------------------------------------------------------------
// The database: created, loaded, and described for the workloads.

interface Target {
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
  return { kind: 'postgres', databaseUrl: url.toString(), pgliteDataDir: null, location: `${url.hostname}:${url.port || 5432}/${name}`, busyStatements };
}

interface Loaded {
  report: SyntheticReport;
  seconds: number;
  /** Ids of the projects that are not archived (W4 draws from them). */
  projectIds: number[];
  /** Projects W5 may toggle: UNDER_CONSTRUCTION or SUSPENDED, with no status change dated after today. */
  togglable: { id: number; status: ToggleStatus; version: number }[];
  plan: { sections: number; tasks: number; projects: number; links: number };
}

async function loadDatabase(target: Target, projects: number): Promise<Loaded> {
  const started = performance.now();
  const database: Database = await openDatabase({ databaseUrl: target.databaseUrl, pgliteDataDir: target.pgliteDataDir ?? '' });
  let open = true;
  onCleanup('close the loading connection', async () => {
    if (open) await database.close();
  });
  const progress = progressReporter(performance.now(), '  ');
  try {
    await migrateDatabase(database);
    await seedDatabase(database.db);
    const report = await generateSyntheticPortfolio(database.db, { projects, seed: SEED, onProgress: (done, total, phase) => progress.update(done, total, phase) });
    progress.end();
    // Statistics as a database that has been in use would have them, so plans are the planner's best.
    await database.db.execute(sql`vacuum analyze`);

    const ids = await queryRows<{ id: number }>(database.db, sql`select id from projects where archived_at is null order by id`);
    const togglable = await queryRows<{ id: number; status: ToggleStatus; version: number }>(
      database.db,
      sql`select p.id, p.status::text as status, p.version from projects p
          where p.archived_at is null and p.status in ('UNDER_CONSTRUCTION', 'SUSPENDED')
            and not exists (select 1 from project_status_changes c where c.project_id = p.id and c.effective_on > cast(${utcToday()} as date))
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
      plan: { sections: Number(plan.sections), tasks: Number(plan.tasks), projects: Number(plan.projects), links: Number(plan.links) },
    };
  } finally {
    progress.end();
    // PGlite allows one process in a directory: the server child opens it only after this closes.
    open = false;
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: the registry and the floor.

interface Child {
  name: string;
  process: ChildProcess;
  port: number;
  logFile: string;
  startMs: number;
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (!running(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s. */
async function stopChild(child: Child): Promise<void> {
  if (!running(child.process)) return;
  child.process.kill('SIGTERM');
  if (await waitForExit(child.process, 5000)) return;
  console.error(`The ${child.name} did not stop within 5 s of SIGTERM: killed.`);
  child.process.kill('SIGKILL');
  await waitForExit(child.process, 5000);
}

/** Starts `node <args>` in the repository, its output in `logFile`, and waits until GET /health answers 200. */
async function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, port: number, logFile: string): Promise<Child> {
  const started = performance.now();
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const handle: Child = { name, process: child, port, logFile, startMs: 0 };
  onCleanup(`stop the ${name}`, () => stopChild(handle));
  let spawnError: Error | null = null;
  child.once('error', (error) => (spawnError = error));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (spawnError) throw new BenchError(`The ${name} could not start: ${errorMessage(spawnError)}`);
    if (!running(child)) throw new BenchError(`The ${name} exited (code ${child.exitCode ?? child.signalCode}) before it answered. Its output:\n${tail(logFile)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
      await res.text();
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new BenchError(`The ${name} did not answer GET /health within 120 s. Its output:\n${tail(logFile)}`);
    await sleep(100);
  }
  handle.startMs = Math.round(performance.now() - started);
  return handle;
}

/** Samples a process's resident set size (VmRSS) every 200 ms and keeps the peak. */
function rssSampler(pid: number) {
  let peakKb = 0;
  let overallKb = 0;
  const sample = () => {
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) {
        const kb = Number(match[1]);
        peakKb = Math.max(peakKb, kb);
        overallKb = Math.max(overallKb, kb);
      }
    } catch {
      // No /proc (not Linux), or the process has ended.
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  timer.unref();
  return {
    /** Starts a new peak. */
    reset() {
      peakKb = 0;
      sample();
    },
    peakMb: () => (peakKb > 0 ? round(peakKb / 1024, 1) : null),
    overallMb: () => (overallKb > 0 ? round(overallKb / 1024, 1) : null),
    stop: () => clearInterval(timer),
  };
}

/** CPU time a process has used, in clock ticks (utime + stime of /proc/<pid>/stat), or null. */
function cpuTicks(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * Waits until the servers are idle: autocannon stops a run by closing its connections, but the server goes on
 * answering the requests in flight (a plan tree can take seconds), which would slow the next run down. Idle means
 * two 250 ms windows in a row in which no process used more than 2 clock ticks of CPU and, on PostgreSQL, no client
 * statement of the benchmark database was running. Gives up after 120 s.
 */
async function quiesce(pids: number[], busyStatements?: () => Promise<number>): Promise<void> {
  const started = Date.now();
  let calm = 0;
  while (Date.now() - started < 120_000) {
    const before = pids.map(cpuTicks);
    await sleep(250);
    const after = pids.map(cpuTicks);
    const cpuBusy = pids.some((_, i) => before[i] !== null && after[i] !== null && after[i]! - before[i]! > 2);
    const statements = busyStatements ? await busyStatements() : 0;
    calm = !cpuBusy && statements === 0 ? calm + 1 : 0;
    if (calm >= 2) return;
  }
  console.error('  (the servers were still busy after 120 s; going on)');
}

// ---------------------------------------------------------------------------------------------------------------
// Responses: what every autocannon response adds to a run's figures.

function header(headers: Record<string, string | string[] | undefined> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) {
      const value = headers[key];
      return Array.isArray(value) ? value[0] : value;
    }
  }
  return undefined;
}

/** The first GraphQL error of a response body, or null. Bodies without the word are not parsed. */
function graphqlError(body: string): string | null {
  if (!body.includes('"errors"')) return null;
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: string; extensions?: { code?: string } }[] };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      const first = parsed.errors[0];
      return `${first.extensions?.code ?? 'ERROR'}: ${first.message ?? 'GraphQL error'}`;
    }
    return null;
  } catch {
    return 'the response is not JSON';
  }
}

/** Sums of a set of responses: their count, body bytes and X-SQL-Statements. */
class Sums {
  responses = 0;
  bytes = 0;
  statements = 0;
  statementResponses = 0;

  add(bytes: number, statements: number | null) {
    this.responses += 1;
    this.bytes += bytes;
    if (statements !== null) {
      this.statements += statements;
      this.statementResponses += 1;
    }
  }
}

/**
 * What a run's responses add up to. Bytes and statements per request are averaged over the good responses (2xx
 * without GraphQL errors), so that a few short error answers do not pass for lighter requests; over all responses
 * when none was good.
 */
class Collector {
  all = new Sums();
  good = new Sums();
  errors = 0;
  conflicts = 0;
  latencies: number[] = [];
  firstError: string | null = null;

  get responses() {
    return this.all.responses;
  }

  error(message: string) {
    this.errors += 1;
    this.firstError ??= message;
  }

  /** Counts a response; true when it is a 2xx without GraphQL errors. */
  record(status: number, body: string, headers: Record<string, string | string[] | undefined> | undefined): boolean {
    const length = Number(header(headers, 'content-length'));
    const bytes = Number.isFinite(length) ? length : Buffer.byteLength(body);
    const statementsText = header(headers, 'x-sql-statements');
    const statements = statementsText !== undefined && Number.isFinite(Number(statementsText)) ? Number(statementsText) : null;
    this.all.add(bytes, statements);
    const problem = status < 200 || status >= 300 ? `HTTP ${status}${graphqlError(body) ? `: ${graphqlError(body)}` : ''}` : graphqlError(body);
    if (problem) {
      this.error(problem);
      return false;
    }
    this.good.add(bytes, statements);
    return true;
  }

  /** Mean bytes and statements per response. */
  means(): { bytes: number | null; statements: number | null } {
    const sums = this.good.responses > 0 ? this.good : this.all;
    return {
      bytes: sums.responses > 0 ? Math.round(sums.bytes / sums.responses) : null,
      statements: sums.statementResponses > 0 ? round(sums.statements / sums.statementResponses, 2) : null,
    };
  }
}

interface Measured {
  requests: number;
  seconds: number;
  rps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  statementsPerRequest: number | null;
  bytes: number | null;
  errors: number;
  conflicts: number;
  firstError: string | null;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))], 1);
}

/** One autocannon run; `collector` receives the responses (its requests' onResponse must feed it). */
function cannon(port: number, requests: autocannon.Request[], seconds: number, connections: number, collector: Collector): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `http://127.0.0.1:${port}`, connections, duration: seconds, pipelining: 1, timeout: REQUEST_TIMEOUT_S, requests },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const sorted = collector.latencies.sort((a, b) => a - b);
        const socketErrors = result.errors ?? 0;
        if (socketErrors > 0) collector.firstError ??= `${socketErrors} connection error(s) or timeout(s)`;
        const means = collector.means();
        resolve({
          requests: collector.responses,
          seconds: result.duration,
          rps: result.duration > 0 ? round(collector.responses / result.duration, 2) : 0,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          statementsPerRequest: means.statements,
          bytes: means.bytes,
          errors: collector.errors + socketErrors,
          conflicts: collector.conflicts,
          firstError: collector.firstError,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => collector.latencies.push(responseTime));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Workloads

type ToggleStatus = 'UNDER_CONSTRUCTION' | 'SUSPENDED';

interface Slot {
  id: number;
  globalId: string;
  status: ToggleStatus;
  version: number;
  /** A request for it is in flight. */
  busy: boolean;
  /** Its version is not known for sure: read it again before using it. */
  stale: boolean;
  /** No longer UNDER_CONSTRUCTION or SUSPENDED: left out. */
  retired: boolean;
}

interface Workload {
  id: WorkloadId;
  name: string;
  file: string;
  query: string;
  /** Requests for autocannon against the registry, feeding `collector`. */
  registryRequests(collector: Collector): autocannon.Request[];
  /** A single request for the pre-run check: the body and, for W4, the ID it asks for. */
  sample(): { body: string; id?: string };
  /** The floor's path for the check (same ID as `sample`), and requests for autocannon against the floor. */
  floorPath?(id?: string): string;
  floorRequests?(collector: Collector): autocannon.Request[];
  /** W5: applies the check's response (as the runs do); returns what went wrong, or null. */
  settleSample?(id: string, text: string): string | null;
  /** W5: called after each run, once the servers are idle, to settle what the run left uncertain. */
  afterRun?(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

function readDocument(file: string): string {
  return readFileSync(path.join(WORKLOAD_DIR, file), 'utf8');
}

function staticRead(id: WorkloadId, name: string, file: string): Workload {
  const query = readDocument(file);
  const body = JSON.stringify({ query });
  return {
    id,
    name,
    file,
    query,
    registryRequests: (collector) => [
      { method: 'POST', path: '/graphql', headers: JSON_HEADERS, body, onResponse: (status, text, _context, headers) => void collector.record(status, text, headers) },
    ],
    sample: () => ({ body }),
    floorPath: () => `/${id}`,
    floorRequests: (collector) => [{ method: 'GET', path: `/${id}`, onResponse: (status, text, _context, headers) => void collector.record(status, text, headers) }],
  };
}

function nodeWorkload(projectIds: number[]): Workload {
  const file = 'W4-node.graphql';
  const query = readDocument(file);
  const ids = projectIds.map(projectGlobalId);
  if (ids.length === 0) throw new BenchError('W4 node: the portfolio has no project to ask for.');
  const randomId = () => ids[Math.floor(Math.random() * ids.length)];
  const bodyFor = (id: string) => JSON.stringify({ query, variables: { id } });
  return {
    id: 'W4',
    name: 'node',
    file,
    query,
    registryRequests: (collector) => [
      {
        method: 'POST',
        path: '/graphql',
        headers: JSON_HEADERS,
        body: bodyFor(ids[0]),
        setupRequest: (request) => ({ ...request, body: bodyFor(randomId()) }),
        onResponse: (status, text, _context, headers) => void collector.record(status, text, headers),
      },
    ],
    sample: () => {
      const id = randomId();
      return { body: bodyFor(id), id };
    },
    floorPath: (id) => `/W4?id=${encodeURIComponent(id ?? randomId())}`,
    floorRequests: (collector) => [
      {
        method: 'GET',
        path: `/W4?id=${ids[0]}`,
        setupRequest: (request) => ({ ...request, path: `/W4?id=${randomId()}` }),
        onResponse: (status, text, _context, headers) => void collector.record(status, text, headers),
      },
    ],
  };
}

interface StatusChangePayload {
  data?: {
    changeProjectStatus?: {
      project: { id: string; status: string; version: number } | null;
      userErrors: { code: string; message: string }[];
    } | null;
  } | null;
}

function statusChangeWorkload(candidates: Loaded['togglable'], port: () => number, token: string): Workload {
  const file = 'W5-status-change.graphql';
  const query = readDocument(file);
  const slots: Slot[] = candidates.map((c) => ({ ...c, globalId: projectGlobalId(c.id), busy: false, stale: false, retired: false }));
  if (slots.length === 0) throw new BenchError('W5 status-change: no project of the portfolio is UNDER_CONSTRUCTION or SUSPENDED.');
  const headers = { ...JSON_HEADERS, authorization: `Bearer ${token}` };
  const usable = (slot: Slot) => !slot.busy && !slot.stale && !slot.retired;

  /** A random project no request of the bench is changing at the moment. */
  const pick = (): number => {
    for (let attempt = 0; attempt < 16; attempt++) {
      const i = Math.floor(Math.random() * slots.length);
      if (usable(slots[i])) return i;
    }
    const start = Math.floor(Math.random() * slots.length);
    for (let k = 0; k < slots.length; k++) {
      const i = (start + k) % slots.length;
      if (usable(slots[i])) return i;
    }
    return Math.floor(Math.random() * slots.length); // All taken: a conflict is the honest outcome.
  };
  const bodyFor = (slot: Slot) =>
    JSON.stringify({
      query,
      variables: {
        input: {
          projectId: slot.globalId,
          status: slot.status === 'UNDER_CONSTRUCTION' ? 'SUSPENDED' : 'UNDER_CONSTRUCTION',
          effectiveOn: utcToday(),
          note: 'Benchmark status change (npm run bench).',
          expectedVersion: slot.version,
        },
      },
    });

  /** Applies a response to its project's slot; returns the problem (null when the change was written). */
  const settle = (slot: Slot, text: string): { conflict: boolean; problem: string | null } => {
    slot.busy = false;
    let payload: StatusChangePayload;
    try {
      payload = JSON.parse(text) as StatusChangePayload;
    } catch {
      slot.stale = true;
      return { conflict: false, problem: 'the response is not JSON' };
    }
    const result = payload.data?.changeProjectStatus;
    if (result?.project) {
      slot.version = result.project.version;
      slot.status = result.project.status as ToggleStatus;
      if (slot.status !== 'UNDER_CONSTRUCTION' && slot.status !== 'SUSPENDED') slot.retired = true;
      return { conflict: false, problem: null };
    }
    slot.stale = true;
    const first = result?.userErrors?.[0];
    if (first?.code === 'VERSION_CONFLICT') return { conflict: true, problem: null };
    return { conflict: false, problem: first ? `${first.code}: ${first.message}` : 'no project in the payload' };
  };

  /** Reads the status and version of every project a run left uncertain. */
  const refresh = async () => {
    const uncertain = slots.filter((slot) => (slot.busy || slot.stale) && !slot.retired);
    const byId = new Map(uncertain.map((slot) => [slot.globalId, slot]));
    for (let i = 0; i < uncertain.length; i += 50) {
      const ids = uncertain.slice(i, i + 50).map((slot) => slot.globalId);
      const res = await fetch(`http://127.0.0.1:${port()}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: 'query BenchVersions($ids: [ID!]!) { nodes(ids: $ids) { ... on Project { id status version } } }', variables: { ids } }),
      });
      const parsed = (await res.json()) as { data?: { nodes?: ({ id: string; status: string; version: number } | null)[] } };
      for (const node of parsed.data?.nodes ?? []) {
        const slot = node && byId.get(node.id);
        if (!node || !slot) continue;
        slot.version = node.version;
        slot.status = node.status as ToggleStatus;
        slot.busy = false;
        slot.stale = false;
        if (node.status !== 'UNDER_CONSTRUCTION' && node.status !== 'SUSPENDED') slot.retired = true;
      }
    }
    for (const slot of uncertain) if (slot.busy || slot.stale) slot.retired = true; // Not found: leave it out.
  };

  return {
    id: 'W5',
    name: 'status-change',
    file,
    query,
    registryRequests: (collector) => [
      {
        method: 'POST',
        path: '/graphql',
        headers,
        body: bodyFor(slots[0]),
        setupRequest: (request, context) => {
          const i = pick();
          slots[i].busy = true;
          (context as { slot?: number }).slot = i;
          return { ...request, body: bodyFor(slots[i]) };
        },
        onResponse: (status, text, context, responseHeaders) => {
          const i = (context as { slot?: number }).slot;
          const ok = collector.record(status, text, responseHeaders);
          if (i === undefined) return;
          const outcome = settle(slots[i], text);
          if (outcome.conflict) collector.conflicts += 1;
          else if (ok && outcome.problem) collector.error(outcome.problem);
        },
      },
    ],
    sample: () => {
      const i = pick();
      slots[i].busy = true;
      return { body: bodyFor(slots[i]), id: String(i) };
    },
    // Requests cut off at the end of a run may have committed: read what they did (the servers are idle by now).
    afterRun: refresh,
    settleSample: (id, text) => {
      const outcome = settle(slots[Number(id)], text);
      return outcome.conflict ? 'VERSION_CONFLICT' : outcome.problem;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Checks before the timed runs

async function fetchText(url: string, init?: RequestInit): Promise<{ status: number; text: string; statements: string | null }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000) });
  return { status: res.status, text: await res.text(), statements: res.headers.get('x-sql-statements') };
}

/** Up to `limit` differences between two JSON values, each as `path: registry …, floor …`. */
function differences(registry: unknown, floor: unknown, limit = 5, at = '$', out: string[] = []): string[] {
  if (out.length >= limit || isDeepStrictEqual(registry, floor)) return out;
  const show = (value: unknown) => {
    const text = JSON.stringify(value) ?? 'undefined';
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  };
  if (Array.isArray(registry) && Array.isArray(floor)) {
    if (registry.length !== floor.length) out.push(`${at}: registry has ${registry.length} items, floor ${floor.length}`);
    for (let i = 0; i < Math.min(registry.length, floor.length) && out.length < limit; i++) differences(registry[i], floor[i], limit, `${at}[${i}]`, out);
    return out;
  }
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(registry) && isObject(floor)) {
    for (const key of new Set([...Object.keys(registry), ...Object.keys(floor)])) {
      if (out.length >= limit) break;
      if (!(key in floor)) out.push(`${at}.${key}: missing from the floor`);
      else if (!(key in registry)) out.push(`${at}.${key}: only in the floor`);
      else differences(registry[key], floor[key], limit, `${at}.${key}`, out);
    }
    return out;
  }
  out.push(`${at}: registry ${show(registry)}, floor ${show(floor)}`);
  return out;
}

interface FloorCheck {
  matches: boolean;
  differences: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const formatMs = (ms: number | null) => (ms === null ? '-' : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);
const formatRps = (rps: number) => (rps >= 100 ? rps.toFixed(0) : rps.toFixed(1));

interface WorkloadResult {
  id: WorkloadId;
  name: string;
  rps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  statementsPerRequest: number | null;
  bytes: number | null;
  floorRps: number | null;
  ratioToFloor: number | null;
  errors: number;
  conflicts?: number;
  requests: number;
  seconds: number;
  peakRssMb: number | null;
  firstError: string | null;
  floor: {
    matches: boolean;
    differences: string[];
    rps: number;
    p50: number | null;
    p95: number | null;
    p99: number | null;
    bytes: number | null;
    errors: number;
    firstError: string | null;
  } | null;
}

function tableLine(result: WorkloadResult, nameWidth: number): string {
  const parts = [
    `${result.id} ${result.name.padEnd(nameWidth)}`,
    `rps ${formatRps(result.rps).padStart(6)}`,
    `p50 ${formatMs(result.p50).padStart(8)}`,
    `p95 ${formatMs(result.p95).padStart(8)}`,
    `p99 ${formatMs(result.p99).padStart(8)}`,
    `stmts ${(result.statementsPerRequest === null ? '-' : String(round(result.statementsPerRequest, 1))).padStart(4)}`,
    `bytes ${formatBytes(result.bytes).padStart(8)}`,
  ];
  if (result.floor) {
    parts.push(`floor ${formatRps(result.floor.rps).padStart(6)} rps${result.floor.matches ? '' : ' (DIFFERS)'}`);
    parts.push(`ratio ${result.ratioToFloor === null ? '-' : result.ratioToFloor.toFixed(2)}`);
  } else {
    parts.push(`floor ${(result.id === 'W5' ? 'n/a (write)' : 'n/a').padStart(6)}`);
    parts.push('ratio -');
  }
  parts.push(`errors ${result.errors}`);
  if (result.conflicts !== undefined) parts.push(`conflicts ${result.conflicts}`);
  if (result.peakRssMb !== null) parts.push(`rss ${Math.round(result.peakRssMb)} MB`);
  return parts.join('  ');
}

// ---------------------------------------------------------------------------------------------------------------
// The run

async function main(): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 1;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const warmup = args.duration < 5 ? 1 : 3;
  const startedAt = new Date();
  console.log(
    `Infrastructure Plan Registry bench: ${args.database}, ${args.projects.toLocaleString('en')} projects, ` +
      `${args.only.join(' ')}, ${args.duration} s each after ${warmup} s of warm-up, ${args.connections} connections.`,
  );

  // 1. A fresh database, migrated and loaded.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ipr-bench-'));
  onCleanup(`remove ${scratch}`, () => rmSync(scratch, { recursive: true, force: true }));
  const target: Target =
    args.database === 'postgres'
      ? await createPostgresDatabase(process.env.BENCH_DATABASE_URL!.trim())
      : { kind: 'pglite', databaseUrl: null, pgliteDataDir: path.join(scratch, 'pglite'), location: path.join(scratch, 'pglite') };
  console.log(`Loading the ${target.kind} database at ${target.location}: migrations, the plan's data, ${args.projects.toLocaleString('en')} synthetic projects.`);
  const loaded = await loadDatabase(target, args.projects);
  console.log(
    `Loaded in ${loaded.seconds.toFixed(1)} s: ${loaded.report.projects.toLocaleString('en')} synthetic projects, ` +
      `${loaded.report.allocations.toLocaleString('en')} allocations, ${loaded.report.plans} plans. ` +
      `${PLAN_CODE}: ${loaded.plan.sections} sections, ${loaded.plan.tasks} tasks, ${loaded.plan.projects.toLocaleString('en')} projects (${loaded.plan.links.toLocaleString('en')} task links).`,
  );

  // 2. The registry, in production mode, as a child process.
  const secret = randomBytes(36).toString('base64url'); // 48 characters
  const serverEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'PGLITE_DATA_DIR', 'BENCH_DATABASE_URL', 'JWT_PUBLIC_KEY', 'JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_ROLES_CLAIM', 'REQUIRE_AUTH_FOR_READS']) {
    delete serverEnv[name];
  }
  const serverPort = await freePort();
  Object.assign(serverEnv, {
    NODE_ENV: 'production',
    PORT: String(serverPort),
    SEED_ON_START: 'false',
    JWT_SECRET: secret,
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : { PGLITE_DATA_DIR: target.pgliteDataDir! }),
  });
  const server = await startChild('registry', SERVER_COMMAND, serverEnv, serverPort, path.join(scratch, 'registry.log'));
  const rss = rssSampler(server.process.pid!);
  onCleanup('stop sampling RSS', () => rss.stop());
  console.log(`Registry started in ${server.startMs} ms (node ${SERVER_COMMAND.join(' ')}, pid ${server.process.pid}, port ${serverPort}).`);

  // The floor: PostgreSQL only, also a child process so it does not share autocannon's event loop.
  let floor: Child | null = null;
  if (target.databaseUrl) {
    const floorPort = await freePort();
    const floorEnv: NodeJS.ProcessEnv = { ...process.env, FLOOR_DATABASE_URL: target.databaseUrl, FLOOR_CONNECTIONS: String(args.connections), FLOOR_PORT: String(floorPort) };
    delete floorEnv.DATABASE_URL;
    floor = await startChild('floor server', FLOOR_COMMAND, floorEnv, floorPort, path.join(scratch, 'floor.log'));
    console.log(`Floor started in ${floor.startMs} ms (port ${floorPort}).`);
  } else {
    console.log('Floor: n/a on PGlite (the floor runs on PostgreSQL only).');
  }

  const token = await signToken(secret, { sub: 'bench-planner', role: 'planner', ttl: '24h' });
  const registryUrl = `http://127.0.0.1:${serverPort}/graphql`;
  const all: Record<WorkloadId, () => Workload> = {
    W1: () => staticRead('W1', 'plan-tree', 'W1-plan-tree.graphql'),
    W2: () => staticRead('W2', 'portfolio-page', 'W2-portfolio-page.graphql'),
    W3: () => staticRead('W3', 'funding-compare', 'W3-funding-compare.graphql'),
    W4: () => nodeWorkload(loaded.projectIds),
    W5: () => statusChangeWorkload(loaded.togglable, () => serverPort, token),
  };
  const workloads = args.only.map((id) => all[id]());

  // 3. Each document once, and the floor against it.
  console.log('Checking each workload once before the timed runs:');
  const floorChecks = new Map<WorkloadId, FloorCheck>();
  for (const workload of workloads) {
    const sample = workload.sample();
    const headers: Record<string, string> = { ...JSON_HEADERS, ...(workload.id === 'W5' ? { authorization: `Bearer ${token}` } : {}) };
    const answer = await fetchText(registryUrl, { method: 'POST', headers, body: sample.body });
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      parsed = undefined;
    }
    const problem =
      answer.status !== 200
        ? `HTTP ${answer.status}${graphqlError(answer.text) ? ` (${graphqlError(answer.text)})` : ''}`
        : parsed === undefined
          ? 'the response is not JSON'
          : graphqlError(answer.text);
    if (problem) {
      throw new BenchError(`${workload.id} ${workload.name} (bench/workloads/${workload.file}): the registry answered ${problem}. Its output:\n${tail(server.logFile, 15)}`);
    }
    const refused = workload.settleSample?.(sample.id ?? '', answer.text) ?? null;
    if (refused) throw new BenchError(`${workload.id} ${workload.name}: the registry refused the change: ${refused}`);
    let note = `${formatBytes(Buffer.byteLength(answer.text))}, ${answer.statements ?? '?'} SQL statements, no errors`;
    if (floor && workload.floorPath) {
      const floorAnswer = await fetchText(`http://127.0.0.1:${floor.port}${workload.floorPath(sample.id)}`);
      let check: FloorCheck;
      if (floorAnswer.status !== 200) {
        check = { matches: false, differences: [`the floor answered HTTP ${floorAnswer.status}: ${floorAnswer.text.slice(0, 300)}`] };
      } else {
        let floorParsed: unknown;
        try {
          floorParsed = JSON.parse(floorAnswer.text);
        } catch {
          floorParsed = undefined;
        }
        const found = floorParsed === undefined ? ['the floor answered something that is not JSON'] : differences(parsed, floorParsed);
        check = { matches: found.length === 0, differences: found };
      }
      floorChecks.set(workload.id, check);
      note += check.matches ? '; floor matches' : `; FLOOR DIFFERS:\n      ${check.differences.join('\n      ')}`;
    }
    console.log(`  ${workload.id} ${workload.name}: ${note}`);
  }

  // 4. The timed runs, each starting on idle servers.
  const pids = [server.process.pid!, ...(floor ? [floor.process.pid!] : [])];
  const settle = () => quiesce(pids, target.busyStatements);
  const run = async (port: number, requests: (collector: Collector) => autocannon.Request[], seconds: number) => {
    await settle();
    const collector = new Collector();
    return cannon(port, requests(collector), seconds, args.connections, collector);
  };
  const results: WorkloadResult[] = [];
  for (const workload of workloads) {
    const floorCheck = floorChecks.get(workload.id);
    process.stdout.write(`Running ${workload.id} ${workload.name}: registry`);
    await settle();
    rss.reset();
    await run(serverPort, (c) => workload.registryRequests(c), warmup);
    if (workload.afterRun) await settle().then(() => workload.afterRun!());
    const measured = await run(serverPort, (c) => workload.registryRequests(c), args.duration);
    await settle();
    await workload.afterRun?.();
    const peakRssMb = rss.peakMb();
    if (!running(server.process)) throw new BenchError(`The registry exited during ${workload.id}. Its output:\n${tail(server.logFile)}`);

    let floorResult: WorkloadResult['floor'] = null;
    if (floor && workload.floorRequests && floorCheck) {
      process.stdout.write(', floor');
      const floorRequests = workload.floorRequests.bind(workload);
      await run(floor.port, floorRequests, warmup);
      const floorMeasured = await run(floor.port, floorRequests, args.duration);
      floorResult = {
        matches: floorCheck.matches,
        differences: floorCheck.differences,
        rps: floorMeasured.rps,
        p50: floorMeasured.p50,
        p95: floorMeasured.p95,
        p99: floorMeasured.p99,
        bytes: floorMeasured.bytes,
        errors: floorMeasured.errors,
        firstError: floorMeasured.firstError,
      };
    }
    process.stdout.write('\n');
    results.push({
      id: workload.id,
      name: workload.name,
      rps: measured.rps,
      p50: measured.p50,
      p95: measured.p95,
      p99: measured.p99,
      statementsPerRequest: measured.statementsPerRequest,
      bytes: measured.bytes,
      floorRps: floorResult ? floorResult.rps : null,
      ratioToFloor: floorResult && floorResult.rps > 0 ? round(measured.rps / floorResult.rps, 3) : null,
      errors: measured.errors,
      ...(workload.id === 'W5' ? { conflicts: measured.conflicts } : {}),
      requests: measured.requests,
      seconds: measured.seconds,
      peakRssMb,
      firstError: measured.firstError,
      floor: floorResult,
    });
  }

  await settle();

  // 5. The table and the file.
  const nameWidth = Math.max(...results.map((r) => r.name.length));
  console.log('');
  for (const result of results) console.log(tableLine(result, nameWidth));
  for (const result of results) {
    if (result.requests === 0) console.log(`  ${result.id}: no response came back within the ${args.duration} s run: one takes longer than that here`);
    if (result.firstError) console.log(`  ${result.id} first error: ${result.firstError}`);
    if (result.floor && !result.floor.matches) console.log(`  ${result.id} floor differs from the registry: ${result.floor.differences.join('; ')}`);
    if (result.floor?.firstError) console.log(`  ${result.id} floor first error: ${result.floor.firstError}`);
  }
  console.log(`Server peak RSS ${rss.overallMb() ?? '-'} MB.`);

  const cpus = os.cpus();
  const output = {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGb: round(os.totalmem() / 1024 ** 3, 1),
      node: process.version,
      platform: `${process.platform} ${os.release()} ${process.arch}`,
    },
    config: {
      database: args.database,
      projects: args.projects,
      duration: args.duration,
      connections: args.connections,
      warmup,
      seed: SEED,
      workloads: args.only,
    },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    load: { seconds: round(loaded.seconds, 1), ...loaded.report, plan: { code: PLAN_CODE, ...loaded.plan } },
    server: { command: `node ${SERVER_COMMAND.join(' ')}`, startMs: server.startMs, peakRssMb: rss.overallMb() },
    workloads: results,
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}.`);
  return 0;
}

main()
  .catch((error: unknown) => {
    if (interrupted) return 1;
    if (error instanceof BenchError) console.error(error.message);
    else console.error('The bench failed:', error);
    return 1;
  })
  .then(async (code) => {
    await cleanup();
    // On a signal, its handler exits with 128 + the signal's number once the clean-up is done.
    if (!interrupted) process.exit(code);
  });
