import { readFileSync } from 'node:fs';
import path from 'node:path';
import { count, inArray } from 'drizzle-orm';
import type { Db } from '../src/db/client';
import { flattenSections, PlanWriter } from '../src/modules/plan/plan.writer';
import { vndEquivalent } from '../src/modules/project/project.writer';
import { sourceFingerprint, SourceWriter } from '../src/modules/source/source.writer';
import {
  agencies,
  agencySources,
  agencySuccessions,
  allocationSources,
  fundingAllocations,
  fundingSources,
  legalDocuments,
  plans,
  planTasks,
  projectLocations,
  projects,
  projectSources,
  projectStatusChanges,
  projectTasks,
  statusChangeSources,
  successionSources,
} from '../src/db/schema';
import type {
  SeedAgency,
  SeedAgencySuccession,
  SeedFundingSource,
  SeedLegalDocument,
  SeedPlan,
  SeedProject,
  SeedSource,
} from './types';

export const seedDataDirectory = path.resolve(__dirname, 'data');

export interface SeedData {
  legalDocuments: SeedLegalDocument[];
  agencies: SeedAgency[];
  successions: SeedAgencySuccession[];
  fundingSources: SeedFundingSource[];
  plans: SeedPlan[];
  projects: SeedProject[];
}

export interface SeedReport {
  plansAdded: number;
  projectsAdded: number;
  agenciesAdded: number;
  documentsAdded: number;
}

export class SeedDataError extends Error {
  override name = 'SeedDataError';
}

const nfc = <T>(value: T): T => JSON.parse(JSON.stringify(value).normalize('NFC')) as T;

