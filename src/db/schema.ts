import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

// Enums. Their order is meaningful: ordering by an enum column follows it.
export const legalDocumentKind = pgEnum('legal_document_kind', [
  'PARTY_RESOLUTION',
  'PARTY_CONCLUSION',
  'PARTY_PROGRAMME',
  'LAW',
  'NATIONAL_ASSEMBLY_RESOLUTION',
  'DECREE',
  'DECISION',
  'PLAN',
  'OFFICIAL_LETTER',
  'COUNCIL_RESOLUTION',
  'OTHER',
]);
export const agencyKind = pgEnum('agency_kind', [
  'PEOPLES_COMMITTEE',
  'PEOPLES_COUNCIL',
  'DEPARTMENT',
  'MINISTRY',
  'GOVERNMENT',
  'PARTY_BODY',
  'NATIONAL_ASSEMBLY',
  'PROJECT_MANAGEMENT_BOARD',
  'STATE_ENTERPRISE',
  'COMPANY',
  'DEVELOPMENT_PARTNER',
  'OTHER',
]);
export const successionKind = pgEnum('succession_kind', ['MERGER', 'RENAME', 'TRANSFER', 'SPLIT']);
export const legalRelation = pgEnum('legal_relation', ['IMPLEMENTS', 'BASED_ON', 'PROPOSED_BY', 'EARLIER_PROGRAMME']);
export const assignmentRole = pgEnum('assignment_role', ['LEAD', 'COORDINATING', 'IMPLEMENTING']);
export const projectStatus = pgEnum('project_status', [
  'PLANNED',
  'PREPARATION',
  'APPROVED',
  'UNDER_CONSTRUCTION',
  'COMPLETED',
  'SUSPENDED',
  'CANCELLED',
]);
export const projectSector = pgEnum('project_sector', [
  'EDUCATION',
  'HEALTH',
  'ENERGY',
  'ENERGY_SOLAR',
  'ENERGY_WIND',
  'ENERGY_HYDROPOWER',
  'ENERGY_BIOMASS',
  'ENERGY_GEOTHERMAL',
  'COMMUNICATIONS',
  'WATER_AND_WASTE',
  'GOVERNANCE',
  'ECONOMY',
  'CULTURE_SPORTS_AND_RECREATION',
  'TRANSPORT',
  'TRANSPORT_AIR',
  'TRANSPORT_WATER',
  'TRANSPORT_RAIL',
  'TRANSPORT_ROAD',
  'TRANSPORT_URBAN',
  'TRANSPORT_LOW_CARBON',
  'SOCIAL_HOUSING',
  'NATURAL_RESOURCES',
  'NATURAL_RESOURCES_FLOOD_PROTECTION',
]);
export const projectType = pgEnum('project_type', [
  'CONSTRUCTION',
  'REHABILITATION',
  'REPLACEMENT',
  'EXPANSION',
  'DECOMMISSIONING',
]);
export const locationLevel = pgEnum('location_level', [
  'COUNTRY',
  'PROVINCE',
  'DISTRICT',
  'COMMUNE',
  'CORRIDOR',
  'SITE',
]);
export const fundingCategory = pgEnum('funding_category', [
  'PUBLIC',
  'CONCESSIONAL',
  'PRIVATE',
  'MIXED',
  'LAND_BASED',
  'OTHER',
]);
export const allocationStatus = pgEnum('allocation_status', ['PROPOSED', 'PLANNED', 'COMMITTED', 'DISBURSED']);
export const confidence = pgEnum('confidence', ['HIGH', 'MEDIUM', 'LOW']);

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
};
const id = () => integer('id').primaryKey().generatedAlwaysAsIdentity();
/** Money in whole units of its currency; 24 digits with 2 decimals holds any public budget in VND. */
const money = (name: string) => numeric(name, { precision: 24, scale: 2 });
const currency = (name: string) => char(name, { length: 3 });

