/**
 * Registry rows → OC4IDS 0.9 objects, and the small conversions the import shares. Pure functions: no SQL, no I/O.
 * The mapping of every field is documented on `toOc4idsProject`.
 */
import type { ProjectSector, ProjectStatus, ProjectType } from '../../__generated__/graphql';
import { OC4IDS_PROJECT_STATUS } from '../project/status';

/** What goes in a package's `version`: OC4IDS major.minor. */
export const OC4IDS_VERSION = '0.9';
/** The default language of the exported data. */
export const EXPORT_LANGUAGE = 'vi';
/** The placeholder prefix used until a registered one is configured (OC4IDS_PREFIX). */
export const PLACEHOLDER_PREFIX = 'oc4ids-xxxxxx-';
/** A registered OC4IDS project identifier prefix: `oc4ids-` and six characters, then `-`. */
export const OC4IDS_ID_PREFIX = /^oc4ids-[a-z0-9]{6}-/;
export const PACKAGE_PUBLISHER = { name: 'Infrastructure Plan Registry' } as const;
/** The licence the package declares for its data. */
export const PACKAGE_LICENSE = 'https://creativecommons.org/licenses/by/4.0/';
/** Id of the budget breakdown group the funding allocations go in. */
export const FUNDING_BREAKDOWN_ID = 'funding';
/** At most this many related projects per project: those sharing the most plan tasks. */
export const MAX_RELATED_PROJECTS = 10;
/** Funding sources whose allocations are also financing arrangements (`budget.finance`). */
export const FINANCE_SOURCES: ReadonlySet<string> = new Set(['ODA', 'PPP', 'PRIVATE']);

// ---- Rows the mapping reads (the repository produces them) ----

export interface ExportProject {
  id: number;
  code: string;
  name: string;
  description: string | null;
  sector: ProjectSector;
  type: ProjectType;
  status: ProjectStatus;
  statusChangedOn: string | null;
  plannedStart: string | null;
  plannedCompletion: string | null;
  totalInvestmentAmount: string | null;
  totalInvestmentCurrency: string | null;
  totalInvestmentNote: string | null;
  updatedAt: string;
  ownerAgencyId: number | null;
}

export interface ExportOwner {
  id: number;
  code: string;
  name: string;
}

export interface ExportAllocation {
  id: number;
  position: number;
  sourceCode: string;
  /** English name of the funding source, e.g. `Central state budget`. */
  sourceName: string;
  financier: string | null;
  amount: string | null;
  currency: string;
  amountVnd: string | null;
  fiscalYear: number | null;
  note: string | null;
}

export interface ExportLocation {
  id: number;
  position: number;
  name: string;
  level: string;
  description: string | null;
  geometry: unknown;
}

export interface ExportStatusChange {
  status: ProjectStatus;
  effectiveOn: string;
  note: string | null;
}

export interface ExportTask {
  planCode: string;
  taskCode: string;
  text: string;
}

export interface ExportSource {
  id: number;
  url: string | null;
  title: string;
  publisher: string | null;
  quote: string | null;
  publishedOn: string | null;
  documentUrl: string | null;
}

export interface ExportRelated {
  code: string;
  name: string;
}

/** Everything one project's OC4IDS object is made of. */
export interface ProjectBundle {
  project: ExportProject;
  owner: ExportOwner | null;
  allocations: ExportAllocation[];
  locations: ExportLocation[];
  statusChanges: ExportStatusChange[];
  tasks: ExportTask[];
  sources: ExportSource[];
  related: ExportRelated[];
}

// ---- Codes ----

