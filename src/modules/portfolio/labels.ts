import type { ProjectSector, ProjectStatus } from '../../__generated__/graphql';

/** English titles of the sectors, from the OC4IDS projectSector codelist. */
export const SECTOR_LABELS: Record<ProjectSector, string> = {
  EDUCATION: 'Education',
  HEALTH: 'Health',
  ENERGY: 'Energy',
  ENERGY_SOLAR: 'Solar energy',
  ENERGY_WIND: 'Wind energy',
  ENERGY_HYDROPOWER: 'Hydropower energy',
  ENERGY_BIOMASS: 'Biomass energy',
  ENERGY_GEOTHERMAL: 'Geothermal energy',
  COMMUNICATIONS: 'Communications',
  WATER_AND_WASTE: 'Water and waste',
  GOVERNANCE: 'Governance',
  ECONOMY: 'Economy',
  CULTURE_SPORTS_AND_RECREATION: 'Culture, sports and recreation',
  TRANSPORT: 'Transport',
  TRANSPORT_AIR: 'Air transport',
  TRANSPORT_WATER: 'Water transport',
  TRANSPORT_RAIL: 'Rail transport',
  TRANSPORT_ROAD: 'Road transport',
  TRANSPORT_URBAN: 'Urban transport',
  TRANSPORT_LOW_CARBON: 'Low-carbon transport',
  SOCIAL_HOUSING: 'Social housing',
  NATURAL_RESOURCES: 'Natural resources',
  NATURAL_RESOURCES_FLOOD_PROTECTION: 'Flood protection',
};

export const STATUS_LABELS: Record<ProjectStatus, string> = {
  PLANNED: 'Planned',
  PREPARATION: 'In preparation',
  APPROVED: 'Approved',
  UNDER_CONSTRUCTION: 'Under construction',
  COMPLETED: 'Completed',
  SUSPENDED: 'Suspended',
  CANCELLED: 'Cancelled',
};

/** The key of the group of allocations that name no financier. */
export const UNRECORDED_FINANCIER = '(not recorded)';
