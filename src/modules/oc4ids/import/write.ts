import { today } from '../../../lib/dates';
import type { ProjectStatus } from '../../../__generated__/graphql';
import type { AgencyRow } from '../../../db/schema';
import { AgencyRepository } from '../../agency/agency.repository';
import { AgencyWriter } from '../../agency/agency.writer';
import { FundingRepository } from '../../funding/funding.repository';
import { authorize, runWrite, type AuditRecord, type WriteRequest } from '../../audit/audit.writer';
import { Oc4idsWriter } from '../oc4ids.writer';
import { ADMIN_TRANSITIONS, STATUS_TRANSITIONS } from '../../project/project.service';
import { ProjectWriter, type Kept, type NewAllocation, type NewLocation } from '../../project/project.writer';
import { OC4IDS_PROJECT_STATUS } from '../../project/status';
import {
  breakdownEntry,
  budgetAmount,
  budgetDescription,
  fundingDescription,
  oc4idsLocation,
  partnerType,
  projectParties,
  prune,
  SECTOR_CODES,
  STATUS_BY_CODE,
  type ProjectBundle,
} from '../mapping';
import { Oc4idsRepository, type ExistingProject, type FundingSourceRef } from '../oc4ids.repository';
import { checkPackage } from './check';
import type { Candidate, ImportedAllocation, Party } from './read';
import { isObject, PUBLIC_ROLES, same, str, type ImportOptions, type ImportOutcome, type ImportReport } from './types';

// ---- Writing (in the transaction) ----

class Abort extends Error {
  constructor(
    readonly reasons: Map<number, string[]>,
    readonly packageErrors: string[] = [],
  ) {
    super('import aborted');
  }
}

interface Resolved {
  candidate: Candidate;
  existing: ExistingProject | null;
  bundle: ProjectBundle | null;
}

/** How the funding source of an imported allocation is decided (see the module comment). */
function sourceCodeOf(
  a: ImportedAllocation,
  ctx: { sources: FundingSourceRef[]; agencies: Map<string, AgencyRow>; owner: Party | null },
): string {
  const named = (text: string | null) => {
    if (!text) return null;
    const head = text.split(': ')[0].trim().toLowerCase();
    return ctx.sources.find((s) => [s.code, s.nameEn, s.nameVi].some((n) => n.toLowerCase() === head))?.code ?? null;
  };
  const byText = named(a.description) ?? named(a.financeSource);
  if (byText) return byText;
  if (a.finance) {
    const type = str(a.finance.financingPartyType);
    if (type === 'multilateral' || type === 'bilateral' || a.finance.concessional === true) return 'ODA';
    if (type === 'institutional' || type === 'commercial' || type === 'vendor') return 'PRIVATE';
  }
  const party = a.party;
  if (!party) return 'OTHER';
  const agency = party.id ? ctx.agencies.get(agencyCode(party.id)) : undefined;
  const isAuthority =
    party.roles.some((r) => PUBLIC_ROLES.includes(r)) ||
    (!!ctx.owner && ((!!party.id && party.id === ctx.owner.id) || (!!party.name && party.name === ctx.owner.name)));
  if (isAuthority)
    return agency && !['VN', 'INT', 'UNKNOWN'].includes(agency.jurisdictionCode)
      ? 'PROVINCIAL_BUDGET'
      : 'CENTRAL_BUDGET';
  if (agency?.kind === 'DEVELOPMENT_PARTNER' || partnerType(party.name) !== null) return 'ODA';
  if (agency?.kind === 'COMPANY' || party.roles.some((r) => r === 'supplier' || r === 'tenderer')) return 'PRIVATE';
  return 'OTHER';
}

const agencyCode = (partyId: string) => partyId.replace(/[^A-Za-z0-9._-]+/g, '-');

