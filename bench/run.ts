import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { signToken } from '../src/http/auth';
import { argumentsOrExitCode } from '../seeds/cli-options';
import { checkWorkloads } from './checks';
import { cleanup, cleanUpOnSignals, onCleanup, wasInterrupted } from './cleanup';
import { createDatabase, loadDatabase, PLAN_CODE } from './database';
import { BenchError, round } from './helpers';
import { cannon, Collector } from './load';
import { parseArgs, USAGE } from './options';
import { printResults, writeResults, type WorkloadResult } from './report';
import { quiesce, rssSampler, running, SERVER_COMMAND, startFloor, startRegistry, tail, type Child } from './servers';
import { createWorkloads } from './workloads';

/**
 * `npm run bench -- [--database pglite|postgres] [--projects N] [--duration S] [--connections C] [--only W1,W2]`
 *
 * Builds a fresh database (PostgreSQL from BENCH_DATABASE_URL, or PGlite in a temporary directory) with the plan's
 * real data and a synthetic portfolio, starts the registry as a child process in production mode, and drives each
 * workload with autocannon for a fixed time after a warm-up, at a fixed concurrency. On PostgreSQL every read
 * workload also runs against its floor (bench/floor/: one hand-written statement per request behind a bare HTTP
 * server), and the registry's throughput is shown as a fraction of the floor's. Prints a table and writes
 * bench/results/latest.json. Benchmarks are not tests: nothing here asserts a time.
 *
 * This file is the run, step by step; its parts are options.ts (the command line), cleanup.ts, database.ts (creating
 * and loading the database), servers.ts (the registry and the floor as child processes), workloads.ts, checks.ts
 * (each workload once, and the floor against it), load.ts (autocannon runs and their figures) and report.ts.
 */

cleanUpOnSignals();

async function main(): Promise<number> {
  const args = argumentsOrExitCode(() => parseArgs(process.argv.slice(2), process.env), USAGE);
  if (typeof args === 'number') return args;
  const warmup = args.duration < 5 ? 1 : 3;
  const startedAt = new Date();
  console.log(
    `Infrastructure Plan Registry bench: ${args.database}, ${args.projects.toLocaleString('en')} projects, ` +
      `${args.only.join(' ')}, ${args.duration} s each after ${warmup} s of warm-up, ${args.connections} connections.`,
  );

  // 1. A fresh database, migrated and loaded.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ipr-bench-'));
  onCleanup(`remove ${scratch}`, () => rmSync(scratch, { recursive: true, force: true }));
  const target = await createDatabase(args.database, scratch);
  console.log(
    `Loading the ${target.kind} database at ${target.location}: migrations, the plan's data, ${args.projects.toLocaleString('en')} synthetic projects.`,
  );
  const loaded = await loadDatabase(target, args.projects);
  console.log(
    `Loaded in ${loaded.seconds.toFixed(1)} s: ${loaded.report.projects.toLocaleString('en')} synthetic projects, ` +
      `${loaded.report.allocations.toLocaleString('en')} allocations, ${loaded.report.plans} plans. ` +
      `${PLAN_CODE}: ${loaded.plan.sections} sections, ${loaded.plan.tasks} tasks, ${loaded.plan.projects.toLocaleString('en')} projects (${loaded.plan.links.toLocaleString('en')} task links).`,
  );

  // 2. The registry, in production mode, as a child process.
  const secret = randomBytes(36).toString('base64url'); // 48 characters
  const server = await startRegistry(target, secret, scratch);
  const serverPort = server.port;
  const rss = rssSampler(server.process.pid!);
  onCleanup('stop sampling RSS', () => rss.stop());
  console.log(
    `Registry started in ${server.startMs} ms (node ${SERVER_COMMAND.join(' ')}, pid ${server.process.pid}, port ${serverPort}).`,
  );

  // The floor: PostgreSQL only, also a child process so it does not share autocannon's event loop.
  let floor: Child | null = null;
  if (target.databaseUrl) {
    floor = await startFloor(target.databaseUrl, args.connections, scratch);
    console.log(`Floor started in ${floor.startMs} ms (port ${floor.port}).`);
  } else {
    console.log('Floor: n/a on PGlite (the floor runs on PostgreSQL only).');
  }

  const token = await signToken(secret, { sub: 'bench-planner', role: 'planner', ttl: '24h' });
  const registryUrl = `http://127.0.0.1:${serverPort}/graphql`;
  const workloads = createWorkloads(args.only, loaded, () => serverPort, token);

  // 3. Each document once, and the floor against it.
  const floorChecks = await checkWorkloads(workloads, registryUrl, server, floor, token);

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
    if (!running(server.process))
      throw new BenchError(`The registry exited during ${workload.id}. Its output:\n${tail(server.logFile)}`);

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
  printResults(results, args.duration, rss.overallMb());
  writeResults({
    args,
    warmup,
    startedAt,
    loaded,
    server: { startMs: server.startMs, peakRssMb: rss.overallMb() },
    results,
  });
  return 0;
}

main()
  .catch((error: unknown) => {
    if (wasInterrupted()) return 1;
    if (error instanceof BenchError) console.error(error.message);
    else console.error('The bench failed:', error);
    return 1;
  })
  .then(async (code) => {
    await cleanup();
    // On a signal, its handler exits with 128 + the signal's number once the clean-up is done.
    if (!wasInterrupted()) process.exit(code);
  });
