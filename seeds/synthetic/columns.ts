/**
 * The enumerated column types the generator draws values for, read off the schema so that they follow it: a value
 * the schema does not allow fails the type check here rather than the insert.
 */

import type {
  agencies,
  agencySuccessions,
  fundingAllocations,
  projectLocations,
  projects,
  taskAssignments,
} from '../../src/db/schema';

export type Sector = (typeof projects.$inferInsert)['sector'];
export type ProjectType = (typeof projects.$inferInsert)['type'];
export type Status = (typeof projects.$inferInsert)['status'];
export type AllocationStatus = (typeof fundingAllocations.$inferInsert)['status'];
export type LocationLevel = (typeof projectLocations.$inferInsert)['level'];
export type AgencyKind = (typeof agencies.$inferInsert)['kind'];
export type SuccessionKind = (typeof agencySuccessions.$inferInsert)['kind'];
export type Role = (typeof taskAssignments.$inferInsert)['role'];