function agencyKind(roles: string[]): AgencyRow['kind'] {
  if (roles.some((r) => r === 'supplier' || r === 'tenderer')) return 'COMPANY';
  if (
    roles.includes('funder') &&
    !roles.some((r) => ['publicAuthority', 'buyer', 'procuringEntity', 'administrativeEntity'].includes(r))
  )
    return 'DEVELOPMENT_PARTNER';
  return 'OTHER';
}

/** The registry status and status-change date an imported status asks for, or null to keep the current one. */
function statusChange(
  c: Candidate,
  existing: ExistingProject | null,
  lastEffectiveOn: string | null,
): { status: ProjectStatus; effectiveOn: string; note: string } | null {
  if (!c.statusCode)
    return existing
      ? null
      : {
          status: 'PLANNED',
          effectiveOn: c.updated && c.updated <= today() ? c.updated : today(),
          note: 'Imported from OC4IDS (no status given).',
        };
  if (existing && OC4IDS_PROJECT_STATUS[existing.status] === c.statusCode) return null;
  const status = STATUS_BY_CODE[c.statusCode];
  let effectiveOn = (status === 'COMPLETED' ? c.completion?.endDate : undefined) ?? c.updated ?? today();
  if (effectiveOn > today()) effectiveOn = today();
  if (lastEffectiveOn && effectiveOn < lastEffectiveOn) effectiveOn = lastEffectiveOn;
  const note =
    (status === 'COMPLETED' ? c.completion?.details : undefined) ?? `Imported from OC4IDS (status "${c.statusCode}").`;
  return { status, effectiveOn, note };
}

/**
 * Checks and imports a package (see the module comment). Without `partial`, any rejected project rejects the
 * package and nothing is written; with it, the valid projects are written and the others reported. Either way
 * everything that is written is written in one transaction, with an audit entry per project (and per agency
 * created). The caller needs the admin role.
 */
