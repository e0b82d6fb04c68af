/**
 * The shape of the reviewed data files in `seeds/data/`. The loader (`seeds/load.ts`) reads them, checks every
 * cross-reference, and writes them in one transaction. Amounts are decimal strings in whole units of their
 * currency (VND 2,290 billion is "2290000000000"), never numbers, so nothing is rounded on the way in.
 */

/** A public source for a figure or a fact. `url` or `documentCode` (a legal document in legal-documents.json). */
export interface SeedSource {
  url?: string;
  documentCode?: string;
  title: string;
  publisher?: string;
  /** A short verbatim quote that carries the figure. */
  quote?: string;
  publishedOn?: string; // YYYY-MM-DD, when the source gives it
  retrievedOn: string; // YYYY-MM-DD
  confidence: 'HIGH' | 'MEDIUM' | 'LOW';
  /** What the source supports on the record it is attached to, e.g. "totalInvestment", "lengthKm", "status". */
  supports?: string;
  note?: string;
}

export type LegalDocumentKind =
  | 'PARTY_RESOLUTION'
  | 'PARTY_CONCLUSION'
  | 'PARTY_PROGRAMME'
  | 'LAW'
  | 'NATIONAL_ASSEMBLY_RESOLUTION'
  | 'DECREE'
  | 'DECISION'
  | 'PLAN'
  | 'OFFICIAL_LETTER'
  | 'COUNCIL_RESOLUTION'
  | 'OTHER';

export interface SeedLegalDocument {
  code: string; // as printed, e.g. "72-KL/TW", "693/QĐ-TTg", "202/2025/QH15"
  kind: LegalDocumentKind;
  title: string; // Vietnamese title when known, else English
  titleEn?: string;
  issuedOn?: string; // YYYY-MM-DD
  issuer: string; // e.g. "Bộ Chính trị (Politburo)"
  url?: string;
  note?: string;
}

export type AgencyKind =
  | 'PEOPLES_COMMITTEE'
  | 'PEOPLES_COUNCIL'
  | 'DEPARTMENT'
  | 'MINISTRY'
  | 'GOVERNMENT'
  | 'PARTY_BODY'
  | 'NATIONAL_ASSEMBLY'
  | 'PROJECT_MANAGEMENT_BOARD'
  | 'STATE_ENTERPRISE'
  | 'COMPANY'
  | 'DEVELOPMENT_PARTNER'
  | 'OTHER';

export interface SeedAgency {
  code: string; // jurisdiction prefix + short code: "BD.SGTVT", "HCM.SXD", "VN.BXD"
  name: string; // Vietnamese
  nameEn: string;
  kind: AgencyKind;
  jurisdictionCode: string; // "BD", "HCM", "VN", "INT"
  jurisdiction: string; // "Tỉnh Bình Dương", "Thành phố Hồ Chí Minh", "Việt Nam", "International"
  validFrom?: string;
  validTo?: string; // the day it ceased (exclusive end), when it did
  sources?: SeedSource[];
}

export type SuccessionKind = 'MERGER' | 'RENAME' | 'TRANSFER' | 'SPLIT';

export interface SeedAgencySuccession {
  predecessorCode: string;
  successorCode: string;
  kind: SuccessionKind;
  effectiveOn: string;
  /** True when the effective date is inferred rather than stated by a source; say how in `note`. */
  dateInferred: boolean;
  documentCode?: string; // the legal document that made it
  reason: string;
  note?: string;
  sources: SeedSource[];
}

export interface SeedFundingSource {
  code: 'ODA' | 'CENTRAL_BUDGET' | 'PROVINCIAL_BUDGET' | 'PPP' | 'LAND_VALUE_CAPTURE' | 'PRIVATE' | 'OTHER';
  nameVi: string;
  nameEn: string;
  category: 'PUBLIC' | 'CONCESSIONAL' | 'PRIVATE' | 'MIXED' | 'LAND_BASED' | 'OTHER';
  description?: string;
}

export type AssignmentRole = 'LEAD' | 'COORDINATING' | 'IMPLEMENTING';

