import type { Resolvers } from '../../__generated__/graphql';
import type { Context } from '../../graphql/context';
import type { ProjectRow } from '../../db/schema';
import { scheduledLoader, type RequestLoader } from '../../lib/loader-utils';
import type { UserError } from '../../lib/user-errors';
import { assertRole } from '../auth/auth';
import { oc4idsProjects } from './export';
import { importPackage, type ImportReport } from './import';
import { Oc4idsRepository } from './oc4ids.repository';
import { prefixFor } from './settings';

/** One loader per request: the OC4IDS objects of all projects a query asks for, read in one batch. */
const loaders = new WeakMap<Context, RequestLoader<ProjectRow, Record<string, unknown>, number>>();

function oc4idsLoader(context: Context) {
  let loader = loaders.get(context);
  if (!loader) {
    loader = scheduledLoader<ProjectRow, Record<string, unknown>, number>(
      context.scheduler,
      (rows) => oc4idsProjects(new Oc4idsRepository(context.db), rows, prefixFor(context.database)),
      { cacheKeyFn: (row) => row.id },
    );
    loaders.set(context, loader);
  }
  return loader;
}

/** The report as user errors, when nothing was written (the convention of the write API). */
function userErrorsOf(report: ImportReport): UserError[] {
  if (report.written) return [];
  return [
    ...report.packageErrors.map((message) => ({ field: ['input', 'package'], message, code: 'INVALID_VALUE' as const })),
    ...report.projects.flatMap((p) =>
      p.reasons.map((reason) => ({ field: ['input', 'package', 'projects', String(p.index)], message: `${p.id ?? `projects[${p.index}]`}: ${reason}`, code: 'INVALID_VALUE' as const })),
    ),
  ];
}

export const oc4idsResolvers: Resolvers = {
  Project: {
    oc4ids: (project, _, context) => oc4idsLoader(context).load(project),
  },
  Mutation: {
    importOc4idsPackage: async (_, { input }, context) => {
      assertRole(context.viewer, 'admin', 'importOc4idsPackage');
      const report = await importPackage(context, input.package, {
        partial: input.partial ?? false,
        prefix: prefixFor(context.database),
        action: 'importOc4idsPackage',
        clientMutationId: input.clientMutationId,
      });
      return { clientMutationId: input.clientMutationId ?? null, report, userErrors: userErrorsOf(report) };
    },
  },
};
