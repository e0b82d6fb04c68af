/**
 * What each GraphQL object type is backed by (codegen's mappers): database rows, or small shapes built from
 * them. Resolvers receive these as their parent.
 */
import type {
  AgencyRow,
  AuditLogRow,
  AgencySuccessionRow,
  FundingAllocationRow,
  FundingSourceRow,
  LegalDocumentRow,
  PlanLegalBasisRow,
  PlanRow,
  PlanSectionRow,
  PlanTargetRow,
  PlanTaskRow,
  ProjectLocationRow,
  ProjectRow,
  ProjectStatusChangeRow,
  SourceReferenceRow,
  TaskAssignmentRow,
} from '../db/schema';
import type { FundingGroupBy } from '../__generated__/graphql';
import type { FundingGroupRow, FundingMixRow } from '../modules/funding/funding.repository';
import type { ProjectSummaryRow } from '../modules/project/list/list.repository';
import type { AgencyAssignmentRow } from '../modules/plan/plan.repository';
import type { Connection, Edge } from '../lib/pagination';

export type PlanModel = PlanRow;
export type PlanSectionModel = PlanSectionRow;
export type PlanTaskModel = PlanTaskRow;
export type PlanLegalBasisModel = PlanLegalBasisRow;
export type PlanTargetModel = PlanTargetRow;
export type AgencyModel = AgencyRow;
export type ProjectModel = ProjectRow;
export type ProjectLocationModel = ProjectLocationRow;
export type ProjectStatusChangeModel = ProjectStatusChangeRow;
export type LegalDocumentModel = LegalDocumentRow;
export type FundingSourceModel = FundingSourceRow;
export type FundingAllocationModel = FundingAllocationRow;
/** A source, and when it is cited by a record, which of the record's figures it backs. */
export type SourceReferenceModel = SourceReferenceRow & { supports?: string };

export interface AssignmentModel {
  role: TaskAssignmentRow['role'];
  agencyId: number;
  basis: 'SECTION' | 'PLAN_ISSUER';
  sectionId: number | null;
}

/** A succession seen from one side: `otherId` is the successor or the predecessor. */
export interface AgencySuccessionModel {
  row: AgencySuccessionRow;
  otherId: number;
}

export type AgencyAssignmentModel = AgencyAssignmentRow;

export interface MoneyModel {
  amount: string;
  currency: string;
}

/** The grouped rows of one funding mix (one per funding source), all with the same total. */
export interface FundingMixModel {
  rows: FundingMixRow[];
}
export type FundingShareModel = FundingMixRow;

export type PlanConnectionModel = Connection<PlanRow>;
export type PlanEdgeModel = Edge<PlanRow>;
export type PlanTaskConnectionModel = Connection<PlanTaskRow>;
export type PlanTaskEdgeModel = Edge<PlanTaskRow>;
export type AgencyConnectionModel = Connection<AgencyRow>;
export type AgencyEdgeModel = Edge<AgencyRow>;
export type AgencyAssignmentConnectionModel = Connection<AgencyAssignmentRow>;
export type AgencyAssignmentEdgeModel = Edge<AgencyAssignmentRow>;
export type { ProjectConnectionModel, ProjectAggregateModel } from '../modules/project/list/loaders';
export type ProjectEdgeModel = Edge<ProjectRow>;
/** A bucket of `ProjectAggregate.byStatus`, `bySector` or `byYear`. */
export type ProjectBucketModel = ProjectSummaryRow;

export interface FundingMixGroupModel {
  groupBy: FundingGroupBy;
  row: FundingGroupRow;
}

export type AuditEntryModel = AuditLogRow;

/** What a field typed `Node` returns: a row of any type `node(id:)` resolves (which, `asNode` records). */
export type NodeModel =
  | PlanModel
  | PlanSectionModel
  | PlanTaskModel
  | AgencyModel
  | ProjectModel
  | ProjectStatusChangeModel
  | LegalDocumentModel
  | FundingAllocationModel
  | SourceReferenceModel;
export type AuditEntryConnectionModel = Connection<AuditLogRow>;
export type AuditEntryEdgeModel = Edge<AuditLogRow>;