export async function importPackage(
  request: WriteRequest,
  pkg: unknown,
  options: ImportOptions,
): Promise<ImportReport> {
  const scope = authorize(request, 'admin', options.action, options.clientMutationId);
  const checked = checkPackage(pkg, options.prefix);
  const { results } = checked;
  const finish = (written: boolean, packageErrors: string[]): ImportReport => {
    if (!written) {
      for (const r of results) {
        if (r.outcome !== 'REJECTED' || r.reasons.length > 0) continue;
        r.reasons = [
          packageErrors.length > 0
            ? 'Not written: see packageErrors.'
            : 'Valid, but not written: other projects in the package were rejected and partial is off.',
        ];
      }
      for (const r of results) if (r.outcome !== 'REJECTED') r.outcome = 'REJECTED';
    }
    const created = results.filter((r) => r.outcome === 'CREATED').length;
    const updated = results.filter((r) => r.outcome === 'UPDATED').length;
    return {
      projects: results,
      created,
      updated,
      rejected: results.length - created - updated,
      written: written && created + updated > 0,
      packageErrors,
    };
  };
  if (checked.packageErrors.length > 0) return finish(false, checked.packageErrors);
  if (results.length === 0) return finish(false, ['The package has no projects.']);
  const anyRejected = results.some((r) => r.reasons.length > 0);
  if (checked.candidates.length === 0 || (anyRejected && !options.partial)) return finish(false, []);

  const pkgUri = isObject(pkg) ? str(pkg.uri) : undefined;
  try {
    await runWrite(scope, async (tx, audit) => {
      const repository = new Oc4idsRepository(tx);
      const writer = new ProjectWriter(tx);
      const resolved = await resolve(repository, new Oc4idsWriter(tx), checked.candidates);

      // Reasons only the database can give.
      const sources: FundingSourceRef[] = await new FundingRepository(tx).fundingSources();
      const sourceIdByCode = new Map(sources.map((s) => [s.code, s.id]));
      const late = new Map<number, string[]>();
      const agencyCodes = new Set<string>();
      for (const { candidate: c, existing } of resolved) {
        const reasons: string[] = [];
        if (existing?.archivedAt) reasons.push(`Project ${c.code} is archived; archived projects are not changed.`);
        // The same status rules as changeProjectStatus (the import is an admin's, so an admin's moves are allowed).
        if (existing && c.statusCode && OC4IDS_PROJECT_STATUS[existing.status] !== c.statusCode) {
          const next = STATUS_BY_CODE[c.statusCode];
          const allowed =
            STATUS_TRANSITIONS[existing.status].includes(next) ||
            (ADMIN_TRANSITIONS[existing.status]?.includes(next) ?? false);
          if (!allowed) {
            const moves = [...STATUS_TRANSITIONS[existing.status], ...(ADMIN_TRANSITIONS[existing.status] ?? [])];
            reasons.push(
              `status: project ${c.code} is ${existing.status} and cannot become ${next}${moves.length ? ` (it may become ${moves.join(', ')})` : '; that status is final'}.`,
            );
          }
        }
        if (!existing) {
          if (!c.title) reasons.push('title: required to create a project.');
          if (!c.sector)
            reasons.push(
              `sector: required to create a project, as one of ${[...new Set(Object.values(SECTOR_CODES).flat())].join(', ')}.`,
            );
          if (!c.type)
            reasons.push(
              'type: required to create a project (construction, rehabilitation, replacement, expansion or decommissioning).',
            );
        }
        if (reasons.length) late.set(c.index, reasons);
        if (c.owner?.id) agencyCodes.add(agencyCode(c.owner.id));
        for (const a of c.allocations ?? []) if (a.party?.id) agencyCodes.add(agencyCode(a.party.id));
      }
      const missing = ['ODA', 'CENTRAL_BUDGET', 'PROVINCIAL_BUDGET', 'PRIVATE', 'OTHER'].filter(
        (code) => !sourceIdByCode.has(code),
      );
      if (missing.length > 0 && resolved.some((r) => (r.candidate.allocations?.length ?? 0) > 0)) {
        throw new Abort(new Map(), [
          `The registry has no funding source ${missing.join(', ')}: load the seed data first (npm run db:seed).`,
        ]);
      }
      if (late.size > 0 && !options.partial) throw new Abort(late);
      for (const [index, reasons] of late) results[index].reasons.push(...reasons);

      const agencies = new Map(
        (await new AgencyRepository(tx).agenciesByCodes([...agencyCodes])).map((a) => [a.code, a]),
      );
      const toWrite = resolved.filter((r) => !late.has(r.candidate.index));
      let done = 0;
      for (const item of toWrite) {
        const written = await writeProject(item, {
          repository,
          writer,
          agencyWriter: new AgencyWriter(tx),
          audit,
          agencies,
          sources,
          sourceIdByCode,
          pkgUri,
        });
        results[item.candidate.index].outcome = written.outcome;
        results[item.candidate.index].notes = written.notes;
        done += 1;
        options.onProgress?.(done, toWrite.length);
      }
    });
  } catch (error) {
    if (error instanceof Abort) {
      for (const [index, reasons] of error.reasons) results[index].reasons.push(...reasons);
      for (const r of results) r.outcome = 'REJECTED';
      return finish(false, error.packageErrors);
    }
    throw error;
  }
  return finish(true, []);
}

/** The existing projects of the candidates (locked), with what the registry exports for them. */
async function resolve(
  repository: Oc4idsRepository,
  locker: Oc4idsWriter,
  candidates: Candidate[],
): Promise<Resolved[]> {
  const existing = new Map<string, ExistingProject>();
  for (let i = 0; i < candidates.length; i += 1000) {
    for (const row of await locker.lockProjectsByCodes(candidates.slice(i, i + 1000).map((c) => c.code)))
      existing.set(row.code, row);
  }
  const bundles = new Map<number, ProjectBundle>();
  const rows = [...existing.values()];
  for (let i = 0; i < rows.length; i += 500) {
    for (const bundle of await repository.bundles(rows.slice(i, i + 500))) bundles.set(bundle.project.id, bundle);
  }
  return candidates.map((candidate) => {
    const row = existing.get(candidate.code) ?? null;
    return { candidate, existing: row, bundle: row ? (bundles.get(row.id) ?? null) : null };
  });
}