/** OC4IDS projectSector codes of each registry sector: the parent code first when the sector has one. */
export const SECTOR_CODES: Record<ProjectSector, readonly string[]> = {
  EDUCATION: ['education'],
  HEALTH: ['health'],
  ENERGY: ['energy'],
  ENERGY_SOLAR: ['energy', 'energy.solar'],
  ENERGY_WIND: ['energy', 'energy.wind'],
  ENERGY_HYDROPOWER: ['energy', 'energy.hydropower'],
  ENERGY_BIOMASS: ['energy', 'energy.biomass'],
  ENERGY_GEOTHERMAL: ['energy', 'energy.geothermal'],
  COMMUNICATIONS: ['communications'],
  WATER_AND_WASTE: ['waterAndWaste'],
  GOVERNANCE: ['governance'],
  ECONOMY: ['economy'],
  CULTURE_SPORTS_AND_RECREATION: ['cultureSportsAndRecreation'],
  TRANSPORT: ['transport'],
  TRANSPORT_AIR: ['transport', 'transport.air'],
  TRANSPORT_WATER: ['transport', 'transport.water'],
  TRANSPORT_RAIL: ['transport', 'transport.rail'],
  TRANSPORT_ROAD: ['transport', 'transport.road'],
  TRANSPORT_URBAN: ['transport', 'transport.urban'],
  TRANSPORT_LOW_CARBON: ['transport', 'transport.lowCarbon'],
  SOCIAL_HOUSING: ['socialHousing'],
  NATURAL_RESOURCES: ['naturalResources'],
  NATURAL_RESOURCES_FLOOD_PROTECTION: ['naturalResources', 'naturalResources.floodProtection'],
};

/** The registry sector of each OC4IDS projectSector code. */
export const SECTOR_BY_CODE: ReadonlyMap<string, ProjectSector> = new Map(
  (Object.entries(SECTOR_CODES) as [ProjectSector, readonly string[]][]).map(([sector, codes]) => [
    codes[codes.length - 1],
    sector,
  ]),
);

/**
 * The registry sector of an OC4IDS `sector` list: the first code the registry knows, a sub-sector (`transport.rail`)
 * before a top-level one (`transport`). Null when it knows none.
 */
export function registrySector(codes: readonly string[]): ProjectSector | null {
  const known = codes.filter((code) => SECTOR_BY_CODE.has(code));
  const specific = known.find((code) => code.includes('.')) ?? known[0];
  return specific === undefined ? null : SECTOR_BY_CODE.get(specific)!;
}

/** The registry status of an OC4IDS projectStatus code. Post-completion phases become COMPLETED. */
export const STATUS_BY_CODE: Readonly<Record<string, ProjectStatus>> = {
  identification: 'PLANNED',
  preparation: 'PREPARATION',
  implementation: 'UNDER_CONSTRUCTION',
  completion: 'COMPLETED',
  maintenance: 'COMPLETED',
  decommissioning: 'COMPLETED',
  decommissioned: 'COMPLETED',
  cancelled: 'CANCELLED',
};

export const oc4idsType = (type: ProjectType): string => type.toLowerCase();

/**
 * The OC4IDS id of a project: the prefix and the code. A code that already is an OC4IDS id (a project imported
 * from another publisher keeps its identifier) is used as it is.
 */
export function oc4idsProjectId(prefix: string, code: string): string {
  return OC4IDS_ID_PREFIX.test(code) ? code : `${prefix}${code}`;
}

// ---- Values ----

/** A calendar date as an OC4IDS date-time: midnight UTC of that day. */
export const dateTimeOf = (date: string): string => `${date.slice(0, 10)}T00:00:00Z`;

/** The calendar date an OC4IDS date-time names, as written (its own offset). */
export const dateOf = (dateTime: string): string => dateTime.slice(0, 10);

