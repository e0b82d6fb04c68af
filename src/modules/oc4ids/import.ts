/**
 * Import of an OC4IDS 0.9 project package, shared by `npm run import:oc4ids` and the `importOc4idsPackage`
 * mutation. The package is checked first (schema, version, duplicate ids, currencies, ids that give project codes);
 * then, in one transaction with an audit entry per project, its projects are upserted by code.
 *
 * How OC4IDS becomes registry data:
 *
 * - id → project code: the configured prefix (or the placeholder `oc4ids-xxxxxx-`) is stripped; an id with another
 *   publisher's prefix (`oc4ids-` + 6 characters + `-`) is kept whole as the code, so exporting it again gives the
 *   same id. Characters outside `[A-Za-z0-9._-]` become `-`; a code over 64 characters is rejected.
 * - title → name; description → description; type → type; sector → the first sub-sector the registry knows, else
 *   the first sector; status → identification PLANNED, preparation PREPARATION, implementation UNDER_CONSTRUCTION,
 *   completion / maintenance / decommissioning / decommissioned COMPLETED, cancelled CANCELLED. A project whose
 *   status already maps to the same code keeps its status (APPROVED stays APPROVED under `preparation`); otherwise a
 *   status change is appended, dated by `completion.endDate` (completed projects) or `updated`, never later than
 *   today nor earlier than the latest change, noted with `completion.endDateDetails` when given.
 * - period.startDate / endDate → planned start / completion (the calendar dates as written).
 * - budget.amount → total investment in its currency (no exchange rate: a foreign total has no VND equivalent until
 *   one is recorded); budget.description → its note.
 * - budget.budgetBreakdowns (the `funding` group, else the first group) → funding allocations, one per entry:
 *   amount and currency as given, fiscal year from a one-year period, financier = the source party's name, status
 *   COMMITTED when the budget or entry has an approval date, else PLANNED. Finance entries whose financing party
 *   is no breakdown entry's source party (or all of them, when there is no breakdown) become allocations too.
 *   Funding source: a description or finance source that names a registry funding source; else a matching finance
 *   entry's party type (multilateral / bilateral / concessional → ODA; institutional, commercial, vendor →
 *   PRIVATE); else the source party's roles: a public authority → PROVINCIAL_BUDGET when it is a known provincial
 *   agency, else CENTRAL_BUDGET; a funder → ODA when it is a development partner (agency kind or a multilateral or
 *   bilateral name), PRIVATE when a company, supplier or tenderer; else OTHER.
 * - publicAuthority (else the first party with role publicAuthority) → the owner agency, by code = party id; an
 *   unknown code creates the agency (kind from roles, jurisdiction from the address, else UNKNOWN). Existing
 *   agencies are linked, never renamed. Other parties enter as financiers through the allocations.
 * - locations → locations: description → name (else address, gazetteer, uri or id), GeoJSON geometry kept; level
 *   CORRIDOR for lines, else SITE.
 * - Fields the package leaves out keep their registry values. When updating, an allocation or location that reads
 *   exactly as the registry exports it is kept as it is (with its citations, status and rate), so importing the
 *   registry's own export changes nothing but the version. Other fields (documents, relatedProjects, milestones,
 *   contracting processes, ...) are not imported; the report's notes name them.
 */
import { EARLIEST_DATE, isRegistryDate, LATEST_DATE, today } from '../../lib/dates';
import { valueNesting } from '../../lib/nesting';
import type { ProjectSector, ProjectStatus, ProjectType } from '../../__generated__/graphql';
import type { Context } from '../../graphql/context';
import type { AgencyRow } from '../../db/schema';
import { CURRENCY_CODES } from '../../lib/currency';
import { runWrite, type AuditRecord } from '../../write';
import { assertRole } from '../auth/auth';
import { ADMIN_TRANSITIONS, PROJECT_CODE, STATUS_TRANSITIONS } from '../project/project.service';
import { ProjectWriter } from '../project/project.writer';
import { OC4IDS_PROJECT_STATUS } from '../project/status';
import {
  breakdownEntry,
  budgetAmount,
  budgetDescription,
  dateOf,
  FUNDING_BREAKDOWN_ID,
  fundingDescription,
  oc4idsGeometry,
  oc4idsLocation,
  OC4IDS_ID_PREFIX,
  OC4IDS_VERSION,
  partnerType,
  PLACEHOLDER_PREFIX,
  projectParties,
  prune,
  registrySector,
  SECTOR_CODES,
  STATUS_BY_CODE,
  type ProjectBundle,
} from './mapping';
import { Oc4idsRepository, type ExistingProject, type FundingSourceRef, type NewAllocation, type NewLocation } from './oc4ids.repository';
import { formatError, validateEnvelope, validateProject } from './validator';

