import { EARLIEST_DATE, isRegistryDate, LATEST_DATE } from '../../../lib/dates';
import type { ProjectSector, ProjectType } from '../../../__generated__/graphql';
import { CURRENCY_CODES } from '../../../lib/currency';
import { PROJECT_CODE } from '../../project/project.service';
import {
  dateOf,
  FUNDING_BREAKDOWN_ID,
  oc4idsGeometry,
  OC4IDS_ID_PREFIX,
  PLACEHOLDER_PREFIX,
  prune,
  registrySector,
  SECTOR_CODES,
} from '../mapping';
import { MONEY } from '../../../lib/money';
import type { NewLocation } from '../../project/project.writer';
import { AGENCY_CODE, isObject, list, MAX_ALLOCATIONS, MODELLED, str, type Json } from './types';

// ---- Reading one project (pure) ----

export interface Party {
  id?: string;
  name?: string;
  roles: string[];
  address?: Json;
}

export interface ImportedAllocation {
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

export interface ImportedLocation {
  key: string;
  name: string;
  level: NewLocation['level'];
  geometry: unknown;
}

/** A project read from the package, before the database is consulted. */
export interface Candidate {
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
  else
    return {
      reason: `id "${id}" does not begin with an OC4IDS project identifier prefix ("oc4ids-" and six characters, then "-") nor with the registry's prefix "${prefix}".`,
    };
  // The id names the project exactly: a code is never made up from it (`BD METRO 1` is not `BD-METRO-1`).
  const code = body.normalize('NFC');
  if (!PROJECT_CODE.test(code)) {
    return {
      reason: `id "${id}" does not end in a project code (letters, digits, ".", "-" and "_", starting with a letter or digit, at most 64 characters).`,
    };
  }
  return { code };
}

/** A JSON number as a money decimal string (at most two decimals), or null when it cannot be one. */
export function moneyOf(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  // An integer is written exactly (1e21 is 1 followed by 21 zeros, not what `* 100 / 100` makes of it); a fraction is
  // rounded to cents by toFixed, which never goes through a product that loses digits.
  const text = Number.isInteger(value) ? BigInt(value).toString() : value.toFixed(2).replace(/\.?0+$/, '');
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
export function readProject(raw: Json, index: number, prefix: string): { candidate?: Candidate; reasons: string[] } {
  const reasons: string[] = [];
  const notes: string[] = [];
  const id = raw.id as string;
  const codeResult = codeFromId(id, prefix);
  if ('reason' in codeResult) reasons.push(codeResult.reason);

  const money = (value: unknown, where: string): { amount: string | null; currency: string | null } => {
    if (!isObject(value)) return { amount: null, currency: null };
    const currency = str(value.currency) ?? null;
    if (currency !== null && !CURRENCY_CODES.has(currency))
      reasons.push(`${where}.currency: "${currency}" is not an ISO 4217 currency code the registry accepts.`);
    let amount: string | null = null;
    if (value.amount !== undefined) {
      amount = moneyOf(value.amount);
      if (amount === null)
        reasons.push(
          `${where}.amount: ${JSON.stringify(value.amount)} is not an amount the registry can hold (at least 0, at most 22 digits).`,
        );
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
  if (sectorCodes && sector === null)
    notes.push(`sector: none of ${sectorCodes.join(', ')} is a sector the registry knows.`);
  else if (sectorCodes) {
    const kept = SECTOR_CODES[sector!];
    const dropped = sectorCodes.filter((c) => !kept.includes(c));
    if (dropped.length)
      notes.push(`sector: the registry keeps one sector (${kept.join(', ')}); ${dropped.join(', ')} not kept.`);
  }

  const parties = list(raw.parties)
    .map(partyOf)
    .filter((p): p is Party => p !== null);
  const byId = new Map(parties.filter((p) => p.id).map((p) => [p.id!, p]));
  const byName = new Map(parties.filter((p) => p.name).map((p) => [p.name!, p]));
  const lookup = (ref: unknown): Party | null => {
    if (!isObject(ref)) return null;
    const refId = str(ref.id);
    const refName = str(ref.name);
    return (
      (refId ? byId.get(refId) : undefined) ??
      (refName ? byName.get(refName) : undefined) ?? { id: refId, name: refName, roles: [] }
    );
  };

  // Owner: the public authority.
  let owner: Party | null = null;
  const authority =
    raw.publicAuthority !== undefined
      ? lookup(raw.publicAuthority)
      : (parties.find((p) => p.roles.includes('publicAuthority')) ?? null);
  if (authority) {
    owner = {
      ...authority,
      roles: authority.roles.includes('publicAuthority') ? authority.roles : [...authority.roles, 'publicAuthority'],
    };
    if (!owner.id || !AGENCY_CODE.test(owner.id.replace(/[^A-Za-z0-9._-]+/g, '-'))) {
      notes.push(
        `publicAuthority: no id the registry can use as an agency code${owner.name ? ` for "${owner.name}"` : ''}; the owner agency is left as it is.`,
      );
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
      if (m.amount !== null && m.currency !== null)
        budgetAmountValue = { amount: m.amount, currency: m.currency, raw: budget.amount };
    }
    const approved = str(budget.approvalDate) !== undefined;
    const fallbackCurrency = (isObject(budget.amount) ? str(budget.amount.currency) : undefined) ?? 'VND';
    const groups = list(budget.budgetBreakdowns).filter(isObject);
    const groupIndex = Math.max(
      0,
      groups.findIndex((g) => g.id === FUNDING_BREAKDOWN_ID),
    );
    const group = groups[groupIndex];
    if (groups.length > 1)
      notes.push(
        `budget.budgetBreakdowns: only group "${String(group.id)}" was imported as allocations; ${groups.length - 1} other group(s) were not.`,
      );
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
          key: JSON.stringify(
            prune({ description: entry.description, amount: entry.amount, period: entry.period, party: party?.name }),
          ),
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
      if (allocations.length > MAX_ALLOCATIONS)
        reasons.push(`budget: ${allocations.length} allocations; at most ${MAX_ALLOCATIONS}.`);
      allocations.forEach((a, i) => {
        if (a.party?.name && a.party.name.length > 300)
          reasons.push(`budget: the financier of allocation ${i + 1} is longer than 300 characters.`);
        if (a.note && a.note.length > 5000)
          reasons.push(`budget: the description of allocation ${i + 1} is longer than 5,000 characters.`);
      });
    }
  }

  // Locations.
  let locations: ImportedLocation[] | null = null;
  if (Array.isArray(raw.locations)) {
    locations = raw.locations.filter(isObject).map((l) => {
      const geometry = oc4idsGeometry(l.geometry);
      const address = isObject(l.address)
        ? ['streetAddress', 'locality', 'region', 'postalCode', 'countryName']
            .map((k) => str((l.address as Json)[k]))
            .filter(Boolean)
            .join(', ')
        : '';
      const gazetteer = isObject(l.gazetteer)
        ? [str(l.gazetteer.scheme), list(l.gazetteer.identifiers).join(', ')].filter(Boolean).join(' ')
        : '';
      const name =
        str(l.description) ??
        (address || undefined) ??
        (gazetteer || undefined) ??
        str(l.uri) ??
        `Location ${String(l.id)}`;
      return {
        key: JSON.stringify(prune({ description: l.description, geometry: geometry ?? undefined })),
        name,
        level: geometry && /LineString$/.test(geometry.type) ? 'CORRIDOR' : 'SITE',
        geometry,
      } satisfies ImportedLocation;
    });
    if (locations.some((l) => l.name.length > 1000))
      reasons.push('locations: a description is longer than 1,000 characters.');
    const unkept = raw.locations
      .filter(isObject)
      .filter(
        (l) =>
          l.address !== undefined ||
          l.gazetteer !== undefined ||
          (l.geometry !== undefined && !oc4idsGeometry(l.geometry)),
      );
    if (unkept.length)
      notes.push(
        `locations: addresses, gazetteer entries and unusable geometries are not kept (${unkept.length} location(s)).`,
      );
  }

  let completion: Candidate['completion'] = null;
  if (isObject(raw.completion)) {
    completion = {
      endDate: str(raw.completion.endDate)
        ? (dayOf('completion.endDate', raw.completion.endDate as string, reasons) ?? undefined)
        : undefined,
      details: str(raw.completion.endDateDetails),
    };
    const other = ['finalValue', 'finalValueDetails', 'finalScope', 'finalScopeDetails'].filter(
      (k) => (raw.completion as Json)[k] !== undefined,
    );
    if (other.length) notes.push(`completion: ${other.join(', ')} not imported.`);
  }

  const ignored = Object.keys(raw).filter((key) => !MODELLED.has(key));
  if (ignored.length) notes.push(`Not imported (the registry does not model them): ${ignored.join(', ')}.`);
  const otherParties = parties.filter(
    (p) => p !== owner && !allocations?.some((a) => a.party === p) && !(owner && p.id === owner.id),
  );
  if (otherParties.length)
    notes.push(
      `parties not imported (neither the public authority nor a source of funds): ${otherParties.map((p) => p.name ?? p.id).join(', ')}.`,
    );

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
