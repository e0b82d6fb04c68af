/**
 * The synthetic portfolio as a whole, what the entry seeds/synthetic.ts offers: counting and deleting every SYN- row,
 * and generating a portfolio of a given size from a seed, drawn part by part (agencies, plans, projects) and written
 * in one transaction with progress reported by phase.
 */

import { count, inArray, like, or } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { agencies, agencySuccessions, fundingSources, plans, projects, sourceReferences } from '../../src/db/schema';
import { seedDatabase } from '../load';
import { generateAgencies } from './agencies';
import { assignPlans, generatePlans } from './plans';
import { generateProject, type GenProject, type ProjectContext } from './projects';
import { stream } from './random';
import { SYNTHETIC_SOURCE_URL, syntheticSources } from './sources';
import { FUNDING_CODES } from './vocabulary';
import { insertAgencies, insertPlans, insertProjects, insertSources } from './write';

export const SYNTHETIC_PREFIX = 'SYN-';

export interface SyntheticOptions {
  projects: number;
  seed: number;
  onProgress?: (done: number, total: number, phase: string) => void;
}

export interface SyntheticReport {
  plans: number;
  sections: number;
  tasks: number;
  agencies: number;
  successions: number;
  projects: number;
  allocations: number;
  statusChanges: number;
  locations: number;
  taskLinks: number;
}

export class SyntheticDataError extends Error {
  override name = 'SyntheticDataError';
}

/** Projects are drawn and written this many at a time, so a large portfolio never sits in memory whole. */
const PROJECT_CHUNK = 1000;

/** Counts of rows whose code starts with SYN-: projects, plans, agencies. */
export async function countSyntheticRows(db: Db): Promise<{ projects: number; plans: number; agencies: number }> {
  const pattern = `${SYNTHETIC_PREFIX}%`;
  const [[p], [pl], [a]] = await Promise.all([
    db.select({ n: count() }).from(projects).where(like(projects.code, pattern)),
    db.select({ n: count() }).from(plans).where(like(plans.code, pattern)),
    db.select({ n: count() }).from(agencies).where(like(agencies.code, pattern)),
  ]);
  return { projects: Number(p.n), plans: Number(pl.n), agencies: Number(a.n) };
}

/** Deletes every SYN- row (projects, plans, agencies and what hangs off them) and the synthetic sources, in one
 * transaction. */
export async function deleteSyntheticPortfolio(db: Db): Promise<{ projects: number; plans: number; agencies: number }> {
  const pattern = `${SYNTHETIC_PREFIX}%`;
  return db.transaction(async (tx) => {
    // Projects first: their tasks, locations, history, funding and citations go with them (cascade).
    const deletedProjects = await tx
      .delete(projects)
      .where(like(projects.code, pattern))
      .returning({ id: projects.id });
    await tx.delete(sourceReferences).where(like(sourceReferences.url, `${SYNTHETIC_SOURCE_URL}%`));
    // Plans take their sections, tasks, targets and assignments with them.
    const deletedPlans = await tx.delete(plans).where(like(plans.code, pattern)).returning({ id: plans.id });
    const synthetic = tx.select({ id: agencies.id }).from(agencies).where(like(agencies.code, pattern));
    await tx
      .delete(agencySuccessions)
      .where(
        or(inArray(agencySuccessions.predecessorId, synthetic), inArray(agencySuccessions.successorId, synthetic)),
      );
    const deletedAgencies = await tx
      .delete(agencies)
      .where(like(agencies.code, pattern))
      .returning({ id: agencies.id });
    return { projects: deletedProjects.length, plans: deletedPlans.length, agencies: deletedAgencies.length };
  });
}

/**
 * Adds a synthetic portfolio of `options.projects` projects to the database, deterministically from `options.seed`,
 * in one transaction. The database must hold no SYN- rows yet (see deleteSyntheticPortfolio). Funding sources come
 * from the real seed data, which is loaded first when the database has none.
 */
