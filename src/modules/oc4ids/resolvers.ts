import type { Resolvers } from '../../__generated__/graphql';
import type { UserError } from '../../lib/user-errors';
import { writeRequest } from '../../graphql/payload';
import type { ImportReport } from './import/types';
import { importPackage } from './import/write';

/** The report as user errors, when nothing was written (the convention of the write API). */
function userErrorsOf(report: ImportReport): UserError[] {
  if (report.written) return [];
  return [
    ...report.packageErrors.map((message) => ({
      field: ['input', 'package'],
      message,
      code: 'INVALID_VALUE' as const,
    })),
    ...report.projects.flatMap((p) =>
      p.reasons.map((reason) => ({
        field: ['input', 'package', 'projects', String(p.index)],
        message: `${p.id ?? `projects[${p.index}]`}: ${reason}`,
        code: 'INVALID_VALUE' as const,
      })),
    ),
  ];
}

export const oc4idsResolvers: Resolvers = {
  Project: {
    oc4ids: (project, _, { loaders }) => loaders.oc4idsByProject.load(project),
  },
  Mutation: {
    importOc4idsPackage: async (_, { input }, context) => {
      const report = await importPackage(writeRequest(context), input.package, {
        partial: input.partial ?? false,
        prefix: context.oc4idsPrefix,
        action: 'importOc4idsPackage',
        clientMutationId: input.clientMutationId,
      });
      return { clientMutationId: input.clientMutationId ?? null, report, userErrors: userErrorsOf(report) };
    },
  },
};