export function readSeedData(directory = seedDataDirectory): SeedData {
  const read = <T>(file: string): T => nfc(JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as T);
  return {
    legalDocuments: read('legal-documents.json'),
    agencies: read('agencies.json'),
    successions: read('agency-successions.json'),
    fundingSources: read('funding-sources.json'),
    plans: [read<SeedPlan>('plan-6408-KH-UBND.json')],
    projects: read('projects.json'),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^\d{1,22}(\.\d{1,2})?$/;
const RATE = /^\d{1,14}(\.\d{1,6})?$/;

/** Every cross-reference and figure checked before anything is written; all problems reported at once. */
export function checkSeedData(data: SeedData): void {
  const problems: string[] = [];
  const documentCodes = new Set(data.legalDocuments.map((d) => d.code));
  const agencyCodes = new Set(data.agencies.map((a) => a.code));
  const fundingCodes = new Set(data.fundingSources.map((f) => f.code));
  const taskCodes = new Set<string>();
  const date = (where: string, value: string | undefined) => {
    if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value))))
      problems.push(`${where}: "${value}" is not a YYYY-MM-DD date`);
  };
  const source = (where: string, s: SeedSource) => {
    if (!s.url && !s.documentCode) problems.push(`${where}: a source needs a url or a documentCode`);
    if (s.documentCode && !documentCodes.has(s.documentCode))
      problems.push(`${where}: unknown document ${s.documentCode}`);
    if (!s.title) problems.push(`${where}: a source needs a title`);
    if (!['HIGH', 'MEDIUM', 'LOW'].includes(s.confidence))
      problems.push(`${where}: confidence must be HIGH, MEDIUM or LOW`);
    date(`${where} retrievedOn`, s.retrievedOn);
    date(`${where} publishedOn`, s.publishedOn);
  };
  const money = (
    where: string,
    m: { amount: string | null; currency: string; rateToVnd?: string; rateDate?: string },
  ) => {
    if (m.amount !== null && !DECIMAL.test(m.amount))
      problems.push(`${where}: amount "${m.amount}" is not a decimal string with at most 2 decimals`);
    if (!/^[A-Z]{3}$/.test(m.currency)) problems.push(`${where}: currency "${m.currency}" is not an ISO 4217 code`);
    if (m.currency !== 'VND' && m.amount !== null && (!m.rateToVnd || !m.rateDate))
      problems.push(`${where}: a ${m.currency} amount needs rateToVnd and rateDate`);
    if (m.rateToVnd !== undefined && !RATE.test(m.rateToVnd))
      problems.push(`${where}: rateToVnd "${m.rateToVnd}" is not a decimal with at most 6 decimals`);
    date(`${where} rateDate`, m.rateDate);
  };

  for (const agency of data.agencies) {
    date(`agency ${agency.code} validFrom`, agency.validFrom);
    date(`agency ${agency.code} validTo`, agency.validTo);
    (agency.sources ?? []).forEach((s, i) => source(`agency ${agency.code} source ${i + 1}`, s));
  }
  for (const s of data.successions) {
    const where = `succession ${s.predecessorCode} → ${s.successorCode}`;
    if (!agencyCodes.has(s.predecessorCode)) problems.push(`${where}: unknown agency ${s.predecessorCode}`);
    if (!agencyCodes.has(s.successorCode)) problems.push(`${where}: unknown agency ${s.successorCode}`);
    if (s.documentCode && !documentCodes.has(s.documentCode))
      problems.push(`${where}: unknown document ${s.documentCode}`);
    date(where, s.effectiveOn);
    s.sources.forEach((src, i) => source(`${where} source ${i + 1}`, src));
  }
  for (const plan of data.plans) {
    if (!agencyCodes.has(plan.issuerCode)) problems.push(`plan ${plan.code}: unknown issuer ${plan.issuerCode}`);
    date(`plan ${plan.code}`, plan.issuedOn);
    for (const basis of plan.legalBasis) {
      if (!documentCodes.has(basis.documentCode))
        problems.push(`plan ${plan.code}: unknown legal basis ${basis.documentCode}`);
    }
    const numbers = new Set<string>();
    for (const { section } of flattenSections(plan)) {
      if (numbers.has(section.number)) problems.push(`plan ${plan.code}: section ${section.number} appears twice`);
      numbers.add(section.number);
      for (const a of section.assignments ?? []) {
        if (!agencyCodes.has(a.agencyCode)) problems.push(`section ${section.number}: unknown agency ${a.agencyCode}`);
      }
      (section.tasks ?? []).forEach((_, i) => taskCodes.add(`${section.number}.${i + 1}`));
    }
  }
  const projectCodes = new Set<string>();
  for (const project of data.projects) {
    const where = `project ${project.code}`;
    if (projectCodes.has(project.code)) problems.push(`${where}: code appears twice`);
    projectCodes.add(project.code);
    if (project.ownerAgencyCode && !agencyCodes.has(project.ownerAgencyCode))
      problems.push(`${where}: unknown owner ${project.ownerAgencyCode}`);
    for (const code of project.taskCodes) if (!taskCodes.has(code)) problems.push(`${where}: unknown task ${code}`);
    if (project.lengthKm !== undefined && !/^\d{1,7}(\.\d{1,3})?$/.test(project.lengthKm))
      problems.push(`${where}: lengthKm "${project.lengthKm}" is not a decimal`);
    if (project.totalInvestment) money(`${where} totalInvestment`, project.totalInvestment);
    date(`${where} plannedStart`, project.plannedStart);
    date(`${where} plannedCompletion`, project.plannedCompletion);
    if (project.statusHistory.length === 0) problems.push(`${where}: needs at least one status`);
    project.statusHistory.forEach((entry, i) => {
      date(`${where} status ${i + 1}`, entry.effectiveOn);
      if (i > 0 && entry.effectiveOn < project.statusHistory[i - 1].effectiveOn)
        problems.push(`${where}: status history is not in date order`);
      entry.sources.forEach((s, j) => source(`${where} status ${i + 1} source ${j + 1}`, s));
    });
    project.funding.forEach((allocation, i) => {
      if (!fundingCodes.has(allocation.sourceCode))
        problems.push(`${where} funding ${i + 1}: unknown source ${allocation.sourceCode}`);
      money(`${where} funding ${i + 1}`, allocation);
      allocation.sources.forEach((s, j) => source(`${where} funding ${i + 1} source ${j + 1}`, s));
    });
    project.sources.forEach((s, i) => source(`${where} source ${i + 1}`, s));
  }
  if (problems.length > 0)
    throw new SeedDataError(`The seed data has ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Loads the seed data in one transaction. Idempotent: what exists (matched by code) is left as it is, so a second
 * run changes nothing and never overwrites what planners have recorded since.
 */
export async function seedDatabase(db: Db, data: SeedData = readSeedData()): Promise<SeedReport> {
  checkSeedData(data);
  return db.transaction(async (tx) => {
    const report: SeedReport = { plansAdded: 0, projectsAdded: 0, agenciesAdded: 0, documentsAdded: 0 };

    await tx
      .insert(fundingSources)
      .values(
        data.fundingSources.map((f, i) => ({
          code: f.code,
          nameVi: f.nameVi,
          nameEn: f.nameEn,
          category: f.category,
          description: f.description ?? null,
          position: i + 1,
        })),
      )
      .onConflictDoNothing({ target: fundingSources.code });

    const docs = await tx
      .insert(legalDocuments)
      .values(
        data.legalDocuments.map((d) => ({
          code: d.code,
          kind: d.kind,
          title: d.title,
          titleEn: d.titleEn ?? null,
          issuedOn: d.issuedOn ?? null,
          issuer: d.issuer,
          url: d.url ?? null,
          note: d.note ?? null,
        })),
      )
      .onConflictDoNothing({ target: legalDocuments.code })
      .returning({ id: legalDocuments.id });
    report.documentsAdded = docs.length;

    const added = await tx
      .insert(agencies)
      .values(
        data.agencies.map((a) => ({
          code: a.code,
          name: a.name,
          nameEn: a.nameEn,
          kind: a.kind,
          jurisdictionCode: a.jurisdictionCode,
          jurisdiction: a.jurisdiction,
          validFrom: a.validFrom ?? null,
          validTo: a.validTo ?? null,
        })),
      )
      .onConflictDoNothing({ target: agencies.code })
      .returning({ id: agencies.id });
    report.agenciesAdded = added.length;

    const documentIds = await idsByCode(
      tx,
      legalDocuments,
      data.legalDocuments.map((d) => d.code),
    );
    const agencyIds = await idsByCode(
      tx,
      agencies,
      data.agencies.map((a) => a.code),
    );
    const fundingIds = await idsByCode(
      tx,
      fundingSources,
      data.fundingSources.map((f) => f.code),
    );
    const sourceIds = await storeAllSources(tx, data);
    const cite = (sources: SeedSource[] | undefined) =>
      (sources ?? []).map((s, i) => ({
        sourceId: sourceIds.get(sourceFingerprint(s))!,
        supports: s.supports ?? '',
        position: i + 1,
      }));

    const agencyCitations = data.agencies.flatMap((a) =>
      cite(a.sources).map((c) => ({ ...c, ownerId: agencyIds.get(a.code)! })),
    );
    if (agencyCitations.length > 0) await tx.insert(agencySources).values(agencyCitations).onConflictDoNothing();

    if (data.successions.length > 0) {
      await tx
        .insert(agencySuccessions)
        .values(
          data.successions.map((s) => ({
            predecessorId: agencyIds.get(s.predecessorCode)!,
            successorId: agencyIds.get(s.successorCode)!,
            kind: s.kind,
            effectiveOn: s.effectiveOn,
            dateInferred: s.dateInferred,
            documentId: s.documentCode ? documentIds.get(s.documentCode)! : null,
            reason: s.reason,
            note: s.note ?? null,
          })),
        )
        .onConflictDoNothing();
      const rows = await tx
        .select({
          id: agencySuccessions.id,
          predecessorId: agencySuccessions.predecessorId,
          successorId: agencySuccessions.successorId,
          effectiveOn: agencySuccessions.effectiveOn,
        })
        .from(agencySuccessions);
      const key = (p: number, s: number, d: string) => `${p}|${s}|${d}`;
      const successionIds = new Map(rows.map((r) => [key(r.predecessorId, r.successorId, r.effectiveOn), r.id]));
      const citations = data.successions.flatMap((s) =>
        cite(s.sources).map((c) => ({
          ...c,
          ownerId: successionIds.get(
            key(agencyIds.get(s.predecessorCode)!, agencyIds.get(s.successorCode)!, s.effectiveOn),
          )!,
        })),
      );
      if (citations.length > 0) await tx.insert(successionSources).values(citations).onConflictDoNothing();
    }

    const taskIds = new Map<string, number>();
    for (const plan of data.plans) {
      const existing = await tx
        .select({ id: plans.id })
        .from(plans)
        .where(inArray(plans.code, [plan.code]));
      if (existing.length === 0) {
        await new PlanWriter(tx).insert(plan, agencyIds, documentIds);
        report.plansAdded += 1;
      }
      const [{ id: planId }] = await tx
        .select({ id: plans.id })
        .from(plans)
        .where(inArray(plans.code, [plan.code]));
      const tasks = await tx
        .select({ id: planTasks.id, code: planTasks.code })
        .from(planTasks)
        .where(inArray(planTasks.planId, [planId]));
      for (const task of tasks) taskIds.set(task.code, task.id);
    }

    const existingProjects = new Set(
      (
        await tx
          .select({ code: projects.code })
          .from(projects)
          .where(
            inArray(
              projects.code,
              data.projects.map((p) => p.code),
            ),
          )
      ).map((r) => r.code),
    );
    for (const project of data.projects) {
      if (existingProjects.has(project.code)) continue;
      await insertProject(tx, project, { agencyIds, fundingIds, taskIds, cite });
      report.projectsAdded += 1;
    }
    return report;
  });
}

async function idsByCode(
  tx: Tx,
  table: typeof agencies | typeof legalDocuments | typeof fundingSources,
  codes: string[],
) {
  if (codes.length === 0) return new Map<string, number>();
  const rows = await tx.select({ id: table.id, code: table.code }).from(table).where(inArray(table.code, codes));
  return new Map(rows.map((r) => [r.code, r.id]));
}

function allSources(data: SeedData): SeedSource[] {
  return [
    ...data.agencies.flatMap((a) => a.sources ?? []),
    ...data.successions.flatMap((s) => s.sources),
    ...data.projects.flatMap((p) => [
      ...p.sources,
      ...p.statusHistory.flatMap((h) => h.sources),
      ...p.funding.flatMap((f) => f.sources),
    ]),
  ];
}

/** Every source of the data stored once (see SourceWriter.store), by fingerprint. */
async function storeAllSources(tx: Tx, data: SeedData): Promise<Map<string, number>> {
  const unique = new Map<string, SeedSource>();
  for (const s of allSources(data)) unique.set(sourceFingerprint(s), s);
  const sources = [...unique.values()];
  const ids = await new SourceWriter(tx as unknown as Db).store(sources);
  return new Map(sources.map((s, i) => [sourceFingerprint(s), ids[i]!]));
}

async function insertProject(
  tx: Tx,
  project: SeedProject,
  refs: {
    agencyIds: Map<string, number>;
    fundingIds: Map<string, number>;
    taskIds: Map<string, number>;
    cite: (sources: SeedSource[] | undefined) => { sourceId: number; supports: string; position: number }[];
  },
) {
  const last = project.statusHistory[project.statusHistory.length - 1];
  const total = project.totalInvestment;
  const [{ id: projectId }] = await tx
    .insert(projects)
    .values({
      code: project.code,
      name: project.name,
      nameEn: project.nameEn,
      description: project.description,
      sector: project.sector,
      type: project.type,
      status: last.status,
      statusChangedOn: last.effectiveOn,
      ownerAgencyId: project.ownerAgencyCode ? refs.agencyIds.get(project.ownerAgencyCode)! : null,
      plannedStart: project.plannedStart ?? null,
      plannedCompletion: project.plannedCompletion ?? null,
      lengthKm: project.lengthKm ?? null,
      totalInvestmentAmount: total?.amount ?? null,
      totalInvestmentCurrency: total ? total.currency : null,
      totalInvestmentRateToVnd: total?.currency !== 'VND' ? (total?.rateToVnd ?? null) : null,
      totalInvestmentRateDate: total?.currency !== 'VND' ? (total?.rateDate ?? null) : null,
      totalInvestmentVnd: total
        ? (vndEquivalent(total.amount, total.currency, total.rateToVnd ?? null) as never)
        : null,
      totalInvestmentNote: total?.note ?? null,
      notes: project.notes ?? null,
    })
    .returning({ id: projects.id });

  const citations = refs.cite(project.sources).map((c) => ({ ...c, ownerId: projectId }));
  if (citations.length > 0) await tx.insert(projectSources).values(citations).onConflictDoNothing();

  if (project.taskCodes.length > 0) {
    await tx
      .insert(projectTasks)
      .values([...new Set(project.taskCodes)].map((code) => ({ projectId, taskId: refs.taskIds.get(code)! })));
  }
  if (project.locations.length > 0) {
    await tx.insert(projectLocations).values(
      project.locations.map((l, i) => ({
        projectId,
        name: l.name,
        level: l.level,
        description: l.description ?? null,
        geometry: l.geometry ?? null,
        position: i + 1,
      })),
    );
  }
  const changes = await tx
    .insert(projectStatusChanges)
    .values(
      project.statusHistory.map((h) => ({
        projectId,
        status: h.status,
        effectiveOn: h.effectiveOn,
        note: h.note ?? null,
      })),
    )
    .returning({ id: projectStatusChanges.id });
  const changeCitations = project.statusHistory.flatMap((h, i) =>
    refs.cite(h.sources).map((c) => ({ ...c, ownerId: changes[i].id })),
  );
  if (changeCitations.length > 0) await tx.insert(statusChangeSources).values(changeCitations).onConflictDoNothing();

  if (project.funding.length > 0) {
    const allocations = await tx
      .insert(fundingAllocations)
      .values(
        project.funding.map((f, i) => ({
          projectId,
          sourceId: refs.fundingIds.get(f.sourceCode)!,
          financier: f.financier ?? null,
          amount: f.amount,
          currency: f.currency,
          rateToVnd: f.currency === 'VND' ? null : (f.rateToVnd ?? null),
          rateDate: f.currency === 'VND' ? null : (f.rateDate ?? null),
          rateNote: f.rateNote ?? null,
          amountVnd: vndEquivalent(f.amount, f.currency, f.rateToVnd ?? null) as never,
          status: f.status,
          fiscalYear: f.fiscalYear ?? null,
          note: f.note ?? null,
          position: i + 1,
        })),
      )
      .returning({ id: fundingAllocations.id });
    const allocationCitations = project.funding.flatMap((f, i) =>
      refs.cite(f.sources).map((c) => ({ ...c, ownerId: allocations[i].id })),
    );
    if (allocationCitations.length > 0)
      await tx.insert(allocationSources).values(allocationCitations).onConflictDoNothing();
  }
}

/** True when the database holds at least one plan. */
export async function hasPlans(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(plans);
  return Number(row.n) > 0;
}