export const legalDocuments = pgTable(
  'legal_documents',
  {
    id: id(),
    code: text('code').notNull(),
    kind: legalDocumentKind('kind').notNull(),
    title: text('title').notNull(),
    titleEn: text('title_en'),
    issuedOn: date('issued_on', { mode: 'string' }),
    issuer: text('issuer').notNull(),
    url: text('url'),
    note: text('note'),
    ...timestamps,
  },
  (t) => [uniqueIndex('legal_documents_code_key').on(t.code), index('legal_documents_kind_idx').on(t.kind)],
);

export const agencies = pgTable(
  'agencies',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    kind: agencyKind('kind').notNull(),
    jurisdictionCode: text('jurisdiction_code').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('agencies_code_key').on(t.code),
    uniqueIndex('agencies_code_lower_key').on(sql`lower(${t.code})`),
    index('agencies_kind_idx').on(t.kind),
    index('agencies_jurisdiction_code_idx').on(t.jurisdictionCode),
    check(
      'agencies_valid_range_check',
      sql`${t.validTo} is null or ${t.validFrom} is null or ${t.validTo} > ${t.validFrom}`,
    ),
  ],
);

export const agencySuccessions = pgTable(
  'agency_successions',
  {
    id: id(),
    predecessorId: integer('predecessor_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    successorId: integer('successor_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    kind: successionKind('kind').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    dateInferred: boolean('date_inferred').notNull().default(false),
    documentId: integer('document_id').references(() => legalDocuments.id, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    note: text('note'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('agency_successions_pair_key').on(t.predecessorId, t.successorId, t.effectiveOn),
    index('agency_successions_successor_idx').on(t.successorId),
    index('agency_successions_document_idx').on(t.documentId),
    index('agency_successions_effective_on_idx').on(t.effectiveOn),
    check('agency_successions_distinct_check', sql`${t.predecessorId} <> ${t.successorId}`),
  ],
);

export const sourceReferences = pgTable(
  'source_references',
  {
    id: id(),
    /** md5 of url, document, title and quote: the same citation is stored once. */
    fingerprint: text('fingerprint').notNull(),
    url: text('url'),
    documentId: integer('document_id').references(() => legalDocuments.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    publisher: text('publisher'),
    quote: text('quote'),
    publishedOn: date('published_on', { mode: 'string' }),
    retrievedOn: date('retrieved_on', { mode: 'string' }).notNull(),
    confidence: confidence('confidence').notNull(),
    note: text('note'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('source_references_fingerprint_key').on(t.fingerprint),
    index('source_references_document_idx').on(t.documentId),
    check('source_references_locator_check', sql`${t.url} is not null or ${t.documentId} is not null`),
  ],
);

export const plans = pgTable(
  'plans',
  {
    id: id(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    titleEn: text('title_en'),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    issuerId: integer('issuer_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'restrict' }),
    place: text('place'),
    sourceText: text('source_text'),
    sourceComplete: boolean('source_complete').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('plans_code_key').on(t.code),
    uniqueIndex('plans_code_lower_key').on(sql`lower(${t.code})`),
    index('plans_issuer_idx').on(t.issuerId),
    index('plans_issued_on_idx').on(t.issuedOn),
  ],
);

export const planLegalBases = pgTable(
  'plan_legal_bases',
  {
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    documentId: integer('document_id')
      .notNull()
      .references(() => legalDocuments.id, { onDelete: 'restrict' }),
    relation: legalRelation('relation').notNull(),
    position: integer('position').notNull(),
    note: text('note'),
  },
  (t) => [
    primaryKey({ name: 'plan_legal_bases_pkey', columns: [t.planId, t.documentId, t.relation] }),
    index('plan_legal_bases_document_idx').on(t.documentId),
  ],
);

export const planTargets = pgTable(
  'plan_targets',
  {
    id: id(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    text: text('text').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    index('plan_targets_plan_idx').on(t.planId, t.position),
    check('plan_targets_year_check', sql`${t.year} between 1900 and 2200`),
  ],
);

export const planSections = pgTable(
  'plan_sections',
  {
    id: id(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    parentId: integer('parent_id').references((): AnyPgColumn => planSections.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    heading: text('heading').notNull(),
    body: text('body'),
    level: integer('level').notNull(),
    /** Document order across the whole plan. */
    position: integer('position').notNull(),
    sourceIncomplete: boolean('source_incomplete').notNull().default(false),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('plan_sections_plan_number_key').on(t.planId, t.number),
    index('plan_sections_plan_position_idx').on(t.planId, t.position),
    index('plan_sections_parent_idx').on(t.parentId, t.position),
    check('plan_sections_level_check', sql`${t.level} >= 1`),
  ],
);

export const sectionAssignments = pgTable(
  'section_assignments',
  {
    sectionId: integer('section_id')
      .notNull()
      .references(() => planSections.id, { onDelete: 'cascade' }),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'restrict' }),
    role: assignmentRole('role').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'section_assignments_pkey', columns: [t.sectionId, t.agencyId, t.role] }),
    index('section_assignments_agency_idx').on(t.agencyId),
  ],
);

export const planTasks = pgTable(
  'plan_tasks',
  {
    id: id(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    sectionId: integer('section_id')
      .notNull()
      .references(() => planSections.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    /** Position inside its section, from 1. */
    position: integer('position').notNull(),
    /** Document order across the whole plan. */
    sortOrder: integer('sort_order').notNull(),
    text: text('text').notNull(),
  },
  (t) => [
    uniqueIndex('plan_tasks_plan_code_key').on(t.planId, t.code),
    index('plan_tasks_plan_order_idx').on(t.planId, t.sortOrder, t.id),
    index('plan_tasks_section_idx').on(t.sectionId, t.position),
    index('plan_tasks_code_idx').on(t.code),
    check('plan_tasks_position_check', sql`${t.position} >= 1`),
  ],
);

/**
 * The agencies a task falls to, as the text assigns them: the item's section names them and every task of the
 * item carries them (`sectionId` says which section's text did). A task with no row falls to the plan's issuer.
 */
export const taskAssignments = pgTable(
  'task_assignments',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => planTasks.id, { onDelete: 'cascade' }),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'restrict' }),
    role: assignmentRole('role').notNull(),
    sectionId: integer('section_id').references(() => planSections.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'task_assignments_pkey', columns: [t.taskId, t.agencyId, t.role] }),
    index('task_assignments_agency_idx').on(t.agencyId, t.taskId),
    index('task_assignments_section_idx').on(t.sectionId),
    index('task_assignments_role_idx').on(t.role),
  ],
);

export const fundingSources = pgTable(
  'funding_sources',
  {
    id: id(),
    code: text('code').notNull(),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en').notNull(),
    category: fundingCategory('category').notNull(),
    description: text('description'),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('funding_sources_code_key').on(t.code), index('funding_sources_category_idx').on(t.category)],
);

export const projects = pgTable(
  'projects',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    description: text('description'),
    sector: projectSector('sector').notNull(),
    type: projectType('type').notNull(),
    status: projectStatus('status').notNull(),
    /** Effective date of the newest status change. */
    statusChangedOn: date('status_changed_on', { mode: 'string' }),
    ownerAgencyId: integer('owner_agency_id').references(() => agencies.id, { onDelete: 'set null' }),
    plannedStart: date('planned_start', { mode: 'string' }),
    plannedCompletion: date('planned_completion', { mode: 'string' }),
    lengthKm: numeric('length_km', { precision: 10, scale: 3 }),
    totalInvestmentAmount: money('total_investment_amount'),
    totalInvestmentCurrency: currency('total_investment_currency'),
    totalInvestmentRateToVnd: numeric('total_investment_rate_to_vnd', { precision: 20, scale: 6 }),
    totalInvestmentRateDate: date('total_investment_rate_date', { mode: 'string' }),
    totalInvestmentVnd: money('total_investment_vnd'),
    totalInvestmentNote: text('total_investment_note'),
    notes: text('notes'),
    /**
     * Code, names, description and location names folded to lower-case ASCII (`registry_fold`) for
     * diacritics-insensitive search. Kept current by triggers (drizzle/0003_project_search.sql); never written by hand.
     */
    searchText: text('search_text').notNull().default(''),
    version: integer('version').notNull().default(1),
    archivedAt: timestamp('archived_at', { withTimezone: true, mode: 'string' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('projects_code_key').on(t.code),
    // Codes are unique without regard to case: `bd-metro-1` may not stand beside `BD-METRO-1`.
    uniqueIndex('projects_code_lower_key').on(sql`lower(${t.code})`),
    index('projects_status_idx').on(t.status),
    index('projects_sector_idx').on(t.sector),
    index('projects_type_idx').on(t.type),
    index('projects_owner_agency_idx').on(t.ownerAgencyId),
    index('projects_planned_completion_idx').on(t.plannedCompletion, t.id),
    index('projects_total_investment_vnd_idx').on(t.totalInvestmentVnd, t.id),
    index('projects_status_changed_on_idx').on(t.statusChangedOn, t.id),
    index('projects_updated_at_idx').on(t.updatedAt),
    index('projects_name_idx').on(t.name, t.id),
    index('projects_search_text_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    check('projects_version_check', sql`${t.version} >= 1`),
    check('projects_length_check', sql`${t.lengthKm} is null or ${t.lengthKm} >= 0`),
    check(
      'projects_period_check',
      sql`${t.plannedStart} is null or ${t.plannedCompletion} is null or ${t.plannedCompletion} >= ${t.plannedStart}`,
    ),
    check(
      'projects_total_investment_check',
      sql`(${t.totalInvestmentAmount} is null or ${t.totalInvestmentAmount} >= 0)
        and (${t.totalInvestmentAmount} is null or ${t.totalInvestmentCurrency} is not null)
        and (${t.totalInvestmentCurrency} is null or ${t.totalInvestmentCurrency} ~ '^[A-Z]{3}$')
        and (${t.totalInvestmentRateToVnd} is null or ${t.totalInvestmentRateToVnd} > 0)
        and (${t.totalInvestmentVnd} is null or ${t.totalInvestmentVnd} >= 0)`,
    ),
  ],
);

export const projectTasks = pgTable(
  'project_tasks',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    taskId: integer('task_id')
      .notNull()
      .references(() => planTasks.id, { onDelete: 'cascade' }),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    primaryKey({ name: 'project_tasks_pkey', columns: [t.projectId, t.taskId] }),
    index('project_tasks_task_idx').on(t.taskId, t.projectId),
  ],
);

export const projectLocations = pgTable(
  'project_locations',
  {
    id: id(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    level: locationLevel('level').notNull(),
    description: text('description'),
    /** A GeoJSON geometry, when one is known. */
    geometry: jsonb('geometry'),
    position: integer('position').notNull(),
  },
  (t) => [
    index('project_locations_project_idx').on(t.projectId, t.position),
    index('project_locations_name_idx').on(t.name),
    check('project_locations_geometry_check', sql`${t.geometry} is null or jsonb_typeof(${t.geometry}) = 'object'`),
  ],
);

export const projectStatusChanges = pgTable(
  'project_status_changes',
  {
    id: id(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    status: projectStatus('status').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    index('project_status_changes_project_idx').on(t.projectId, t.effectiveOn, t.id),
    index('project_status_changes_status_idx').on(t.status),
  ],
);

export const fundingAllocations = pgTable(
  'funding_allocations',
  {
    id: id(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    sourceId: integer('source_id')
      .notNull()
      .references(() => fundingSources.id, { onDelete: 'restrict' }),
    financier: text('financier'),
    /** Null when the amount is not known. */
    amount: money('amount'),
    currency: currency('currency').notNull(),
    rateToVnd: numeric('rate_to_vnd', { precision: 20, scale: 6 }),
    rateDate: date('rate_date', { mode: 'string' }),
    rateNote: text('rate_note'),
    amountVnd: money('amount_vnd'),
    status: allocationStatus('status').notNull(),
    fiscalYear: integer('fiscal_year'),
    note: text('note'),
    position: integer('position').notNull(),
    ...timestamps,
  },
  (t) => [
    index('funding_allocations_project_idx').on(t.projectId, t.position),
    // Funding mixes read (project, source, VND amount) for many projects: all three in the index, no heap visits.
    index('funding_allocations_mix_idx').on(t.projectId, t.sourceId, t.amountVnd),
    index('funding_allocations_source_idx').on(t.sourceId),
    index('funding_allocations_financier_idx').on(sql`lower(${t.financier})`),
    index('funding_allocations_status_idx').on(t.status),
    check('funding_allocations_amount_check', sql`${t.amount} is null or ${t.amount} >= 0`),
    check('funding_allocations_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('funding_allocations_rate_check', sql`${t.rateToVnd} is null or ${t.rateToVnd} > 0`),
    check(
      'funding_allocations_rate_date_check',
      sql`(${t.rateToVnd} is null) = (${t.rateDate} is null) or ${t.currency} = 'VND'`,
    ),
    check(
      'funding_allocations_vnd_check',
      sql`(${t.amount} is null and ${t.amountVnd} is null)
        or (${t.currency} = 'VND' and ${t.amountVnd} = ${t.amount})
        or (${t.currency} <> 'VND' and ${t.amount} is not null and (${t.rateToVnd} is null) = (${t.amountVnd} is null))`,
    ),
    check(
      'funding_allocations_fiscal_year_check',
      sql`${t.fiscalYear} is null or ${t.fiscalYear} between 1900 and 2200`,
    ),
  ],
);

// Citations: which source backs which record, and for which of its figures (`supports`).
const citation = (name: string, owner: AnyPgColumn, ownerColumn: string) =>
  pgTable(
    name,
    {
      ownerId: integer(ownerColumn)
        .notNull()
        .references(() => owner, { onDelete: 'cascade' }),
      sourceId: integer('source_id')
        .notNull()
        .references(() => sourceReferences.id, { onDelete: 'restrict' }),
      supports: text('supports').notNull().default(''),
      position: integer('position').notNull(),
    },
    (t) => [
      primaryKey({ name: `${name}_pkey`, columns: [t.ownerId, t.sourceId, t.supports] }),
      index(`${name}_source_idx`).on(t.sourceId),
    ],
  );

export const projectSources = citation('project_sources', projects.id, 'project_id');
export const allocationSources = citation('allocation_sources', fundingAllocations.id, 'allocation_id');
export const statusChangeSources = citation('status_change_sources', projectStatusChanges.id, 'status_change_id');
export const successionSources = citation('succession_sources', agencySuccessions.id, 'succession_id');
export const agencySources = citation('agency_sources', agencies.id, 'agency_id');

/** Every successful write, in the transaction of the write. Append-only. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    actorSubject: text('actor_subject').notNull(),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id').notNull(),
    clientMutationId: text('client_mutation_id'),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entityType, t.entityId, t.id),
    index('audit_log_actor_idx').on(t.actorSubject, t.id),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_action_idx').on(t.action),
  ],
);

/** Responses of requests sent with an Idempotency-Key, per caller, so a repeat answers the first result. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    subject: text('subject').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still running. */
    response: jsonb('response'),
    httpStatus: integer('http_status'),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.subject, t.key] }),
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);

export type LegalDocumentRow = typeof legalDocuments.$inferSelect;
export type AgencyRow = typeof agencies.$inferSelect;
export type AgencySuccessionRow = typeof agencySuccessions.$inferSelect;
export type SourceReferenceRow = typeof sourceReferences.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;
export type PlanLegalBasisRow = typeof planLegalBases.$inferSelect;
export type PlanTargetRow = typeof planTargets.$inferSelect;
export type PlanSectionRow = typeof planSections.$inferSelect;
export type PlanTaskRow = typeof planTasks.$inferSelect;
export type TaskAssignmentRow = typeof taskAssignments.$inferSelect;
export type SectionAssignmentRow = typeof sectionAssignments.$inferSelect;
export type FundingSourceRow = typeof fundingSources.$inferSelect;
/** A project as the API reads it: `search_text` (the folded text search matches) stays in the database. */
export type ProjectRow = Omit<typeof projects.$inferSelect, 'searchText'>;
export type ProjectLocationRow = typeof projectLocations.$inferSelect;
export type ProjectStatusChangeRow = typeof projectStatusChanges.$inferSelect;
export type FundingAllocationRow = typeof fundingAllocations.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;
