import { listOptions } from '../project/list/loaders';
import type { Resolvers } from '../../__generated__/graphql';
import { toGlobalId } from '../../lib/global-id';
import { payload, writeRequest } from '../../graphql/payload';
import { agencyService } from './agency.service';

export const agencyResolvers: Resolvers = {
  Mutation: {
    createAgency: async (_, { input }, context) =>
      payload(
        context,
        input,
        await agencyService.create(writeRequest(context), input),
        async (row) => ({ agency: await context.loaders.agencyById.load(row.id) }),
        { agency: null },
      ),
    recordAgencySuccession: async (_, { input }, context) =>
      payload(
        context,
        input,
        await agencyService.recordSuccession(writeRequest(context), input),
        async ({ predecessor, successor }) => ({
          predecessor: await context.loaders.agencyById.load(predecessor.id),
          successor: await context.loaders.agencyById.load(successor.id),
        }),
        { predecessor: null, successor: null },
      ),
  },
  Query: {
    agencies: (_, args, { loaders }) => loaders.agencies(args),
    agency: (_, { code }, { loaders }) => loaders.agencyByCode.load(code.normalize('NFC')),
  },
  Agency: {
    id: (agency) => toGlobalId('Agency', agency.id),
    successors: async (agency, _, { loaders }) =>
      (await loaders.successionsByPredecessorId.load(agency.id)).map((row) => ({ row, otherId: row.successorId })),
    predecessors: async (agency, _, { loaders }) =>
      (await loaders.successionsBySuccessorId.load(agency.id)).map((row) => ({ row, otherId: row.predecessorId })),
    current: async (agency, _, { loaders }) => {
      const currentId = await loaders.currentAgencyIdByAgencyId.load(agency.id);
      return (await loaders.agencyById.load(currentId))!;
    },
    assignments: (agency, args, { loaders }) => loaders.assignmentsByAgency(agency.id, args),
    projects: (agency, args, { loaders }, info) => loaders.projectsByAgency(agency.id, args, listOptions(info)),
    sources: (agency, _, { loaders }) => loaders.sourcesByAgencyId.load(agency.id),
  },
  AgencySuccession: {
    agency: async ({ otherId }, _, { loaders }) => (await loaders.agencyById.load(otherId))!,
    kind: ({ row }) => row.kind,
    effectiveOn: ({ row }) => row.effectiveOn,
    dateInferred: ({ row }) => row.dateInferred,
    reason: ({ row }) => row.reason,
    note: ({ row }) => row.note,
    document: ({ row }, _, { loaders }) =>
      row.documentId === null ? null : loaders.legalDocumentById.load(row.documentId),
    sources: ({ row }, _, { loaders }) => loaders.sourcesBySuccessionId.load(row.id),
  },
  AgencyAssignment: {
    task: async (assignment, _, { loaders }) => (await loaders.taskById.load(assignment.taskId))!,
    section: (assignment, _, { loaders }) =>
      assignment.sectionId === null ? null : loaders.sectionById.load(assignment.sectionId),
  },
};