export type ImportOutcome = 'CREATED' | 'UPDATED' | 'REJECTED';

export interface ImportProjectResult {
  /** Position in the package's `projects`, from 0. */
  index: number;
  id: string | null;
  code: string | null;
  outcome: ImportOutcome;
  reasons: string[];
  notes: string[];
}

export interface ImportReport {
  projects: ImportProjectResult[];
  created: number;
  updated: number;
  rejected: number;
  /** True when anything was written. */
  written: boolean;
  /** Problems of the package as a whole; any rejects every project. */
  packageErrors: string[];
}

export interface ImportOptions {
  /** Write the valid projects even when others are rejected. */
  partial: boolean;
  /** The registry's OC4IDS prefix (stripped from ids). */
  prefix: string;
  /** The audit action: `importOc4idsPackage` (mutation) or `importOc4ids` (command line). */
  action: string;
  clientMutationId?: string | null;
  /** Called after each project is written. */
  onProgress?: (done: number, total: number) => void;
}

const MAX_REASONS = 20;
const MAX_ALLOCATIONS = 200;
const AGENCY_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MONEY = /^\d{1,22}(\.\d{1,2})?$/;
/** Top-level project fields the import reads. */
const MODELLED = new Set(['id', 'updated', 'language', 'title', 'description', 'status', 'type', 'sector', 'period', 'budget', 'parties', 'publicAuthority', 'locations', 'completion']);
const PUBLIC_ROLES = ['publicAuthority'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// ---- Reading one project (pure) ----

interface Party {
  id?: string;
  name?: string;
  roles: string[];
  address?: Json;
}

interface ImportedAllocation {
  /** The breakdown entry or finance entry as given, for comparison with what the registry exports. */
  key: string | null;
  description: string | null;
  financeSource: string | null;
  amount: string | null;
  currency: string;
  fiscalYear: number | null;
  party: Party | null;
  finance: Json | null;
  approved: boolean;
  note: string | null;
}

interface ImportedLocation {
  key: string;
  name: string;
  level: NewLocation['level'];
  geometry: unknown;
}

/** A project read from the package, before the database is consulted. */
interface Candidate {
  index: number;
  id: string;
  code: string;
  title?: string;
  description?: string;
  statusCode?: string;
  sectorCodes?: string[];
  sector?: ProjectSector | null;
  type?: ProjectType;
  period?: { start: string | null; end: string | null };
  budgetAmount?: { amount: string; currency: string; raw: unknown };
  budgetDescription?: string;
  allocations: ImportedAllocation[] | null;
  locations: ImportedLocation[] | null;
  owner: Party | null;
  completion: { endDate?: string; details?: string } | null;
  updated?: string;
  notes: string[];
}

/** The day of an OC4IDS date-time, or null (with the reason) when it lies outside the registry's calendar. */
function dayOf(field: string, dateTime: string, reasons: string[]): string | null {
  const day = dateOf(dateTime);
  if (isRegistryDate(day)) return day;
  reasons.push(`${field}: ${JSON.stringify(dateTime)} is not a day from ${EARLIEST_DATE} to ${LATEST_DATE}.`);
  return null;
}

/** The project code an OC4IDS id gives, or why it gives none. */
export function codeFromId(id: string, prefix: string): { code: string } | { reason: string } {
  let body: string;
  if (id.startsWith(prefix)) body = id.slice(prefix.length);
  else if (id.startsWith(PLACEHOLDER_PREFIX)) body = id.slice(PLACEHOLDER_PREFIX.length);
  else if (OC4IDS_ID_PREFIX.test(id)) body = id;
  else return { reason: `id "${id}" does not begin with an OC4IDS project identifier prefix ("oc4ids-" and six characters, then "-") nor with the registry's prefix "${prefix}".` };
  // The id names the project exactly: a code is never made up from it (`BD METRO 1` is not `BD-METRO-1`).
  const code = body.normalize('NFC');
  if (!PROJECT_CODE.test(code)) {
    return { reason: `id "${id}" does not end in a project code (letters, digits, ".", "-" and "_", starting with a letter or digit, at most 64 characters).` };
  }
  return { code };
}

/** A JSON number as a money decimal string (at most two decimals), or null when it cannot be one. */
export function moneyOf(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  const rounded = Math.round(value * 100) / 100;
  const text = Number.isInteger(rounded) ? BigInt(rounded).toString() : rounded.toFixed(2).replace(/0+$/, '');
  return MONEY.test(text) ? text : null;
}

/** The year a period lies in, when it lies in one year. */
function yearOf(period: unknown): number | null {
  if (!isObject(period)) return null;
  const start = str(period.startDate);
  const end = str(period.endDate);
  const years = [start, end].filter((d): d is string => d !== undefined).map((d) => Number(d.slice(0, 4)));
  if (years.length === 0 || years.some((y) => y !== years[0]) || years[0] < 1900 || years[0] > 2200) return null;
  return years[0];
}

function partyOf(value: unknown): Party | null {
  if (!isObject(value)) return null;
  return {
    id: str(value.id),
    name: str(value.name),
    roles: list(value.roles).filter((r): r is string => typeof r === 'string'),
    address: isObject(value.address) ? value.address : undefined,
  };
}

/** Reads one schema-valid project; `reasons` lists what makes it unusable. */
function readProject(raw: Json, index: number, prefix: string): { candidate?: Candidate; reasons: string[] } {
  const reasons: string[] = [];
  const notes: string[] = [];
  const id = raw.id as string;
  const codeResult = codeFromId(id, prefix);
  if ('reason' in codeResult) reasons.push(codeResult.reason);

  const money = (value: unknown, where: string): { amount: string | null; currency: string | null } => {
    if (!isObject(value)) return { amount: null, currency: null };
    const currency = str(value.currency) ?? null;
    if (currency !== null && !CURRENCY_CODES.has(currency)) reasons.push(`${where}.currency: "${currency}" is not an ISO 4217 currency code the registry accepts.`);
    let amount: string | null = null;
    if (value.amount !== undefined) {
      amount = moneyOf(value.amount);
      if (amount === null) reasons.push(`${where}.amount: ${JSON.stringify(value.amount)} is not an amount the registry can hold (at least 0, at most 22 digits).`);
      else if (currency === null) reasons.push(`${where}: an amount needs its currency.`);
    }
    return { amount, currency };
  };

  const title = str(raw.title);
  if (title !== undefined && title.length > 500) reasons.push('title: at most 500 characters.');
  const description = str(raw.description);
  if (description !== undefined && description.length > 10000) reasons.push('description: at most 10,000 characters.');

  let period: Candidate['period'];
  if (isObject(raw.period)) {
    const start = str(raw.period.startDate) ? dayOf('period.startDate', raw.period.startDate as string, reasons) : null;
    const end = str(raw.period.endDate) ? dayOf('period.endDate', raw.period.endDate as string, reasons) : null;
    if (start && end && end < start) reasons.push('period: endDate is before startDate.');
    if (start || end) period = { start, end };
  }

  const sectorCodes = Array.isArray(raw.sector) ? (raw.sector as string[]) : undefined;
  const sector = sectorCodes ? registrySector(sectorCodes) : undefined;
  if (sectorCodes && sector === null) notes.push(`sector: none of ${sectorCodes.join(', ')} is a sector the registry knows.`);
  else if (sectorCodes) {
    const kept = SECTOR_CODES[sector!];
    const dropped = sectorCodes.filter((c) => !kept.includes(c));
    if (dropped.length) notes.push(`sector: the registry keeps one sector (${kept.join(', ')}); ${dropped.join(', ')} not kept.`);
  }

  const parties = list(raw.parties).map(partyOf).filter((p): p is Party => p !== null);
  const byId = new Map(parties.filter((p) => p.id).map((p) => [p.id!, p]));
  const byName = new Map(parties.filter((p) => p.name).map((p) => [p.name!, p]));
  const lookup = (ref: unknown): Party | null => {
    if (!isObject(ref)) return null;
    const refId = str(ref.id);
    const refName = str(ref.name);
    return (refId ? byId.get(refId) : undefined) ?? (refName ? byName.get(refName) : undefined) ?? { id: refId, name: refName, roles: [] };
  };

  // Owner: the public authority.
  let owner: Party | null = null;
  const authority = raw.publicAuthority !== undefined ? lookup(raw.publicAuthority) : (parties.find((p) => p.roles.includes('publicAuthority')) ?? null);
  if (authority) {
    owner = { ...authority, roles: authority.roles.includes('publicAuthority') ? authority.roles : [...authority.roles, 'publicAuthority'] };
    if (!owner.id || !AGENCY_CODE.test(owner.id.replace(/[^A-Za-z0-9._-]+/g, '-'))) {
      notes.push(`publicAuthority: no id the registry can use as an agency code${owner.name ? ` for "${owner.name}"` : ''}; the owner agency is left as it is.`);
      owner = null;
    } else if (!owner.name) owner.name = owner.id;
  }

  // Budget.
  let budgetAmountValue: Candidate['budgetAmount'];
  let allocations: ImportedAllocation[] | null = null;
  const budget = isObject(raw.budget) ? raw.budget : null;
  if (budget) {
    if (isObject(budget.amount)) {
      const m = money(budget.amount, 'budget.amount');
      if (m.amount !== null && m.currency !== null) budgetAmountValue = { amount: m.amount, currency: m.currency, raw: budget.amount };
    }
    const approved = str(budget.approvalDate) !== undefined;
    const fallbackCurrency = (isObject(budget.amount) ? str(budget.amount.currency) : undefined) ?? 'VND';
    const groups = list(budget.budgetBreakdowns).filter(isObject);
    const groupIndex = Math.max(0, groups.findIndex((g) => g.id === FUNDING_BREAKDOWN_ID));
    const group = groups[groupIndex];
    if (groups.length > 1) notes.push(`budget.budgetBreakdowns: only group "${String(group.id)}" was imported as allocations; ${groups.length - 1} other group(s) were not.`);
    const finance = list(budget.finance).filter(isObject);
    const entries = group ? list(group.budgetBreakdown).filter(isObject) : [];
    const sourceParties = entries.map((e) => (e.sourceParty !== undefined ? lookup(e.sourceParty) : null));
    const matchesParty = (f: Json, party: Party | null) => {
      if (!party || !isObject(f.financingParty)) return false;
      const fp = lookup(f.financingParty);
      return !!fp && ((!!fp.id && fp.id === party.id) || (!!fp.name && fp.name === party.name));
    };
    if (entries.length > 0 || finance.length > 0) {
      allocations = [];
      entries.forEach((entry, i) => {
        const where = `budget.budgetBreakdowns[${groupIndex}].budgetBreakdown[${i}]`;
        const m = money(entry.amount, `${where}.amount`);
        const party = sourceParties[i];
        allocations!.push({
          key: JSON.stringify(prune({ description: entry.description, amount: entry.amount, period: entry.period, party: party?.name })),
          description: str(entry.description) ?? null,
          financeSource: null,
          amount: m.amount,
          currency: m.currency ?? fallbackCurrency,
          fiscalYear: yearOf(entry.period),
          party,
          finance: finance.find((f) => matchesParty(f, party)) ?? null,
          approved: approved || str(entry.approvalDate) !== undefined,
          note: str(entry.description) ?? null,
        });
      });
      finance.forEach((f, i) => {
        const party = isObject(f.financingParty) ? lookup(f.financingParty) : null;
        const covered = entries.length > 0 && (!party || sourceParties.some((p) => matchesParty(f, p)));
        if (covered) return;
        const m = money(f.value, `budget.finance[${i}].value`);
        allocations!.push({
          key: null,
          description: str(f.title) ?? null,
          financeSource: str(f.source) ?? null,
          amount: m.amount,
          currency: m.currency ?? fallbackCurrency,
          fiscalYear: yearOf(f.period),
          party,
          finance: f,
          approved,
          note: [str(f.title), str(f.description)].filter(Boolean).join(' — ') || null,
        });
      });
      if (allocations.length > MAX_ALLOCATIONS) reasons.push(`budget: ${allocations.length} allocations; at most ${MAX_ALLOCATIONS}.`);
      allocations.forEach((a, i) => {
        if (a.party?.name && a.party.name.length > 300) reasons.push(`budget: the financier of allocation ${i + 1} is longer than 300 characters.`);
        if (a.note && a.note.length > 5000) reasons.push(`budget: the description of allocation ${i + 1} is longer than 5,000 characters.`);
      });
    }
  }

  // Locations.
  let locations: ImportedLocation[] | null = null;
  if (Array.isArray(raw.locations)) {
    locations = raw.locations.filter(isObject).map((l) => {
      const geometry = oc4idsGeometry(l.geometry);
      const address = isObject(l.address) ? ['streetAddress', 'locality', 'region', 'postalCode', 'countryName'].map((k) => str((l.address as Json)[k])).filter(Boolean).join(', ') : '';
      const gazetteer = isObject(l.gazetteer) ? [str(l.gazetteer.scheme), list(l.gazetteer.identifiers).join(', ')].filter(Boolean).join(' ') : '';
      const name = str(l.description) ?? (address || undefined) ?? (gazetteer || undefined) ?? str(l.uri) ?? `Location ${String(l.id)}`;
      return {
        key: JSON.stringify(prune({ description: l.description, geometry: geometry ?? undefined })),
        name,
        level: geometry && /LineString$/.test(geometry.type) ? 'CORRIDOR' : 'SITE',
        geometry,
      } satisfies ImportedLocation;
    });
    if (locations.some((l) => l.name.length > 1000)) reasons.push('locations: a description is longer than 1,000 characters.');
    const unkept = raw.locations.filter(isObject).filter((l) => l.address !== undefined || l.gazetteer !== undefined || (l.geometry !== undefined && !oc4idsGeometry(l.geometry)));
    if (unkept.length) notes.push(`locations: addresses, gazetteer entries and unusable geometries are not kept (${unkept.length} location(s)).`);
  }

  let completion: Candidate['completion'] = null;
  if (isObject(raw.completion)) {
    completion = {
      endDate: str(raw.completion.endDate) ? (dayOf('completion.endDate', raw.completion.endDate as string, reasons) ?? undefined) : undefined,
      details: str(raw.completion.endDateDetails),
    };
    const other = ['finalValue', 'finalValueDetails', 'finalScope', 'finalScopeDetails'].filter((k) => (raw.completion as Json)[k] !== undefined);
    if (other.length) notes.push(`completion: ${other.join(', ')} not imported.`);
  }

  const ignored = Object.keys(raw).filter((key) => !MODELLED.has(key));
  if (ignored.length) notes.push(`Not imported (the registry does not model them): ${ignored.join(', ')}.`);
  const otherParties = parties.filter((p) => p !== owner && !allocations?.some((a) => a.party === p) && !(owner && p.id === owner.id));
  if (otherParties.length) notes.push(`parties not imported (neither the public authority nor a source of funds): ${otherParties.map((p) => p.name ?? p.id).join(', ')}.`);

  if (reasons.length > 0 || 'reason' in codeResult) return { reasons };
  return {
    reasons,
    candidate: {
      index,
      id,
      code: codeResult.code,
      title,
      description,
      statusCode: str(raw.status),
      sectorCodes,
      sector,
      type: str(raw.type) ? (String(raw.type).toUpperCase() as ProjectType) : undefined,
      period,
      budgetAmount: budgetAmountValue,
      budgetDescription: budget ? str(budget.description) : undefined,
      allocations,
      locations,
      owner,
      completion,
      updated: str(raw.updated) ? (dayOf('updated', raw.updated as string, reasons) ?? undefined) : undefined,
      notes,
    },
  };
}

// ---- Checking the package (pure) ----

/** The deepest nesting a package may have: its GeoJSON (a MultiPolygon's coordinates) sits about ten levels down. */
export const MAX_PACKAGE_DEPTH = 64;

interface Checked {
  packageErrors: string[];
  results: ImportProjectResult[];
  candidates: Candidate[];
}

const limited = (reasons: string[]) => (reasons.length > MAX_REASONS ? [...reasons.slice(0, MAX_REASONS), `… and ${reasons.length - MAX_REASONS} more.`] : reasons);

/** Checks a package and reads its projects: schema, version, duplicate ids and codes, currencies, amounts, ids. */
export function checkPackage(pkg: unknown, prefix: string): Checked {
  const packageErrors: string[] = [];
  if (!isObject(pkg)) return { packageErrors: ['The package must be a JSON object (an OC4IDS project package).'], results: [], candidates: [] };
  // Checked before the schema validator walks it (recursively): a package nested thousands of levels deep is refused.
  if (valueNesting(pkg, MAX_PACKAGE_DEPTH) > MAX_PACKAGE_DEPTH) {
    return { packageErrors: [`The package nests deeper than ${MAX_PACKAGE_DEPTH} levels; an OC4IDS package (GeoJSON included) needs far fewer.`], results: [], candidates: [] };
  }
  if (pkg.version !== OC4IDS_VERSION) {
    packageErrors.push(`version: must be "${OC4IDS_VERSION}" (OC4IDS 0.9); got ${pkg.version === undefined ? 'nothing' : JSON.stringify(pkg.version)}.`);
  }
  for (const error of validateEnvelope(pkg)) {
    if (error.pointer === '/version' && packageErrors.length > 0) continue;
    packageErrors.push(formatError(error));
  }
  const projects = Array.isArray(pkg.projects) ? pkg.projects : [];
  const results: ImportProjectResult[] = projects.map((raw, index) => ({
    index,
    id: isObject(raw) && typeof raw.id === 'string' ? raw.id : null,
    code: null,
    outcome: 'REJECTED',
    reasons: [],
    notes: [],
  }));

  const indicesById = new Map<string, number[]>();
  results.forEach((r) => r.id !== null && indicesById.set(r.id, [...(indicesById.get(r.id) ?? []), r.index]));
  const candidates: Candidate[] = [];
  projects.forEach((raw, index) => {
    const result = results[index];
    const schemaErrors = validateProject(raw);
    const reasons = schemaErrors.map((e) => formatError(e));
    const twins = result.id === null ? [] : indicesById.get(result.id)!.filter((i) => i !== index);
    if (twins.length) reasons.push(`Duplicate id "${result.id}": also projects[${twins.join('], projects[')}].`);
    if (reasons.length === 0 && isObject(raw)) {
      const read = readProject(raw, index, prefix);
      reasons.push(...read.reasons);
      if (read.candidate) {
        result.code = read.candidate.code;
        result.notes = read.candidate.notes;
        candidates.push(read.candidate);
      }
    }
    result.reasons = limited(reasons);
  });

  // Different ids that give the same code.
  const byCode = new Map<string, Candidate[]>();
  for (const c of candidates) byCode.set(c.code, [...(byCode.get(c.code) ?? []), c]);
  for (const [code, group] of byCode) {
    if (group.length < 2) continue;
    for (const c of group) {
      results[c.index].reasons.push(`Its id gives the project code "${code}", as the ids of projects[${group.filter((o) => o !== c).map((o) => o.index).join('], projects[')}] do.`);
    }
  }
  return { packageErrors, results, candidates: candidates.filter((c) => results[c.index].reasons.length === 0) };
}

// ---- Writing (in the transaction) ----

class Abort extends Error {
  constructor(readonly reasons: Map<number, string[]>, readonly packageErrors: string[] = []) {
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
  const isAuthority = party.roles.some((r) => PUBLIC_ROLES.includes(r)) || (!!ctx.owner && ((!!party.id && party.id === ctx.owner.id) || (!!party.name && party.name === ctx.owner.name)));
  if (isAuthority) return agency && !['VN', 'INT', 'UNKNOWN'].includes(agency.jurisdictionCode) ? 'PROVINCIAL_BUDGET' : 'CENTRAL_BUDGET';
  if (agency?.kind === 'DEVELOPMENT_PARTNER' || partnerType(party.name) !== null) return 'ODA';
  if (agency?.kind === 'COMPANY' || party.roles.some((r) => r === 'supplier' || r === 'tenderer')) return 'PRIVATE';
  return 'OTHER';
}

const agencyCode = (partyId: string) => partyId.replace(/[^A-Za-z0-9._-]+/g, '-');

function agencyKind(roles: string[]): AgencyRow['kind'] {
  if (roles.some((r) => r === 'supplier' || r === 'tenderer')) return 'COMPANY';
  if (roles.includes('funder') && !roles.some((r) => ['publicAuthority', 'buyer', 'procuringEntity', 'administrativeEntity'].includes(r))) return 'DEVELOPMENT_PARTNER';
  return 'OTHER';
}

/** The registry status and status-change date an imported status asks for, or null to keep the current one. */
function statusChange(c: Candidate, existing: ExistingProject | null, lastEffectiveOn: string | null): { status: ProjectStatus; effectiveOn: string; note: string } | null {
  if (!c.statusCode) return existing ? null : { status: 'PLANNED', effectiveOn: c.updated && c.updated <= today() ? c.updated : today(), note: 'Imported from OC4IDS (no status given).' };
  if (existing && OC4IDS_PROJECT_STATUS[existing.status] === c.statusCode) return null;
  const status = STATUS_BY_CODE[c.statusCode];
  let effectiveOn = (status === 'COMPLETED' ? c.completion?.endDate : undefined) ?? c.updated ?? today();
  if (effectiveOn > today()) effectiveOn = today();
  if (lastEffectiveOn && effectiveOn < lastEffectiveOn) effectiveOn = lastEffectiveOn;
  const note = (status === 'COMPLETED' ? c.completion?.details : undefined) ?? `Imported from OC4IDS (status "${c.statusCode}").`;
  return { status, effectiveOn, note };
}

/**
 * Checks and imports a package (see the module comment). Without `partial`, any rejected project rejects the
 * package and nothing is written; with it, the valid projects are written and the others reported. Either way
 * everything that is written is written in one transaction, with an audit entry per project (and per agency
 * created). The caller needs the admin role.
 */
export async function importPackage(context: Context, pkg: unknown, options: ImportOptions): Promise<ImportReport> {
  assertRole(context.viewer, 'admin', options.action);
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
    return { projects: results, created, updated, rejected: results.length - created - updated, written: written && created + updated > 0, packageErrors };
  };
  if (checked.packageErrors.length > 0) return finish(false, checked.packageErrors);
  if (results.length === 0) return finish(false, ['The package has no projects.']);
  const anyRejected = results.some((r) => r.reasons.length > 0);
  if (checked.candidates.length === 0 || (anyRejected && !options.partial)) return finish(false, []);

  const pkgUri = isObject(pkg) ? str(pkg.uri) : undefined;
  try {
    await runWrite(context, { action: options.action, role: 'admin', clientMutationId: options.clientMutationId }, async (tx, audit) => {
      const repository = new Oc4idsRepository(tx);
      const writer = new ProjectWriter(tx);
      const resolved = await resolve(repository, checked.candidates);

      // Reasons only the database can give.
      const sources = await repository.fundingSources();
      const sourceIdByCode = new Map(sources.map((s) => [s.code, s.id]));
      const late = new Map<number, string[]>();
      const agencyCodes = new Set<string>();
      for (const { candidate: c, existing } of resolved) {
        const reasons: string[] = [];
        if (existing?.archivedAt) reasons.push(`Project ${c.code} is archived; archived projects are not changed.`);
        // The same status rules as changeProjectStatus (the import is an admin's, so an admin's moves are allowed).
        if (existing && c.statusCode && OC4IDS_PROJECT_STATUS[existing.status] !== c.statusCode) {
          const next = STATUS_BY_CODE[c.statusCode];
          const allowed = STATUS_TRANSITIONS[existing.status].includes(next) || (ADMIN_TRANSITIONS[existing.status]?.includes(next) ?? false);
          if (!allowed) {
            const moves = [...STATUS_TRANSITIONS[existing.status], ...(ADMIN_TRANSITIONS[existing.status] ?? [])];
            reasons.push(`status: project ${c.code} is ${existing.status} and cannot become ${next}${moves.length ? ` (it may become ${moves.join(', ')})` : '; that status is final'}.`);
          }
        }
        if (!existing) {
          if (!c.title) reasons.push('title: required to create a project.');
          if (!c.sector) reasons.push(`sector: required to create a project, as one of ${[...new Set(Object.values(SECTOR_CODES).flat())].join(', ')}.`);
          if (!c.type) reasons.push('type: required to create a project (construction, rehabilitation, replacement, expansion or decommissioning).');
        }
        if (reasons.length) late.set(c.index, reasons);
        if (c.owner?.id) agencyCodes.add(agencyCode(c.owner.id));
        for (const a of c.allocations ?? []) if (a.party?.id) agencyCodes.add(agencyCode(a.party.id));
      }
      const missing = ['ODA', 'CENTRAL_BUDGET', 'PROVINCIAL_BUDGET', 'PRIVATE', 'OTHER'].filter((code) => !sourceIdByCode.has(code));
      if (missing.length > 0 && resolved.some((r) => (r.candidate.allocations?.length ?? 0) > 0)) {
        throw new Abort(new Map(), [`The registry has no funding source ${missing.join(', ')}: load the seed data first (npm run db:seed).`]);
      }
      if (late.size > 0 && !options.partial) throw new Abort(late);
      for (const [index, reasons] of late) results[index].reasons.push(...reasons);

      const agencies = new Map((await repository.agenciesByCodes([...agencyCodes])).map((a) => [a.code, a]));
      const toWrite = resolved.filter((r) => !late.has(r.candidate.index));
      let done = 0;
      for (const item of toWrite) {
        const written = await writeProject(item, { repository, writer, audit, agencies, sources, sourceIdByCode, pkgUri });
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
async function resolve(repository: Oc4idsRepository, candidates: Candidate[]): Promise<Resolved[]> {
  const existing = new Map<string, ExistingProject>();
  for (let i = 0; i < candidates.length; i += 1000) {
    for (const row of await repository.lockProjectsByCodes(candidates.slice(i, i + 1000).map((c) => c.code))) existing.set(row.code, row);
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
    if (owner.name && owner.name !== found.name) notes.push(`Owner agency ${code} exists as "${found.name}"; its name was not changed to "${owner.name}".`);
    return found;
  }
  const address = owner.address ?? {};
  const jurisdiction = [str(address.region), str(address.countryName)].filter(Boolean).join(', ');
  const created = await ctx.repository.insertAgency({
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

async function writeProject({ candidate: c, existing, bundle }: Resolved, ctx: WriteContext): Promise<{ outcome: ImportOutcome; notes: string[] }> {
  const { writer, repository } = ctx;
  const notes = [...c.notes];

  const ownerAgencyId = c.owner ? (await ownerAgency(c.owner, ctx, notes)).id : undefined;

  // Total investment: kept when the package gives back what the registry exports.
  const exported = bundle ? budgetAmount(bundle.project, bundle.allocations) : null;
  const keepTotal =
    !c.budgetAmount ||
    (bundle !== null && same(c.budgetAmount.raw, exported?.value) && (c.budgetDescription === undefined || c.budgetDescription === budgetDescription(bundle.project, exported)));
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
  if (!keepTotal && c.budgetAmount!.currency !== 'VND') notes.push(`The total investment in ${c.budgetAmount!.currency} has no VND equivalent until an exchange rate is recorded.`);

  const sector = bundle && c.sectorCodes && same(c.sectorCodes, SECTOR_CODES[bundle.project.sector]) ? undefined : (c.sector ?? undefined);
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
  if (change) await writer.addStatusChange({ projectId, status: change.status, effectiveOn: change.effectiveOn, note: change.note });

  if (c.locations) {
    const available = [...(bundle?.locations ?? [])];
    const keep: { id: number; position: number }[] = [];
    const add: (NewLocation & { position: number })[] = [];
    c.locations.forEach((l, i) => {
      const match = available.findIndex((e) => JSON.stringify(prune({ ...oc4idsLocation(e), id: undefined })) === l.key);
      if (match >= 0) keep.push({ id: available.splice(match, 1)[0].id, position: i + 1 });
      else add.push({ name: l.name, level: l.level, description: null, geometry: l.geometry, position: i + 1 });
    });
    await repository.replaceLocations(projectId, keep, add);
  }

  if (c.allocations) {
    const available = [...(bundle?.allocations ?? [])];
    const { financierOf } = bundle ? projectParties(bundle.owner, bundle.allocations) : { financierOf: new Map() };
    const keep: { id: number; position: number }[] = [];
    const add: (NewAllocation & { position: number })[] = [];
    c.allocations.forEach((a, i) => {
      const match =
        a.key === null
          ? -1
          : available.findIndex((e) => {
              const entry = breakdownEntry(e, financierOf.get(e.id) ?? null);
              const party = entry.sourceParty as { name?: string } | undefined;
              return JSON.stringify(prune({ description: entry.description, amount: entry.amount, period: entry.period, party: party?.name })) === a.key;
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
        status: a.approved ? 'COMMITTED' : 'PLANNED',
        fiscalYear: a.fiscalYear,
        note: a.note === made || a.note === null ? null : a.note,
        position: i + 1,
      });
    });
    await repository.replaceAllocations(projectId, keep, add);
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
  await ctx.audit({ entityType: 'Project', entityId: projectId, before, after: { ...after, importedFrom: { package: ctx.pkgUri ?? null, id: c.id } } });
  return { outcome: existing ? 'UPDATED' : 'CREATED', notes };
}