interface WriteContext {
  repository: Oc4idsRepository;
  writer: ProjectWriter;
  agencyWriter: AgencyWriter;
  audit: (record: AuditRecord) => Promise<void>;
  agencies: Map<string, AgencyRow>;
  sources: FundingSourceRef[];
  sourceIdByCode: Map<string, number>;
  pkgUri: string | undefined;
}

async function ownerAgency(owner: Party, ctx: WriteContext, notes: string[]): Promise<AgencyRow> {
  const code = agencyCode(owner.id!);
  const found = ctx.agencies.get(code);
  if (found) {
    if (owner.name && owner.name !== found.name)
      notes.push(`Owner agency ${code} exists as "${found.name}"; its name was not changed to "${owner.name}".`);
    return found;
  }
  const address = owner.address ?? {};
  const jurisdiction = [str(address.region), str(address.countryName)].filter(Boolean).join(', ');
  const created = await ctx.agencyWriter.insert({
    code,
    name: (owner.name ?? code).slice(0, 500),
    nameEn: null,
    kind: agencyKind(owner.roles),
    jurisdictionCode: 'UNKNOWN',
    jurisdiction: jurisdiction.slice(0, 200) || 'Not stated (imported from OC4IDS)',
  });
  await ctx.audit({ entityType: 'Agency', entityId: created.id, before: null, after: created });
  ctx.agencies.set(code, created);
  notes.push(`Agency ${code} created as the owner.`);
  return created;
}

