import type { CreatePlanInput, PlanSectionInput } from '../../__generated__/graphql';
import type { PlanRow } from '../../db/schema';
import { fail, UserErrors } from '../../lib/user-errors';
import { authorize, refused, runWrite, type WriteOutcome, type WriteRequest } from '../audit/audit.writer';
import { flattenSections, PlanWriter, type SectionDefinition } from './plan.writer';

const SECTION_NUMBER = /^[\p{L}\p{N}]{1,10}(\.[\p{L}\p{N}]{1,10}){0,5}$/u;

function toDefinition(section: PlanSectionInput): SectionDefinition {
  return {
    number: section.number.normalize('NFC'),
    heading: section.heading,
    body: section.body ?? null,
    assignments: section.assignments ?? [],
    tasks: (section.tasks ?? []).map((text) => ({ text })),
    children: (section.children ?? []).map(toDefinition),
    sourceIncomplete: section.sourceIncomplete ?? false,
  };
}

/** Rules of plan writes (admin). */
export const planService = {
  async create(request: WriteRequest, input: CreatePlanInput): Promise<WriteOutcome<PlanRow>> {
    const scope = authorize(request, 'admin', 'createPlan', input.clientMutationId);
    const errors = new UserErrors();
    errors.text(input.code, ['input', 'code'], { max: 100, required: true });
    errors.text(input.title, ['input', 'title'], { max: 2000, required: true });
    errors.text(input.titleEn, ['input', 'titleEn'], { max: 2000 });
    const sections = input.sections.map(toDefinition);
    const flat = flattenSections({ sections });
    if (flat.length === 0) errors.add(['input', 'sections'], 'A plan needs at least one section.');
    if (flat.length > 2000) errors.add(['input', 'sections'], 'At most 2000 sections.');
    const numbers = new Set<string>();
    let taskCount = 0;
    for (const { section, level } of flat) {
      if (!SECTION_NUMBER.test(section.number))
        errors.add(['input', 'sections'], `Section number "${section.number}" is malformed (e.g. "II.4.b").`);
      if (numbers.has(section.number))
        errors.add(['input', 'sections'], `Section ${section.number} appears twice.`, 'DUPLICATE');
      if (level > 6) errors.add(['input', 'sections'], `Section ${section.number} nests deeper than 6 levels.`);
      numbers.add(section.number);
      errors.text(section.heading, ['input', 'sections', section.number, 'heading'], { max: 5000, required: true });
      for (const text of section.tasks ?? [])
        errors.text(text.text, ['input', 'sections', section.number, 'tasks'], { max: 20000, required: true });
      taskCount += section.tasks?.length ?? 0;
    }
    if (taskCount > 10000) errors.add(['input', 'sections'], 'At most 10000 tasks.');
    for (const [i, target] of (input.targets ?? []).entries()) {
      if (target.year < 1900 || target.year > 2200)
        errors.add(['input', 'targets', i, 'year'], 'Must be a year from 1900 to 2200.');
    }
    if (errors.any) return refused(errors.list);
    return runWrite(scope, async (tx, audit) => {
      const writer = new PlanWriter(tx);
      const taken = await writer.codeTaken(input.code);
      if (taken)
        fail(
          ['input', 'code'],
          `A plan with the code "${taken}" already exists (codes are compared without regard to case).`,
          'DUPLICATE',
        );
      const agencyCodes = [
        input.issuerCode,
        ...flat.flatMap(({ section }) => (section.assignments ?? []).map((a) => a.agencyCode)),
      ];
      const agencyIds = await writer.agencyIds(agencyCodes);
      for (const code of new Set(agencyCodes)) {
        if (!agencyIds.has(code))
          fail(
            ['input', code === input.issuerCode ? 'issuerCode' : 'sections'],
            `No agency has the code "${code}".`,
            'NOT_FOUND',
          );
      }
      const documentCodes = [...new Set((input.legalBasis ?? []).map((b) => b.documentCode))];
      const documentIds = await writer.documentIds(documentCodes);
      for (const code of documentCodes)
        if (!documentIds.has(code))
          fail(['input', 'legalBasis'], `No legal document has the code "${code}".`, 'NOT_FOUND');
      const planId = await writer.insert(
        {
          code: input.code,
          title: input.title,
          titleEn: input.titleEn ?? null,
          issuedOn: input.issuedOn,
          issuerCode: input.issuerCode,
          place: input.place ?? null,
          sourceText: null,
          sourceComplete: input.sourceComplete ?? true,
          legalBasis: input.legalBasis ?? [],
          targets: input.targets ?? [],
          sections,
        },
        agencyIds,
        documentIds,
      );
      const plan = await writer.byId(planId);
      await audit({
        entityType: 'Plan',
        entityId: planId,
        before: null,
        after: { ...plan, sections: flat.length, tasks: taskCount },
      });
      return plan;
    });
  },
};