export async function generateSyntheticPortfolio(db: Db, options: SyntheticOptions): Promise<SyntheticReport> {
  const { projects: projectCount, seed, onProgress } = options;
  if (!Number.isInteger(projectCount) || projectCount < 1 || projectCount > 1_000_000) {
    throw new SyntheticDataError(`projects must be an integer from 1 to 1,000,000, got ${projectCount}`);
  }
  if (!Number.isSafeInteger(seed)) throw new SyntheticDataError(`seed must be an integer, got ${seed}`);

  const existing = await countSyntheticRows(db);
  if (existing.projects + existing.plans + existing.agencies > 0) {
    throw new SyntheticDataError(
      `The database already holds synthetic data (${existing.projects} SYN- projects, ${existing.plans} plans, ${existing.agencies} agencies); delete it first.`,
    );
  }
  const [{ n: fundingCount }] = await db.select({ n: count() }).from(fundingSources);
  if (Number(fundingCount) === 0) await seedDatabase(db);
  const fundingRows = await db
    .select({ id: fundingSources.id, code: fundingSources.code })
    .from(fundingSources)
    .where(inArray(fundingSources.code, FUNDING_CODES));
  const fundingIds = new Map(fundingRows.map((r) => [r.code, r.id]));
  const missing = FUNDING_CODES.filter((c) => !fundingIds.has(c));
  if (missing.length > 0) throw new SyntheticDataError(`funding_sources lacks ${missing.join(', ')}`);

  // Everything below depends on the seed and the size only.
  const structure = generateAgencies(seed);
  const genPlans = generatePlans(seed, structure.provinces, projectCount);
  const planCount = genPlans.length;
  const planOf = assignPlans(seed, genPlans, projectCount);
  const ctx: ProjectContext = { seed, plans: genPlans, provinces: structure.provinces, planOf };
  const taskCursor = new Int32Array(planCount);
  const projectRng = stream(seed, 'projects');
  const width = Math.max(6, String(projectCount).length);

  const report: SyntheticReport = {
    plans: 0,
    sections: 0,
    tasks: 0,
    agencies: 0,
    successions: 0,
    projects: 0,
    allocations: 0,
    statusChanges: 0,
    locations: 0,
    taskLinks: 0,
  };

  return db.transaction(async (tx) => {
    onProgress?.(0, 1, 'agencies');
    const agencyIds = await insertAgencies(tx, structure.agencies, structure.successions);
    report.agencies = structure.agencies.length;
    report.successions = structure.successions.length;
    onProgress?.(1, 1, 'agencies');

    onProgress?.(0, planCount, 'plans');
    const taskIds = new Map<string, number>();
    const planChunk = 50;
    for (let i = 0; i < genPlans.length; i += planChunk) {
      const chunk = genPlans.slice(i, i + planChunk);
      const counts = await insertPlans(tx, chunk, agencyIds, taskIds);
      report.plans += chunk.length;
      report.sections += counts.sections;
      report.tasks += counts.tasks;
      onProgress?.(report.plans, planCount, 'plans');
    }

    const sourceIds = await insertSources(tx, syntheticSources());

    onProgress?.(0, projectCount, 'projects');
    for (let start = 0; start < projectCount; start += PROJECT_CHUNK) {
      const chunk: GenProject[] = [];
      for (let i = start; i < Math.min(projectCount, start + PROJECT_CHUNK); i++)
        chunk.push(generateProject(projectRng, i, width, ctx, taskCursor));
      const counts = await insertProjects(tx, chunk, { agencyIds, taskIds, fundingIds, sourceIds, seed });
      report.projects += chunk.length;
      report.allocations += counts.allocations;
      report.statusChanges += counts.statusChanges;
      report.locations += counts.locations;
      report.taskLinks += counts.taskLinks;
      onProgress?.(report.projects, projectCount, 'projects');
    }
    return report;
  });
}
