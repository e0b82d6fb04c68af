/**
 * The child processes a run starts, the registry in production mode and, on PostgreSQL, the floor: started with
 * their output in the scratch directory and waited for until GET /health answers, stopped at clean-up, watched for
 * their memory (VmRSS) and CPU, and waited for until idle between the timed runs.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { onCleanup } from './cleanup';
import type { Target } from './database';
import { BenchError, errorMessage, round, sleep } from './helpers';

const ROOT = path.resolve(__dirname, '..');
export const SERVER_COMMAND = ['--import', 'tsx', 'src/main.ts'];
const FLOOR_COMMAND = ['--import', 'tsx', 'bench/floor/server.ts'];

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

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

export interface Child {
  name: string;
  process: ChildProcess;
  port: number;
  logFile: string;
  startMs: number;
}

export const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

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
async function startChild(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  logFile: string,
): Promise<Child> {
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
    if (!running(child))
      throw new BenchError(
        `The ${name} exited (code ${child.exitCode ?? child.signalCode}) before it answered. Its output:\n${tail(logFile)}`,
      );
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
      await res.text();
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new BenchError(`The ${name} did not answer GET /health within 120 s. Its output:\n${tail(logFile)}`);
    await sleep(100);
  }
  handle.startMs = Math.round(performance.now() - started);
  return handle;
}

/** Samples a process's resident set size (VmRSS) every 200 ms and keeps the peak. */
export function rssSampler(pid: number) {
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
export async function quiesce(pids: number[], busyStatements?: () => Promise<number>): Promise<void> {
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

/** The registry in production mode on the bench database, signing tokens with `secret`; its log in `scratch`. */
export async function startRegistry(target: Target, secret: string, scratch: string): Promise<Child> {
  const serverEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'PGLITE_DATA_DIR',
    'BENCH_DATABASE_URL',
    'JWT_PUBLIC_KEY',
    'JWT_JWKS_URL',
    'JWT_ISSUER',
    'JWT_AUDIENCE',
    'JWT_ROLES_CLAIM',
    'REQUIRE_AUTH_FOR_READS',
  ]) {
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
  return startChild('registry', SERVER_COMMAND, serverEnv, serverPort, path.join(scratch, 'registry.log'));
}

/** The floor on the PostgreSQL database at `databaseUrl`, with a pool of `connections`; its log in `scratch`. */
export async function startFloor(databaseUrl: string, connections: number, scratch: string): Promise<Child> {
  const floorPort = await freePort();
  const floorEnv: NodeJS.ProcessEnv = {
    ...process.env,
    FLOOR_DATABASE_URL: databaseUrl,
    FLOOR_CONNECTIONS: String(connections),
    FLOOR_PORT: String(floorPort),
  };
  delete floorEnv.DATABASE_URL;
  return startChild('floor server', FLOOR_COMMAND, floorEnv, floorPort, path.join(scratch, 'floor.log'));
}
