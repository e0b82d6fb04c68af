/**
 * Writing a generated portfolio: agencies with their successions, plans with their targets, sections, assignments
 * and tasks, the synthetic sources, and projects with their task links, locations, status changes, funding and
 * citations. Rows go in batches that stay under PostgreSQL's limit of bind parameters per statement; the VND
 * equivalents of foreign amounts are computed by PostgreSQL from the exact decimals, as for every other write.
 */

import type { Db } from '../../src/db/client';
import {
  agencies,
  agencySuccessions,
  fundingAllocations,
  planSections,
  planTargets,
  planTasks,
  plans,
  projectLocations,
  projectSources,
  projectStatusChanges,
  projectTasks,
  projects,
  sectionAssignments,
  sourceReferences,
  taskAssignments,
} from '../../src/db/schema';
import { vndEquivalent } from '../../src/modules/project/project.writer';
import type { GenAgency, GenSuccession } from './agencies';
import type { GenPlan, GenTask } from './plans';
import type { GenProject } from './projects';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const MAX_PARAMETERS = 60_000;
const MAX_ROWS = 2000;

function* batches<T>(rows: T[], columns: number): Generator<T[]> {
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns)));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export async function insertAgencies(tx: Tx, list: GenAgency[], successions: GenSuccession[]) {
  const agencyIds = new Map<string, number>();
  for (const batch of batches(list, 8)) {
    const rows = await tx.insert(agencies).values(batch).returning({ id: agencies.id, code: agencies.code });
    for (const r of rows) agencyIds.set(r.code, r.id);
  }
  for (const batch of batches(successions, 7)) {
    await tx.insert(agencySuccessions).values(
      batch.map((s) => ({
        predecessorId: agencyIds.get(s.predecessor)!,
        successorId: agencyIds.get(s.successor)!,
        kind: s.kind,
        effectiveOn: s.effectiveOn,
        dateInferred: false,
        documentId: null,
        reason: s.reason,
        note: 'synthetic',
      })),
    );
  }
  return agencyIds;
}

export async function insertPlans(
  tx: Tx,
  list: GenPlan[],
  agencyIds: Map<string, number>,
  taskIds: Map<string, number>,
) {
  const planRows = await tx
    .insert(plans)
    .values(
      list.map((p) => ({
        code: p.code,
        title: p.title,
        titleEn: p.titleEn,
        issuedOn: p.issuedOn,
        issuerId: agencyIds.get(p.issuer)!,
        place: p.province.name,
        sourceText: null,
        sourceComplete: true,
      })),
    )
    .returning({ id: plans.id, code: plans.code });
  const planIds = new Map(planRows.map((r) => [r.code, r.id]));
  const targets = list.flatMap((p) => [
    {
      planId: planIds.get(p.code)!,
      year: 2030,
      text: `Hoàn thành các dự án hạ tầng trọng điểm của tỉnh ${p.province.name} (dữ liệu tổng hợp).`,
      position: 1,
    },
    {
      planId: planIds.get(p.code)!,
      year: 2045,
      text: `Hệ thống kết cấu hạ tầng hiện đại, đồng bộ, kết nối vùng (dữ liệu tổng hợp).`,
      position: 2,
    },
  ]);
  await tx.insert(planTargets).values(targets);

  // Sections, parents first: one level at a time for all plans of the chunk.
  const sectionIds = new Map<string, number>(); // `${planCode}|${number}`
  let sectionCount = 0;
  for (let level = 1; level <= 3; level++) {
    const rows = list.flatMap((p) =>
      p.sections
        .map((s, index) => ({ s, index }))
        .filter(({ s }) => s.level === level)
        .map(({ s, index }) => ({
          planId: planIds.get(p.code)!,
          parentId: s.parent ? sectionIds.get(`${p.code}|${s.parent}`)! : null,
          number: s.number,
          heading: s.heading,
          body: s.body,
          level,
          position: index + 1,
          sourceIncomplete: false,
          note: null,
        })),
    );
    sectionCount += rows.length;
    const codeOf = new Map(list.map((p) => [planIds.get(p.code)!, p.code]));
    for (const batch of batches(rows, 9)) {
      const inserted = await tx
        .insert(planSections)
        .values(batch)
        .returning({ id: planSections.id, planId: planSections.planId, number: planSections.number });
      for (const r of inserted) sectionIds.set(`${codeOf.get(r.planId)}|${r.number}`, r.id);
    }
  }
  const assignments = list.flatMap((p) =>
    p.sections.flatMap((s) =>
      s.assignments.map((a, i) => ({
        sectionId: sectionIds.get(`${p.code}|${s.number}`)!,
        agencyId: agencyIds.get(a.agency)!,
        role: a.role,
        position: i + 1,
      })),
    ),
  );
  for (const batch of batches(assignments, 4)) await tx.insert(sectionAssignments).values(batch);

  const taskRows = list.flatMap((p) =>
    p.tasks.map((t, i) => ({
      planId: planIds.get(p.code)!,
      sectionId: sectionIds.get(`${p.code}|${t.section.number}`)!,
      code: t.code,
      position: Number(t.code.slice(t.code.lastIndexOf('.') + 1)),
      sortOrder: i + 1,
      text: t.section.tasks[Number(t.code.slice(t.code.lastIndexOf('.') + 1)) - 1],
    })),
  );
  const holderOf = new Map<string, GenTask>();
  for (const p of list) for (const t of p.tasks) holderOf.set(`${p.code}|${t.code}`, t);
  const codeOfPlan = new Map(list.map((p) => [planIds.get(p.code)!, p.code]));
  const taskAssignmentRows: (typeof taskAssignments.$inferInsert)[] = [];
  for (const batch of batches(taskRows, 6)) {
    const inserted = await tx
      .insert(planTasks)
      .values(batch)
      .returning({ id: planTasks.id, planId: planTasks.planId, code: planTasks.code });
    for (const r of inserted) {
      const key = `${codeOfPlan.get(r.planId)}|${r.code}`;
      taskIds.set(key, r.id);
      // As seeds/load.ts does: every task carries the assignments of the section whose text assigns it.
      const holder = holderOf.get(key)!.holder;
      if (!holder) continue;
      holder.assignments.forEach((a, i) =>
        taskAssignmentRows.push({
          taskId: r.id,
          agencyId: agencyIds.get(a.agency)!,
          role: a.role,
          sectionId: sectionIds.get(`${codeOfPlan.get(r.planId)}|${holder.number}`)!,
          position: i + 1,
        }),
      );
    }
  }
  for (const batch of batches(taskAssignmentRows, 5)) await tx.insert(taskAssignments).values(batch);
  return { sections: sectionCount, tasks: taskRows.length };
}

