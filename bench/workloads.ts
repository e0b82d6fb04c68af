/**
 * The workloads: W1 to W3 send one fixed document (bench/workloads/), W4 asks for a random project by its node ID,
 * and W5 toggles random projects between UNDER_CONSTRUCTION and SUSPENDED with their expected version, keeping
 * track of each project's version so that conflicts stay the honest exception. Each gives the requests for the
 * registry and, for reads, for its floor.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type autocannon from 'autocannon';
import { today } from '../src/lib/dates';
import { toGlobalId } from '../src/lib/global-id';
import type { Loaded, ToggleStatus } from './database';
import { BenchError } from './helpers';
import type { Collector } from './load';
import type { WorkloadId } from './options';

const WORKLOAD_DIR = path.join(__dirname, 'workloads');

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

export interface Workload {
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

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

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
      {
        method: 'POST',
        path: '/graphql',
        headers: JSON_HEADERS,
        body,
        onResponse: (status, text, _context, headers) => void collector.record(status, text, headers),
      },
    ],
    sample: () => ({ body }),
    floorPath: () => `/${id}`,
    floorRequests: (collector) => [
      {
        method: 'GET',
        path: `/${id}`,
        onResponse: (status, text, _context, headers) => void collector.record(status, text, headers),
      },
    ],
  };
}

function nodeWorkload(projectIds: number[]): Workload {
  const file = 'W4-node.graphql';
  const query = readDocument(file);
  const ids = projectIds.map((id) => toGlobalId('Project', id));
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
  const slots: Slot[] = candidates.map((c) => ({
    ...c,
    globalId: toGlobalId('Project', c.id),
    busy: false,
    stale: false,
    retired: false,
  }));
  if (slots.length === 0)
    throw new BenchError('W5 status-change: no project of the portfolio is UNDER_CONSTRUCTION or SUSPENDED.');
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
          effectiveOn: today(),
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
        body: JSON.stringify({
          query: 'query BenchVersions($ids: [ID!]!) { nodes(ids: $ids) { ... on Project { id status version } } }',
          variables: { ids },
        }),
      });
      const parsed = (await res.json()) as {
        data?: { nodes?: ({ id: string; status: string; version: number } | null)[] };
      };
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

/** The workloads `ids` names, in that order, over the loaded portfolio; W5 writes through the registry on `port`. */
export function createWorkloads(ids: WorkloadId[], loaded: Loaded, port: () => number, token: string): Workload[] {
  const all: Record<WorkloadId, () => Workload> = {
    W1: () => staticRead('W1', 'plan-tree', 'W1-plan-tree.graphql'),
    W2: () => staticRead('W2', 'portfolio-page', 'W2-portfolio-page.graphql'),
    W3: () => staticRead('W3', 'funding-compare', 'W3-funding-compare.graphql'),
    W4: () => nodeWorkload(loaded.projectIds),
    W5: () => statusChangeWorkload(loaded.togglable, port, token),
  };
  return ids.map((id) => all[id]());
}
