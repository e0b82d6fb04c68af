import type { CreateAgencyInput, RecordAgencySuccessionInput } from '../../__generated__/graphql';
import type { AgencyRow } from '../../db/schema';
import { fail, UserErrors } from '../../lib/user-errors';
import { authorize, refused, runWrite, type WriteOutcome, type WriteRequest } from '../audit/audit.writer';
import { checkSources } from '../source/source.writer';
import { AgencyWriter } from './agency.writer';

const AGENCY_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Rules of agency writes (admin). */
export const agencyService = {
  async create(request: WriteRequest, input: CreateAgencyInput): Promise<WriteOutcome<AgencyRow>> {
    const scope = authorize(request, 'admin', 'createAgency', input.clientMutationId);
    const errors = new UserErrors();
    errors.text(input.code, ['input', 'code'], {
      max: 64,
      required: true,
      pattern: AGENCY_CODE,
      patternMessage: 'Letters, digits, ".", "-" and "_", e.g. "BD.SGTVT".',
    });
    errors.text(input.name, ['input', 'name'], { max: 500, required: true });
    errors.text(input.nameEn, ['input', 'nameEn'], { max: 500 });
    errors.text(input.jurisdictionCode, ['input', 'jurisdictionCode'], { max: 20, required: true });
    errors.text(input.jurisdiction, ['input', 'jurisdiction'], { max: 200, required: true });
    if (input.validFrom && input.validTo && input.validTo <= input.validFrom)
      errors.add(['input', 'validTo'], 'Must be after validFrom.');
    if (errors.any) return refused(errors.list);
    return runWrite(scope, async (tx, audit) => {
      const writer = new AgencyWriter(tx);
      const taken = await writer.codeTaken(input.code);
      if (taken)
        fail(
          ['input', 'code'],
          `An agency with the code "${taken}" already exists (codes are compared without regard to case).`,
          'DUPLICATE',
        );
      const agency = await writer.insert({
        code: input.code,
        name: input.name,
        nameEn: input.nameEn ?? null,
        kind: input.kind,
        jurisdictionCode: input.jurisdictionCode,
        jurisdiction: input.jurisdiction,
        validFrom: input.validFrom ?? null,
        validTo: input.validTo ?? null,
      });
      await audit({ entityType: 'Agency', entityId: agency.id, before: null, after: agency });
      return agency;
    });
  },

  async recordSuccession(
    request: WriteRequest,
    input: RecordAgencySuccessionInput,
  ): Promise<WriteOutcome<{ predecessor: AgencyRow; successor: AgencyRow }>> {
    const scope = authorize(request, 'admin', 'recordAgencySuccession', input.clientMutationId);
    const errors = new UserErrors();
    if (input.predecessorCode === input.successorCode)
      errors.add(['input', 'successorCode'], 'An agency cannot succeed itself.');
    errors.text(input.reason, ['input', 'reason'], { max: 2000, required: true });
    errors.text(input.note, ['input', 'note'], { max: 5000 });
    checkSources(input.sources, ['input', 'sources'], errors);
    if (errors.any) return refused(errors.list);
    return runWrite(scope, async (tx, audit) => {
      const writer = new AgencyWriter(tx);
      const predecessor = await writer.byCode(input.predecessorCode, { lock: true });
      if (!predecessor)
        fail(['input', 'predecessorCode'], `No agency has the code "${input.predecessorCode}".`, 'NOT_FOUND');
      const successor = await writer.byCode(input.successorCode);
      if (!successor) fail(['input', 'successorCode'], `No agency has the code "${input.successorCode}".`, 'NOT_FOUND');
      let documentId: number | null = null;
      if (input.documentCode) {
        documentId = await writer.legalDocumentId(input.documentCode);
        if (documentId === null)
          fail(['input', 'documentCode'], `No legal document has the code "${input.documentCode}".`, 'NOT_FOUND');
      }
      if (await writer.successionExists(predecessor.id, successor.id, input.effectiveOn))
        fail(['input', 'successorCode'], 'This succession is already recorded.', 'DUPLICATE');
      // A successor that (through later successions) leads back to the predecessor would make a loop.
      if (await writer.leadsTo(successor.id, predecessor.id)) {
        fail(
          ['input', 'successorCode'],
          `${successor.code} already leads back to ${predecessor.code}: the succession would make a loop.`,
          'INVALID_VALUE',
        );
      }
      const succession = await writer.insertSuccession(
        {
          predecessorId: predecessor.id,
          successorId: successor.id,
          kind: input.kind,
          effectiveOn: input.effectiveOn,
          dateInferred: input.dateInferred ?? false,
          documentId,
          reason: input.reason,
          note: input.note ?? null,
        },
        input.sources,
      );
      let updatedPredecessor = predecessor;
      if (
        input.closePredecessor !== false &&
        (predecessor.validTo === null || predecessor.validTo > input.effectiveOn)
      ) {
        if (predecessor.validFrom !== null && predecessor.validFrom >= input.effectiveOn) {
          fail(
            ['input', 'effectiveOn'],
            `Must be after ${predecessor.code}'s validFrom (${predecessor.validFrom}).`,
            'INVALID_VALUE',
          );
        }
        updatedPredecessor = await writer.close(predecessor.id, input.effectiveOn);
      }
      await audit({
        entityType: 'Agency',
        entityId: predecessor.id,
        before: predecessor,
        after: { ...updatedPredecessor, succession },
      });
      return { predecessor: updatedPredecessor, successor };
    });
  },
};
