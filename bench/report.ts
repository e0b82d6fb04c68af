/**
 * The report of a run: one table line per workload (throughput, latency percentiles, statements and bytes per
 * request, the floor and the ratio to it, errors, peak memory) with notes under it, and bench/results/latest.json
 * with the machine, the configuration, the load and every figure.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PLAN_CODE, SEED, type Loaded } from './database';
import { round } from './helpers';
import type { Args, WorkloadId } from './options';
import { SERVER_COMMAND } from './servers';

const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const formatMs = (ms: number | null) =>
  ms === null ? '-' : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
const formatRps = (rps: number) => (rps >= 100 ? rps.toFixed(0) : rps.toFixed(1));

export interface WorkloadResult {
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

/** Prints the table and, under it, what went wrong or differs, then the registry's peak memory over the run. */
export function printResults(results: WorkloadResult[], duration: number, serverPeakRssMb: number | null): void {
  const nameWidth = Math.max(...results.map((r) => r.name.length));
  console.log('');
  for (const result of results) console.log(tableLine(result, nameWidth));
  for (const result of results) {
    if (result.requests === 0)
      console.log(
        `  ${result.id}: no response came back within the ${duration} s run: one takes longer than that here`,
      );
    if (result.firstError) console.log(`  ${result.id} first error: ${result.firstError}`);
    if (result.floor && !result.floor.matches)
      console.log(`  ${result.id} floor differs from the registry: ${result.floor.differences.join('; ')}`);
    if (result.floor?.firstError) console.log(`  ${result.id} floor first error: ${result.floor.firstError}`);
  }
  console.log(`Server peak RSS ${serverPeakRssMb ?? '-'} MB.`);
}

/** What bench/results/latest.json records of a run besides the machine. */
export interface RunRecord {
  args: Args;
  warmup: number;
  startedAt: Date;
  loaded: Loaded;
  server: { startMs: number; peakRssMb: number | null };
  results: WorkloadResult[];
}

/** Writes bench/results/latest.json (finished now) and says so. */
export function writeResults({ args, warmup, startedAt, loaded, server, results }: RunRecord): void {
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
    server: { command: `node ${SERVER_COMMAND.join(' ')}`, startMs: server.startMs, peakRssMb: server.peakRssMb },
    workloads: results,
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}.`);
}
