import type { Resolvers } from '../../__generated__/graphql';
import { badUserInput } from '../../lib/errors';
import { fromGlobalId, NODE_TYPES, type NodeType } from '../../lib/global-id';
import { assertRole } from '../../lib/viewer';
import { asNode, loadNodeOf } from '../node/resolvers';
import type { AuditFilter } from './audit.repository';

export const auditResolvers: Resolvers = {
  Query: {
    auditLog: (_, { filter, ...page }, context) => {
      assertRole(context.viewer, 'admin', 'Reading the audit log');
      const where: AuditFilter = {};
      if (filter?.entityId != null) {
        const decoded = fromGlobalId(filter.entityId);
        if (!decoded) throw badUserInput('"filter.entityId" is not a valid ID.', { argument: 'filter.entityId' });
        where.entity = { type: decoded.type, id: decoded.id };
      }
      if (filter?.actor != null) where.actor = filter.actor;
      if (filter?.action != null) where.action = filter.action;
      if (filter?.since != null) where.since = filter.since;
      if (filter?.until != null) where.until = filter.until;
      return context.loaders.auditLog(where, page);
    },
  },
  Project: {
    auditTrail: (project, page, context) => {
      assertRole(context.viewer, 'planner', "Reading a project's audit trail");
      return context.loaders.auditLog({ entity: { type: 'Project', id: project.id } }, page);
    },
  },
  AuditEntry: {
    id: (entry) => String(entry.id),
    actor: (entry) => entry,
    entity: async (entry, _, { loaders }) => {
      if (!(NODE_TYPES as readonly string[]).includes(entry.entityType)) return null;
      const type = entry.entityType as NodeType;
      return asNode(type, await loadNodeOf(type, entry.entityId, loaders));
    },
    before: (entry) => (entry.before as Record<string, unknown> | null) ?? null,
    after: (entry) => (entry.after as Record<string, unknown> | null) ?? null,
  },
  AuditActor: {
    subject: (entry) => entry.actorSubject,
    role: (entry) => entry.actorRole,
  },
};