/** Stores the synthetic sources; answers their ids in the order given. */
export async function insertSources(tx: Tx, sources: (typeof sourceReferences.$inferInsert)[]): Promise<number[]> {
  const sourceRows = await tx
    .insert(sourceReferences)
    .values(sources)
    .returning({ id: sourceReferences.id, fingerprint: sourceReferences.fingerprint });
  const sourceIdByPrint = new Map(sourceRows.map((r) => [r.fingerprint, r.id]));
  return sources.map((s) => sourceIdByPrint.get(s.fingerprint)!);
}

export async function insertProjects(
  tx: Tx,
  list: GenProject[],
  refs: {
    agencyIds: Map<string, number>;
    taskIds: Map<string, number>;
    fundingIds: Map<string, number>;
    sourceIds: number[];
    seed: number;
  },
) {
  const projectIds = new Map<string, number>();
  const notes = `Synthetic data generated by seeds/synthetic.ts (seed ${refs.seed}).`;
  for (const batch of batches(list, 20)) {
    const rows = await tx
      .insert(projects)
      .values(
        batch.map((p) => ({
          code: p.code,
          name: p.name,
          nameEn: p.nameEn,
          description: p.description,
          sector: p.sector,
          type: p.type,
          status: p.status,
          statusChangedOn: p.statusChangedOn,
          ownerAgencyId: p.owner ? refs.agencyIds.get(p.owner)! : null,
          plannedStart: p.plannedStart,
          plannedCompletion: p.plannedCompletion,
          lengthKm: p.lengthKm,
          totalInvestmentAmount: p.total?.amount ?? null,
          totalInvestmentCurrency: p.total?.currency ?? null,
          totalInvestmentRateToVnd: p.total?.rate ?? null,
          totalInvestmentRateDate: p.total?.rateDate ?? null,
          totalInvestmentVnd: p.total ? vndEquivalent(p.total.amount, p.total.currency, p.total.rate) : null,
          totalInvestmentNote: p.total?.note ?? null,
          notes,
        })),
      )
      .returning({ id: projects.id, code: projects.code });
    for (const r of rows) projectIds.set(r.code, r.id);
  }

  const links = list.flatMap((p) =>
    p.tasks.map((t) => ({ projectId: projectIds.get(p.code)!, taskId: refs.taskIds.get(t)! })),
  );
  for (const batch of batches(links, 2)) await tx.insert(projectTasks).values(batch);

  const locations = list.flatMap((p) =>
    p.locations.map((l, i) => ({
      projectId: projectIds.get(p.code)!,
      name: l.name,
      level: l.level,
      description: l.description,
      geometry: l.geometry,
      position: i + 1,
    })),
  );
  for (const batch of batches(locations, 6)) await tx.insert(projectLocations).values(batch);

  const changes = list.flatMap((p) =>
    p.history.map((h) => ({
      projectId: projectIds.get(p.code)!,
      status: h.status,
      effectiveOn: h.effectiveOn,
      note: h.note,
    })),
  );
  for (const batch of batches(changes, 4)) await tx.insert(projectStatusChanges).values(batch);

  const allocations = list.flatMap((p) =>
    p.allocations.map((a, i) => ({
      projectId: projectIds.get(p.code)!,
      sourceId: refs.fundingIds.get(a.source)!,
      financier: a.financier,
      amount: a.amount,
      currency: a.currency,
      rateToVnd: a.rate,
      rateDate: a.rateDate,
      rateNote: a.rateNote,
      amountVnd: vndEquivalent(a.amount, a.currency, a.rate),
      status: a.status,
      fiscalYear: a.fiscalYear,
      note: a.note,
      position: i + 1,
    })),
  );
  for (const batch of batches(allocations, 15)) await tx.insert(fundingAllocations).values(batch);

  const citations = list
    .filter((p) => p.citation !== null)
    .map((p) => ({
      ownerId: projectIds.get(p.code)!,
      sourceId: refs.sourceIds[p.citation!],
      supports: 'totalInvestment',
      position: 1,
    }));
  if (citations.length > 0) await tx.insert(projectSources).values(citations);

  return {
    allocations: allocations.length,
    statusChanges: changes.length,
    locations: locations.length,
    taskLinks: links.length,
  };
}
