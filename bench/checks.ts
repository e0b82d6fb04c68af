/**
 * The checks before the timed runs: each workload's request once against the registry, which must answer without
 * errors (a W5 change must be written), and on PostgreSQL the same request against the floor, whose answer is
 * compared with the registry's; the differences are printed and kept for the results.
 */

import { isDeepStrictEqual } from 'node:util';
import { BenchError } from './helpers';
import { graphqlError, REQUEST_TIMEOUT_S } from './load';
import type { WorkloadId } from './options';
import { formatBytes } from './report';
import { tail, type Child } from './servers';
import { JSON_HEADERS, type Workload } from './workloads';

export interface FloorCheck {
  matches: boolean;
  differences: string[];
}

async function fetchText(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; text: string; statements: string | null }> {
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
    if (registry.length !== floor.length)
      out.push(`${at}: registry has ${registry.length} items, floor ${floor.length}`);
    for (let i = 0; i < Math.min(registry.length, floor.length) && out.length < limit; i++)
      differences(registry[i], floor[i], limit, `${at}[${i}]`, out);
    return out;
  }
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** `text` as JSON, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Sends each workload's sample request to the registry at `registryUrl` (and to the floor, when there is one) and
 * prints what came back; answers the floor's comparison by workload. Throws when the registry answers an error.
 */
export async function checkWorkloads(
  workloads: Workload[],
  registryUrl: string,
  registry: Child,
  floor: Child | null,
  token: string,
): Promise<Map<WorkloadId, FloorCheck>> {
  console.log('Checking each workload once before the timed runs:');
  const floorChecks = new Map<WorkloadId, FloorCheck>();
  for (const workload of workloads) {
    const sample = workload.sample();
    const headers: Record<string, string> = {
      ...JSON_HEADERS,
      ...(workload.id === 'W5' ? { authorization: `Bearer ${token}` } : {}),
    };
    const answer = await fetchText(registryUrl, { method: 'POST', headers, body: sample.body });
    const parsed = parseJson(answer.text);
    const problem =
      answer.status !== 200
        ? `HTTP ${answer.status}${graphqlError(answer.text) ? ` (${graphqlError(answer.text)})` : ''}`
        : parsed === undefined
          ? 'the response is not JSON'
          : graphqlError(answer.text);
    if (problem) {
      throw new BenchError(
        `${workload.id} ${workload.name} (bench/workloads/${workload.file}): the registry answered ${problem}. Its output:\n${tail(registry.logFile, 15)}`,
      );
    }
    const refused = workload.settleSample?.(sample.id ?? '', answer.text) ?? null;
    if (refused) throw new BenchError(`${workload.id} ${workload.name}: the registry refused the change: ${refused}`);
    let note = `${formatBytes(Buffer.byteLength(answer.text))}, ${answer.statements ?? '?'} SQL statements, no errors`;
    if (floor && workload.floorPath) {
      const floorAnswer = await fetchText(`http://127.0.0.1:${floor.port}${workload.floorPath(sample.id)}`);
      let check: FloorCheck;
      if (floorAnswer.status !== 200) {
        check = {
          matches: false,
          differences: [`the floor answered HTTP ${floorAnswer.status}: ${floorAnswer.text.slice(0, 300)}`],
        };
      } else {
        const floorParsed = parseJson(floorAnswer.text);
        const found =
          floorParsed === undefined
            ? ['the floor answered something that is not JSON']
            : differences(parsed, floorParsed);
        check = { matches: found.length === 0, differences: found };
      }
      floorChecks.set(workload.id, check);
      note += check.matches ? '; floor matches' : `; FLOOR DIFFERS:\n      ${check.differences.join('\n      ')}`;
    }
    console.log(`  ${workload.id} ${workload.name}: ${note}`);
  }
  return floorChecks;
}
