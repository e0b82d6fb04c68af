import type { Resolvers } from '../../__generated__/graphql';
import type { Loaders } from '../../graphql/loaders';
import type { NodeModel } from '../../graphql/models';
import { fromGlobalId, type NodeType } from '../../lib/global-id';

/** The type each object returned by `node`/`nodes` was loaded as. */
const nodeTypes = new WeakMap<object, NodeType>();

const loaderFor: Record<NodeType, (loaders: Loaders) => { load(id: number): Promise<NodeModel | null> }> = {
  Plan: (l) => l.planById,
  PlanSection: (l) => l.sectionById,
  PlanTask: (l) => l.taskById,
  Agency: (l) => l.agencyById,
  Project: (l) => l.projectById,
  ProjectStatusChange: (l) => l.statusChangeById,
  LegalDocument: (l) => l.legalDocumentById,
  FundingAllocation: (l) => l.allocationById,
  SourceReference: (l) => l.sourceById,
};

/** Marks an object as a node of `type`, for fields typed `Node`. */
export function asNode<T extends object | null>(type: NodeType, row: T): T {
  if (row) nodeTypes.set(row, type);
  return row;
}

/** The object of `type` with database id `id`, or null. */
export function loadNodeOf(type: NodeType, id: number, loaders: Loaders): Promise<NodeModel | null> {
  return loaderFor[type](loaders).load(id);
}

async function loadNode(globalId: string, loaders: Loaders) {
  const decoded = fromGlobalId(globalId);
  if (!decoded) return null;
  return asNode(decoded.type, await loadNodeOf(decoded.type, decoded.id, loaders));
}

export const nodeResolvers: Resolvers = {
  Query: {
    node: (_, { id }, { loaders }) => loadNode(id, loaders),
    nodes: (_, { ids }, { loaders }) => Promise.all(ids.map((id) => loadNode(id, loaders))),
  },
  Node: {
    __resolveType: (node) => nodeTypes.get(node as object) ?? null,
  },
};
