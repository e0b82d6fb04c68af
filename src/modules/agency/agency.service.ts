import { and, eq, sql } from 'drizzle-orm';
import type { CreateAgencyInput, RecordAgencySuccessionInput } from '../../__generated__/graphql';
import type { Context } from '../../graphql/context';
import { queryRows } from '../../db/client';
import { agencies, agencySuccessions, legalDocuments, successionSources, type AgencyRow } from '../../db/schema';
import { fail, UserErrors } from '../../lib/user-errors';
import { authorize, runWrite, type WriteOutcome } from '../../write';
import { checkSources, citeSources } from '../source/source.writer';

const AGENCY_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Rules of agency writes (admin). */
export const agencyService = {
  async create(context: Context, input: CreateAgencyInput): Promise<WriteOutcome<AgencyRow>> {
    authorize(context, 'admin', 'createAgency');
    const errors = new UserErrors();
    errors.text(input.code, ['input', 'code'], { max: 64, required: true, pattern: AGENCY_CODE, patternMessage: 'Letters, digits, ".", "-" and "_", e.g. "BD.SGTVT".' });
    errors.text(input.name, ['input', 'name'], { max: 500, required: true });
    errors.text(input.nameEn, ['input', 'nameEn'], { max: 500 });
    errors.text(input.jurisdictionCode, ['input', 'jurisdictionCode'], { max: 20, required: true });
    errors.text(input.jurisdiction, ['input', 'jurisdiction'], { max: 200, required: true });
    if (input.validFrom && input.validTo && input.validTo <= input.validFrom) errors.add(['input', 'validTo'], 'Must be after validFrom.');
    if (errors.any) return { ok: false, userErrors: errors.list };
    return runWrite(context, { action: 'createAgency', role: 'admin', clientMutationId: input.clientMutationId }, async (tx, audit) => {
      const [taken] = await tx.select({ code: agencies.code }).from(agencies).where(sql`lower(${agencies.code}) = lower(${input.code})`);
      if (taken) {
        fail(['input', 'code'], `An agency with the code "${taken.code}" already exists (codes are compared without regard to case).`, 'DUPLICATE');
      }
      const [agency] = await tx
        .insert(agencies)
        .values({
          code: input.code,
          name: input.name,
          nameEn: input.nameEn ?? null,
          kind: input.kind,
          jurisdictionCode: input.jurisdictionCode,
          jurisdiction: input.jurisdiction,
          validFrom: input.validFrom ?? null,
          validTo: input.validTo ?? null,
        })
        .returning();
      await audit({ entityType: 'Agency', entityId: agency.id, before: null, after: agency });
      return agency;
    });
  },

  async recordSuccession(context: Context, input: RecordAgencySuccessionInput): Promise<WriteOutcome<{ predecessor: AgencyRow; successor: AgencyRow }>> {
    authorize(context, 'admin', 'recordAgencySuccession');
    const errors = new UserErrors();
    if (input.predecessorCode === input.successorCode) errors.add(['input', 'successorCode'], 'An agency cannot succeed itself.');
    errors.text(input.reason, ['input', 'reason'], { max: 2000, required: true });
    errors.text(input.note, ['input', 'note'], { max: 5000 });
    checkSources(input.sources, ['input', 'sources'], errors);
    if (errors.any) return { ok: false, userErrors: errors.list };
    return runWrite(context, { action: 'recordAgencySuccession', role: 'admin', clientMutationId: input.clientMutationId }, async (tx, audit) => {
      const [predecessor] = await tx.select().from(agencies).where(eq(agencies.code, input.predecessorCode)).for('update');
      if (!predecessor) fail(['input', 'predecessorCode'], `No agency has the code "${input.predecessorCode}".`, 'NOT_FOUND');
      const [successor] = await tx.select().from(agencies).where(eq(agencies.code, input.successorCode));
      if (!successor) fail(['input', 'successorCode'], `No agency has the code "${input.successorCode}".`, 'NOT_FOUND');
      let documentId: number | null = null;
      if (input.documentCode) {
        const [document] = await tx.select({ id: legalDocuments.id }).from(legalDocuments).where(eq(legalDocuments.code, input.documentCode));
        if (!document) fail(['input', 'documentCode'], `No legal document has the code "${input.documentCode}".`, 'NOT_FOUND');
        documentId = document.id;
      }
      const existing = await tx
        .select({ id: agencySuccessions.id })
        .from(agencySuccessions)
        .where(and(eq(agencySuccessions.predecessorId, predecessor.id), eq(agencySuccessions.successorId, successor.id), eq(agencySuccessions.effectiveOn, input.effectiveOn)));
      if (existing.length > 0) fail(['input', 'successorCode'], 'This succession is already recorded.', 'DUPLICATE');
      // A successor that (through later successions) leads back to the predecessor would make a loop.
      const [loop] = await queryRows<{ n: number }>(
        tx,
        sql`with recursive later(id) as (
              select ${successor.id}::int union select s.successor_id from ${agencySuccessions} s join later on s.predecessor_id = later.id
            ) select count(*)::int as n from later where id = ${predecessor.id}`,
      );
      if (Number(loop.n) > 0) fail(['input', 'successorCode'], `${successor.code} already leads back to ${predecessor.code}: the succession would make a loop.`, 'INVALID_VALUE');
      const [succession] = await tx
        .insert(agencySuccessions)
        .values({
          predecessorId: predecessor.id,
          successorId: successor.id,
          kind: input.kind,
          effectiveOn: input.effectiveOn,
          dateInferred: input.dateInferred ?? false,
          documentId,
          reason: input.reason,
          note: input.note ?? null,
        })
        .returning();
      await citeSources(tx, successionSources, succession.id, input.sources);
      let updatedPredecessor = predecessor;
      if (input.closePredecessor !== false && (predecessor.validTo === null || predecessor.validTo > input.effectiveOn)) {
        if (predecessor.validFrom !== null && predecessor.validFrom >= input.effectiveOn) {
          fail(['input', 'effectiveOn'], `Must be after ${predecessor.code}'s validFrom (${predecessor.validFrom}).`, 'INVALID_VALUE');
        }
        [updatedPredecessor] = await tx
          .update(agencies)
          .set({ validTo: input.effectiveOn, updatedAt: sql`now()` })
          .where(eq(agencies.id, predecessor.id))
          .returning();
      }
      await audit({ entityType: 'Agency', entityId: predecessor.id, before: predecessor, after: { ...updatedPredecessor, succession } });
      return { predecessor: updatedPredecessor, successor };
    });
  },
};