export interface SeedSection {
  number: string; // "I", "II", "II.1", "II.3.a", "II.4.đ"
  heading: string; // verbatim
  /** The intro paragraph of the section when it is not itself a task (verbatim), e.g. I's assessment text. */
  body?: string;
  assignments?: { agencyCode: string; role: AssignmentRole }[];
  /** Tasks in document order; codes are `${number}.${position}` with position from 1. */
  tasks?: { text: string }[];
  children?: SeedSection[];
  /** True where the source text stops inside the section. */
  sourceIncomplete?: boolean;
  note?: string;
}

export interface SeedPlan {
  code: string;
  title: string; // verbatim Vietnamese
  titleEn: string;
  issuedOn: string;
  issuerCode: string; // agency code
  place?: string;
  /** Path of the plan's text inside the repository, the source of record. */
  sourceText: string;
  sourceComplete: boolean;
  legalBasis: {
    documentCode: string;
    relation: 'IMPLEMENTS' | 'BASED_ON' | 'PROPOSED_BY' | 'EARLIER_PROGRAMME';
    note?: string;
  }[];
  targets: { year: number; text: string }[];
  sections: SeedSection[];
}

export type ProjectStatus =
  'PLANNED' | 'PREPARATION' | 'APPROVED' | 'UNDER_CONSTRUCTION' | 'COMPLETED' | 'SUSPENDED' | 'CANCELLED';

export type ProjectSector =
  | 'EDUCATION'
  | 'HEALTH'
  | 'ENERGY'
  | 'ENERGY_SOLAR'
  | 'ENERGY_WIND'
  | 'ENERGY_HYDROPOWER'
  | 'ENERGY_BIOMASS'
  | 'ENERGY_GEOTHERMAL'
  | 'COMMUNICATIONS'
  | 'WATER_AND_WASTE'
  | 'GOVERNANCE'
  | 'ECONOMY'
  | 'CULTURE_SPORTS_AND_RECREATION'
  | 'TRANSPORT'
  | 'TRANSPORT_AIR'
  | 'TRANSPORT_WATER'
  | 'TRANSPORT_RAIL'
  | 'TRANSPORT_ROAD'
  | 'TRANSPORT_URBAN'
  | 'TRANSPORT_LOW_CARBON'
  | 'SOCIAL_HOUSING'
  | 'NATURAL_RESOURCES'
  | 'NATURAL_RESOURCES_FLOOD_PROTECTION';

export type ProjectType = 'CONSTRUCTION' | 'REHABILITATION' | 'REPLACEMENT' | 'EXPANSION' | 'DECOMMISSIONING';

export interface SeedMoney {
  amount: string | null; // null = unknown
  currency: string; // ISO 4217
  /** Required for a known amount in a currency other than VND. */
  rateToVnd?: string;
  rateDate?: string;
  /** Where the rate comes from (usually the source's own conversion). */
  rateNote?: string;
}

export interface SeedFundingAllocation extends SeedMoney {
  sourceCode: SeedFundingSource['code'];
  financier?: string; // "World Bank", "JICA", "Bình Dương provincial budget", an investor consortium
  status: 'PROPOSED' | 'PLANNED' | 'COMMITTED' | 'DISBURSED';
  fiscalYear?: number;
  note?: string;
  sources: SeedSource[];
}

export interface SeedProject {
  code: string; // stable, e.g. "BD-RAIL-DALN"
  name: string; // Vietnamese
  nameEn: string;
  description: string;
  sector: ProjectSector;
  type: ProjectType;
  ownerAgencyCode?: string;
  plannedStart?: string;
  plannedCompletion?: string;
  lengthKm?: string; // decimal string
  totalInvestment?: SeedMoney & { note?: string };
  taskCodes: string[]; // plan task codes, e.g. "II.4.b.2"
  locations: {
    name: string; // administrative unit, as named at the time
    level: 'COUNTRY' | 'PROVINCE' | 'DISTRICT' | 'COMMUNE' | 'CORRIDOR' | 'SITE';
    description?: string;
    geometry?: unknown; // GeoJSON geometry
  }[];
  /** In date order; the last entry is the current status. */
  statusHistory: { status: ProjectStatus; effectiveOn: string; note?: string; sources: SeedSource[] }[];
  funding: SeedFundingAllocation[];
  sources: SeedSource[];
  notes?: string;
}
