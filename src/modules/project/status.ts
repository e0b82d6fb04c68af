import type { ProjectStatus } from '../../__generated__/graphql';

/** The OC4IDS projectStatus code for each registry status (see schema/project.graphql). */
export const OC4IDS_PROJECT_STATUS: Record<ProjectStatus, string> = {
  PLANNED: 'identification',
  PREPARATION: 'preparation',
  APPROVED: 'preparation',
  UNDER_CONSTRUCTION: 'implementation',
  COMPLETED: 'completion',
  SUSPENDED: 'implementation',
  CANCELLED: 'cancelled',
};