/** An instant as PostgreSQL or JavaScript prints it, in ISO 8601 UTC. */
export function instantOf(value: string): string {
  const text = value.includes('T') ? value : value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Not an instant: ${value}`);
  return date.toISOString();
}

function daysBetween(start: string, end: string): number {
  return Math.round(
    (Date.UTC(+end.slice(0, 4), +end.slice(5, 7) - 1, +end.slice(8, 10)) -
      Date.UTC(+start.slice(0, 4), +start.slice(5, 7) - 1, +start.slice(8, 10))) /
      86_400_000,
  );
}

/** A decimal string as a JSON number (OC4IDS amounts are numbers). */
export function amountNumber(decimal: string): number {
  const value = Number(decimal);
  if (!Number.isFinite(value)) throw new TypeError(`Not an amount: ${decimal}`);
  return value;
}

/** Adds non-negative decimal strings exactly (two decimals at most, as money is stored). */
export function addDecimals(values: readonly string[]): string {
  let cents = 0n;
  for (const value of values) {
    const [whole, fraction = ''] = value.split('.');
    cents += BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  }
  const whole = cents / 100n;
  const rest = cents % 100n;
  return rest === 0n ? whole.toString() : `${whole}.${rest.toString().padStart(2, '0').replace(/0$/, '')}`;
}

const URI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]*$/i;

/** A URL in the form the schema's `uri` format accepts (non-ASCII percent-encoded), or null. */
export function normalizedUrl(url: string | null | undefined): string | null {
  if (!url || url.trim() === '') return null;
  try {
    const href = new URL(url.trim()).href;
    return URI.test(href) ? href : null;
  } catch {
    return null;
  }
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

function validCoordinates(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.every((item) => (typeof item === 'number' ? Number.isFinite(item) : validCoordinates(item)));
}

/** A GeoJSON geometry the OC4IDS Location.geometry can hold (its six types, non-empty coordinates), or null. */
export function oc4idsGeometry(geometry: unknown): { type: string; coordinates: unknown[] } | null {
  if (geometry === null || typeof geometry !== 'object' || Array.isArray(geometry)) return null;
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type) || !validCoordinates(coordinates)) return null;
  return { type, coordinates: coordinates as unknown[] };
}

/**
 * Removes what the schema forbids or OC4IDS asks publishers to leave out: null and undefined values, empty or
 * blank strings, empty arrays and empty objects, at any depth.
 */
export function prune<T>(value: T): T {
  return pruneValue(value) as T;
}

function pruneValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items = value.map(pruneValue).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const pruned = pruneValue(item);
      if (pruned !== undefined) result[key] = pruned;
    }
    return Object.keys(result).length === 0 ? undefined : result;
  }
  return value;
}

// ---- Pieces shared with the import (it compares what it reads with what the registry would export) ----

/** A location's OC4IDS description: its name, and its description after a dash when it has one. */
export function locationDescription(location: Pick<ExportLocation, 'name' | 'description'>): string {
  const description = location.description?.trim();
  return description ? `${location.name} — ${description}` : location.name;
}

/** An allocation's description in the budget breakdown and in `finance`: its source and financier. */
export function fundingDescription(allocation: Pick<ExportAllocation, 'sourceName' | 'financier'>): string {
  const financier = allocation.financier?.trim();
  return financier ? `${allocation.sourceName}: ${financier}` : allocation.sourceName;
}

export function fiscalYearPeriod(year: number): { startDate: string; endDate: string } {
  return { startDate: `${year}-01-01T00:00:00Z`, endDate: `${year}-12-31T00:00:00Z` };
}

export interface PartyRef {
  id: string;
  name: string;
}

/** One allocation as a budget breakdown entry (`id` is its position). */
export function breakdownEntry(allocation: ExportAllocation, sourceParty: PartyRef | null): Record<string, unknown> {
  return prune({
    id: String(allocation.position),
    description: fundingDescription(allocation),
    amount:
      allocation.amount === null
        ? undefined
        : { amount: amountNumber(allocation.amount), currency: allocation.currency },
    period: allocation.fiscalYear === null ? undefined : fiscalYearPeriod(allocation.fiscalYear),
    sourceParty: sourceParty ?? undefined,
  });
}

/** A location as an OC4IDS Location (`id` is its position). */
export function oc4idsLocation(location: ExportLocation): Record<string, unknown> {
  return prune({
    id: String(location.position),
    description: locationDescription(location),
    geometry: oc4idsGeometry(location.geometry) ?? undefined,
  });
}

const MULTILATERAL =
  /world bank|ngân hàng thế giới|\bwb\b|asian development bank|ngân hàng phát triển châu á|\badb\b|\baiib\b|asian infrastructure investment bank|european investment bank|\beib\b|\bifc\b|international finance corporation|united nations|\bundp\b|\bimf\b|green climate fund|\bgcf\b|opec fund|nordic development fund|\bndf\b|global environment facility|\bgef\b/i;
const BILATERAL =
  /\bjica\b|\bjbic\b|japan|nhật bản|\bkfw\b|\bafd\b|agence française|\bkoica\b|\bedcf\b|korea|hàn quốc|\busaid\b|export-import bank|\bexim\b|\bgiz\b|bilateral|song phương/i;

/** multilateral or bilateral when a development partner's name says so unambiguously. */
export function partnerType(name: string | null | undefined): 'multilateral' | 'bilateral' | null {
  if (!name) return null;
  const multilateral = MULTILATERAL.test(name);
  const bilateral = BILATERAL.test(name);
  if (multilateral === bilateral) return null;
  return multilateral ? 'multilateral' : 'bilateral';
}

/** The financing arrangement type the words of a financier or note name unambiguously: loan, grant or bond. */
function arrangementType(text: string): 'loan' | 'grant' | 'bond' | null {
  const found = [
    /\bloans?\b|\bvốn vay\b|\bkhoản vay\b/i.test(text) ? 'loan' : null,
    /\bgrants?\b|không hoàn lại/i.test(text) ? 'grant' : null,
    /\bbonds?\b|trái phiếu/i.test(text) ? 'bond' : null,
  ].filter((t): t is 'loan' | 'grant' | 'bond' => t !== null);
  return found.length === 1 ? found[0] : null;
}

/** An ODA, PPP or private allocation as a financing arrangement (`budget.finance`). */
function financeEntry(allocation: ExportAllocation, financingParty: PartyRef | null): Record<string, unknown> {
  const oda = allocation.sourceCode === 'ODA';
  return prune({
    id: String(allocation.position),
    title: fundingDescription(allocation),
    value:
      allocation.amount === null
        ? undefined
        : { amount: amountNumber(allocation.amount), currency: allocation.currency },
    financingParty: financingParty ?? undefined,
    financingPartyType: oda ? (partnerType(allocation.financier) ?? undefined) : 'commercial',
    source: allocation.sourceName,
    type: arrangementType(`${allocation.financier ?? ''} ${allocation.note ?? ''}`) ?? undefined,
    concessional: oda ? true : undefined,
  });
}

export interface ProjectParties {
  parties: { id: string; name: string; roles: string[] }[];
  publicAuthority: PartyRef | null;
  /** The party each allocation's financier is, by allocation id. */
  financierOf: Map<number, PartyRef>;
}

/**
 * The owner agency is the public authority (role `publicAuthority`, and `publicAuthority` points to it); each
 * distinct financier is a funder (`funder`). A financier with the owner's name is the owner, with both roles.
 * Financiers have no registry id: theirs is `financier-N` in order of first appearance.
 */
export function projectParties(owner: ExportOwner | null, allocations: readonly ExportAllocation[]): ProjectParties {
  const parties: ProjectParties['parties'] = [];
  const byName = new Map<string, ProjectParties['parties'][number]>();
  let publicAuthority: PartyRef | null = null;
  if (owner) {
    const party = { id: owner.code, name: owner.name, roles: ['publicAuthority'] };
    parties.push(party);
    byName.set(owner.name.trim(), party);
    publicAuthority = { id: owner.code, name: owner.name };
  }
  const financierOf = new Map<number, PartyRef>();
  let n = 0;
  for (const allocation of allocations) {
    const name = allocation.financier?.trim();
    if (!name) continue;
    let party = byName.get(name);
    if (!party) {
      party = { id: `financier-${++n}`, name, roles: [] };
      parties.push(party);
      byName.set(name, party);
    }
    if (!party.roles.includes('funder')) party.roles.push('funder');
    financierOf.set(allocation.id, { id: party.id, name: party.name });
  }
  return { parties, publicAuthority, financierOf };
}

/** `budget.amount`: the total investment when known, else the VND sum of the known allocations, else nothing. */
export function budgetAmount(
  project: ExportProject,
  allocations: readonly ExportAllocation[],
): { value: { amount: number; currency: string }; isTotal: boolean } | null {
  if (project.totalInvestmentAmount !== null && project.totalInvestmentCurrency !== null) {
    return {
      value: { amount: amountNumber(project.totalInvestmentAmount), currency: project.totalInvestmentCurrency },
      isTotal: true,
    };
  }
  const known = allocations.map((a) => a.amountVnd).filter((v): v is string => v !== null);
  if (known.length === 0) return null;
  return { value: { amount: amountNumber(addDecimals(known)), currency: 'VND' }, isTotal: false };
}

export const ALLOCATION_SUM_NOTE = 'Sum of the known funding allocations in VND; the total investment is not recorded.';

/** `budget.description`: what the total covers, or that the amount is a sum of allocations. */
export function budgetDescription(project: ExportProject, amount: ReturnType<typeof budgetAmount>): string | undefined {
  if (amount && !amount.isTotal) return ALLOCATION_SUM_NOTE;
  return project.totalInvestmentNote ?? undefined;
}

/** `period`: the planned start and completion, with the duration when both are known. */
export function projectPeriod(
  project: Pick<ExportProject, 'plannedStart' | 'plannedCompletion'>,
): Record<string, unknown> | undefined {
  const { plannedStart: start, plannedCompletion: end } = project;
  if (!start && !end) return undefined;
  return prune({
    startDate: start ? dateTimeOf(start) : undefined,
    endDate: end ? dateTimeOf(end) : undefined,
    durationInDays: start && end ? daysBetween(start, end) : undefined,
  });
}

/**
 * A registry project as an OC4IDS 0.9 project object:
 *
 * - `id`: the prefix (OC4IDS_PREFIX) and the project code; a code that already is an OC4IDS id is kept as it is.
 * - `updated`: when the project last changed; `language`: `vi`.
 * - `title`: the (Vietnamese) name; `description`: the description.
 * - `status`: from the status mapping (src/modules/project/status.ts); `type`: the type in lower case.
 * - `sector`: the projectSector code with its parent (`TRANSPORT_RAIL` → `transport`, `transport.rail`).
 * - `period`: planned start and completion as midnight UTC, with `durationInDays` when both are known.
 * - `budget.amount`: the total investment in its currency when known, else the VND sum of the allocations whose
 *   amount is known, else left out; `budget.description`: the note on the total (or that the amount is a sum).
 * - `budget.budgetBreakdowns`: one group (`funding`) with one entry per allocation in its original currency,
 *   described by funding source and financier, its fiscal year as `period`, the financier as `sourceParty`.
 * - `budget.finance`: ODA, PPP and private allocations as financing arrangements (ODA: concessional, multilateral or
 *   bilateral when the financier's name says which; PPP and private: commercial; loan, grant or bond when the
 *   financier or note says so).
 * - `parties` and `publicAuthority`: see `projectParties`.
 * - `locations`: each location, its name and description as `description`, its GeoJSON geometry when OC4IDS can
 *   hold it; `id` is its position.
 * - `relatedProjects`: other projects serving the same plan tasks (at most MAX_RELATED_PROJECTS, most shared first),
 *   by OC4IDS id.
 * - `documents`: the sources of the project, its status history and its funding (with their URL, or their legal
 *   document's), then one `policyAlignment` document per plan task the project serves, with the task's text;
 *   `policyAlignment` names the plan (`infrastructurePlan`) and the tasks.
 * - `completion`: for a completed project, the day it was completed and the note of that status change.
 */
export function toOc4idsProject(bundle: ProjectBundle, prefix: string): Record<string, unknown> {
  const { project, owner, allocations, locations, statusChanges, tasks, sources, related } = bundle;
  const { parties, publicAuthority, financierOf } = projectParties(owner, allocations);
  const amount = budgetAmount(project, allocations);
  const completed =
    project.status === 'COMPLETED' ? [...statusChanges].reverse().find((c) => c.status === 'COMPLETED') : undefined;

  return prune({
    id: oc4idsProjectId(prefix, project.code),
    updated: instantOf(project.updatedAt),
    language: EXPORT_LANGUAGE,
    title: project.name,
    description: project.description ?? undefined,
    status: OC4IDS_PROJECT_STATUS[project.status],
    type: oc4idsType(project.type),
    sector: [...SECTOR_CODES[project.sector]],
    period: projectPeriod(project),
    budget: {
      description: budgetDescription(project, amount),
      amount: amount?.value,
      budgetBreakdowns:
        allocations.length === 0
          ? undefined
          : [
              {
                id: FUNDING_BREAKDOWN_ID,
                description: 'Funding allocations by source and financier, each in its original currency.',
                budgetBreakdown: allocations.map((a) => breakdownEntry(a, financierOf.get(a.id) ?? null)),
              },
            ],
      finance: allocations
        .filter((a) => FINANCE_SOURCES.has(a.sourceCode))
        .map((a) => financeEntry(a, financierOf.get(a.id) ?? null)),
    },
    parties,
    publicAuthority: publicAuthority ?? undefined,
    locations: locations.map(oc4idsLocation),
    relatedProjects: related.map((r) => ({
      id: r.code,
      scheme: 'oc4ids',
      identifier: oc4idsProjectId(prefix, r.code),
      title: r.name,
    })),
    documents: [
      ...sources.map((s) => ({
        id: `source-${s.id}`,
        title: s.title,
        description: s.quote ?? undefined,
        url: normalizedUrl(s.url) ?? normalizedUrl(s.documentUrl) ?? undefined,
        datePublished: s.publishedOn ? dateTimeOf(s.publishedOn) : undefined,
        author: s.publisher ?? undefined,
      })),
      ...tasks.map((t) => ({
        id: `plan-task:${t.planCode}:${t.taskCode}`,
        documentType: 'policyAlignment',
        title: `Plan ${t.planCode}, task ${t.taskCode}`,
        description: t.text,
      })),
    ],
    policyAlignment:
      tasks.length === 0
        ? undefined
        : { policies: ['infrastructurePlan'], description: `Serves ${planTaskList(tasks)}.` },
    completion: completed
      ? { endDate: dateTimeOf(completed.effectiveOn), endDateDetails: completed.note ?? undefined }
      : undefined,
  });
}

function planTaskList(tasks: readonly ExportTask[]): string {
  const byPlan = new Map<string, string[]>();
  for (const t of tasks) byPlan.set(t.planCode, [...(byPlan.get(t.planCode) ?? []), t.taskCode]);
  return [...byPlan]
    .map(([plan, codes]) => `${codes.length === 1 ? 'task' : 'tasks'} ${codes.join(', ')} of plan ${plan}`)
    .join('; ');
}

/** The package's fields before `projects`, in the order they are written. */
export function packageEnvelope(uri: string, publishedDate: string): Record<string, unknown> {
  return { uri, publishedDate, version: OC4IDS_VERSION, publisher: { ...PACKAGE_PUBLISHER }, license: PACKAGE_LICENSE };
}