async function writeProject(
  { candidate: c, existing, bundle }: Resolved,
  ctx: WriteContext,
): Promise<{ outcome: ImportOutcome; notes: string[] }> {
  const { writer } = ctx;
  const notes = [...c.notes];

  const ownerAgencyId = c.owner ? (await ownerAgency(c.owner, ctx, notes)).id : undefined;

  // Total investment: kept when the package gives back what the registry exports.
  const exported = bundle ? budgetAmount(bundle.project, bundle.allocations) : null;
  const keepTotal =
    !c.budgetAmount ||
    (bundle !== null &&
      same(c.budgetAmount.raw, exported?.value) &&
      (c.budgetDescription === undefined || c.budgetDescription === budgetDescription(bundle.project, exported)));
  const total = keepTotal
    ? {}
    : {
        totalInvestmentAmount: c.budgetAmount!.amount,
        totalInvestmentCurrency: c.budgetAmount!.currency,
        totalInvestmentRateToVnd: null,
        totalInvestmentRateDate: null,
        totalInvestmentVnd: c.budgetAmount!.currency === 'VND' ? c.budgetAmount!.amount : null,
        totalInvestmentNote: c.budgetDescription ?? null,
      };
  if (!keepTotal && c.budgetAmount!.currency !== 'VND')
    notes.push(
      `The total investment in ${c.budgetAmount!.currency} has no VND equivalent until an exchange rate is recorded.`,
    );

  const sector =
    bundle && c.sectorCodes && same(c.sectorCodes, SECTOR_CODES[bundle.project.sector])
      ? undefined
      : (c.sector ?? undefined);
  const last = bundle?.statusChanges[bundle.statusChanges.length - 1] ?? null;
  const change = statusChange(c, existing, last?.effectiveOn ?? null);

  let projectId: number;
  let before: Record<string, unknown> | null = null;
  if (!existing) {
    const created = await writer.insert({
      code: c.code,
      name: c.title!,
      description: c.description ?? null,
      sector: c.sector!,
      type: c.type!,
      status: change!.status,
      statusChangedOn: change!.effectiveOn,
      ownerAgencyId: ownerAgencyId ?? null,
      plannedStart: c.period?.start ?? null,
      plannedCompletion: c.period?.end ?? null,
      ...total,
    });
    projectId = created.id;
  } else {
    projectId = existing.id;
    before = await writer.snapshot(projectId);
  }
  if (change)
    await writer.addStatusChange({
      projectId,
      status: change.status,
      effectiveOn: change.effectiveOn,
      note: change.note,
    });

  if (c.locations) {
    const available = [...(bundle?.locations ?? [])];
    const keep: Kept[] = [];
    const add: NewLocation[] = [];
    c.locations.forEach((l, i) => {
      const match = available.findIndex(
        (e) => JSON.stringify(prune({ ...oc4idsLocation(e), id: undefined })) === l.key,
      );
      if (match >= 0) keep.push({ id: available.splice(match, 1)[0].id, position: i + 1 });
      else add.push({ name: l.name, level: l.level, description: null, geometry: l.geometry, position: i + 1 });
    });
    await writer.replaceLocations(projectId, keep, add);
  }

  if (c.allocations) {
    const available = [...(bundle?.allocations ?? [])];
    const { financierOf } = bundle ? projectParties(bundle.owner, bundle.allocations) : { financierOf: new Map() };
    const keep: Kept[] = [];
    const add: NewAllocation[] = [];
    c.allocations.forEach((a, i) => {
      const match =
        a.key === null
          ? -1
          : available.findIndex((e) => {
              const entry = breakdownEntry(e, financierOf.get(e.id) ?? null);
              const party = entry.sourceParty as { name?: string } | undefined;
              return (
                JSON.stringify(
                  prune({
                    description: entry.description,
                    amount: entry.amount,
                    period: entry.period,
                    party: party?.name,
                  }),
                ) === a.key
              );
            });
      if (match >= 0) {
        keep.push({ id: available.splice(match, 1)[0].id, position: i + 1 });
        return;
      }
      const sourceCode = sourceCodeOf(a, { sources: ctx.sources, agencies: ctx.agencies, owner: c.owner });
      const sourceName = ctx.sources.find((s) => s.code === sourceCode)!.nameEn;
      const financier = a.party?.name ?? null;
      const made = fundingDescription({ sourceName, financier });
      add.push({
        sourceId: ctx.sourceIdByCode.get(sourceCode)!,
        financier,
        amount: a.amount,
        currency: a.currency,
        // Imported amounts carry no exchange rate: a foreign amount has no VND equivalent until one is recorded.
        rateToVnd: null,
        rateDate: null,
        rateNote: null,
        status: a.approved ? 'COMMITTED' : 'PLANNED',
        fiscalYear: a.fiscalYear,
        note: a.note === made || a.note === null ? null : a.note,
        position: i + 1,
      });
    });
    await writer.replaceAllocations(projectId, { keep, add });
  }

  if (existing) {
    await writer.update(projectId, {
      ...(c.title !== undefined ? { name: c.title } : {}),
      ...(c.description !== undefined ? { description: c.description } : {}),
      ...(sector ? { sector } : {}),
      ...(c.type ? { type: c.type } : {}),
      ...(change ? { status: change.status, statusChangedOn: change.effectiveOn } : {}),
      ...(ownerAgencyId !== undefined ? { ownerAgencyId } : {}),
      ...(c.period ? { plannedStart: c.period.start, plannedCompletion: c.period.end } : {}),
      ...total,
    });
  }
  const after = await writer.snapshot(projectId);
  await ctx.audit({
    entityType: 'Project',
    entityId: projectId,
    before,
    after: { ...after, importedFrom: { package: ctx.pkgUri ?? null, id: c.id } },
  });
  return { outcome: existing ? 'UPDATED' : 'CREATED', notes };
}
