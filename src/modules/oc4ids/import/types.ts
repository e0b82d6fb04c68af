/**
 * Import of an OC4IDS 0.9 project package, shared by `npm run import:oc4ids` and the `importOc4idsPackage`
 * mutation. The package is checked first (schema, version, duplicate ids, currencies, ids that give project codes);
 * then, in one transaction with an audit entry per project, its projects are upserted by code.
 *
 * How OC4IDS becomes registry data:
 *
 * - id → project code: the configured prefix (or the placeholder `oc4ids-xxxxxx-`) is stripped; an id with another
 *   publisher's prefix (`oc4ids-` + 6 characters + `-`) is kept whole as the code, so exporting it again gives the
 *   same id. The rest of the id must be a project code as written (`BD METRO 1` is not `BD-METRO-1`).
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

export const MAX_REASONS = 20;
export const MAX_ALLOCATIONS = 200;
export const AGENCY_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Top-level project fields the import reads. */
export const MODELLED = new Set([
  'id',
  'updated',
  'language',
  'title',
  'description',
  'status',
  'type',
  'sector',
  'period',
  'budget',
  'parties',
  'publicAuthority',
  'locations',
  'completion',
]);
export const PUBLIC_ROLES = ['publicAuthority'];

export type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
