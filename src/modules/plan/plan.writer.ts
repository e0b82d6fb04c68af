import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  agencies,
  legalDocuments,
  planLegalBases,
  plans,
  planSections,
  planTargets,
  planTasks,
  sectionAssignments,
  taskAssignments,
  type PlanRow,
} from '../../db/schema';

/** A plan as the seed files and `createPlan` give it. */
export interface PlanDefinition {
  code: string;
  title: string;
  titleEn?: string | null;
  issuedOn: string;
  issuerCode: string;
  place?: string | null;
  sourceText?: string | null;
  sourceComplete: boolean;
  legalBasis: {
    documentCode: string;
    relation: 'IMPLEMENTS' | 'BASED_ON' | 'PROPOSED_BY' | 'EARLIER_PROGRAMME';
    note?: string | null;
  }[];
  targets: { year: number; text: string }[];
  sections: SectionDefinition[];
}

export interface SectionDefinition {
  number: string;
  heading: string;
  body?: string | null;
  assignments?: { agencyCode: string; role: 'LEAD' | 'COORDINATING' | 'IMPLEMENTING' }[] | null;
  tasks?: { text: string }[] | null;
  children?: SectionDefinition[] | null;
  sourceIncomplete?: boolean | null;
  note?: string | null;
}

/** Each section with its tasks' codes, in document order, and the section whose text assigns its tasks. */
export function flattenSections(plan: Pick<PlanDefinition, 'sections'>) {
  const out: {
    section: SectionDefinition;
    parent: SectionDefinition | null;
    level: number;
    assignedBy: SectionDefinition | null;
  }[] = [];
  const walk = (
    list: SectionDefinition[],
    parent: SectionDefinition | null,
    level: number,
    inherited: SectionDefinition | null,
  ) => {
    for (const section of list) {
      const assignedBy = section.assignments && section.assignments.length > 0 ? section : inherited;
      out.push({ section, parent, level, assignedBy });
      walk(section.children ?? [], section, level + 1, assignedBy);
    }
  };
  walk(plan.sections, null, 1, null);
  return out;
}

/** All SQL of writes to plans. Every method runs inside the caller's transaction (or seeding's). */
export class PlanWriter {
  constructor(private readonly tx: Db) {}

  /** The code of a plan that has `code` without regard to case, or null. */
  async codeTaken(code: string): Promise<string | null> {
    const [row] = await this.tx
      .select({ code: plans.code })
      .from(plans)
      .where(sql`lower(${plans.code}) = lower(${code})`);
    return row?.code ?? null;
  }

  /** Agency ids by code, for the codes that exist. */
  async agencyIds(codes: readonly string[]): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const rows = await this.tx
      .select({ id: agencies.id, code: agencies.code })
      .from(agencies)
      .where(inArray(agencies.code, [...new Set(codes)]));
    return new Map(rows.map((a) => [a.code, a.id]));
  }

  /** Legal document ids by code, for the codes that exist. */
  async documentIds(codes: readonly string[]): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const rows = await this.tx
      .select({ id: legalDocuments.id, code: legalDocuments.code })
      .from(legalDocuments)
      .where(inArray(legalDocuments.code, [...new Set(codes)]));
    return new Map(rows.map((d) => [d.code, d.id]));
  }

  async byId(id: number): Promise<PlanRow> {
    const [plan] = await this.tx.select().from(plans).where(eq(plans.id, id));
    return plan;
  }

  /**
   * Writes a plan with its legal basis, targets, sections (parents first, one statement per level), tasks and
   * assignments: every task carries the assignments of the nearest section whose text names agencies.
   */
  async insert(
    plan: PlanDefinition,
    agencyIds: Map<string, number>,
    documentIds: Map<string, number>,
  ): Promise<number> {
    const tx = this.tx;
    const [{ id: planId }] = await tx
      .insert(plans)
      .values({
        code: plan.code,
        title: plan.title,
        titleEn: plan.titleEn,
        issuedOn: plan.issuedOn,
        issuerId: agencyIds.get(plan.issuerCode)!,
        place: plan.place ?? null,
        sourceText: plan.sourceText,
        sourceComplete: plan.sourceComplete,
      })
      .returning({ id: plans.id });
    if (plan.legalBasis.length > 0) {
      await tx.insert(planLegalBases).values(
        plan.legalBasis.map((b, i) => ({
          planId,
          documentId: documentIds.get(b.documentCode)!,
          relation: b.relation,
          position: i + 1,
          note: b.note ?? null,
        })),
      );
    }
    if (plan.targets.length > 0) {
      await tx
        .insert(planTargets)
        .values(plan.targets.map((t, i) => ({ planId, year: t.year, text: t.text, position: i + 1 })));
    }

    // Sections are inserted parents first (document order guarantees it), one statement per level.
    const flat = flattenSections(plan);
    const sectionIds = new Map<string, number>();
    const maxLevel = Math.max(...flat.map((f) => f.level));
    for (let level = 1; level <= maxLevel; level++) {
      const rows = flat
        .map((f, index) => ({ ...f, index }))
        .filter((f) => f.level === level)
        .map((f) => ({
          planId,
          parentId: f.parent ? sectionIds.get(f.parent.number)! : null,
          number: f.section.number,
          heading: f.section.heading,
          body: f.section.body ?? null,
          level,
          position: f.index + 1,
          sourceIncomplete: f.section.sourceIncomplete ?? false,
          note: f.section.note ?? null,
        }));
      if (rows.length === 0) continue;
      const inserted = await tx
        .insert(planSections)
        .values(rows)
        .returning({ id: planSections.id, number: planSections.number });
      for (const row of inserted) sectionIds.set(row.number, row.id);
    }

    const assignments = flat.flatMap(({ section }) =>
      (section.assignments ?? []).map((a, i) => ({
        sectionId: sectionIds.get(section.number)!,
        agencyId: agencyIds.get(a.agencyCode)!,
        role: a.role,
        position: i + 1,
      })),
    );
    if (assignments.length > 0) await tx.insert(sectionAssignments).values(assignments);

    let sortOrder = 0;
    const taskRows = flat.flatMap(({ section }) =>
      (section.tasks ?? []).map((t, i) => ({
        planId,
        sectionId: sectionIds.get(section.number)!,
        code: `${section.number}.${i + 1}`,
        position: i + 1,
        sortOrder: ++sortOrder,
        text: t.text,
      })),
    );
    if (taskRows.length === 0) return planId;
    const tasks = await tx
      .insert(planTasks)
      .values(taskRows)
      .returning({ id: planTasks.id, sectionId: planTasks.sectionId });
    const assignedBy = new Map(flat.map((f) => [sectionIds.get(f.section.number)!, f.assignedBy]));
    const taskAssignmentRows = tasks.flatMap((task) => {
      const holder = assignedBy.get(task.sectionId);
      return (holder?.assignments ?? []).map((a, i) => ({
        taskId: task.id,
        agencyId: agencyIds.get(a.agencyCode)!,
        role: a.role,
        sectionId: sectionIds.get(holder!.number)!,
        position: i + 1,
      }));
    });
    if (taskAssignmentRows.length > 0) await tx.insert(taskAssignments).values(taskAssignmentRows);
    return planId;
  }
}
