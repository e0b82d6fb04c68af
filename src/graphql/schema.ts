import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../__generated__/graphql';
import { agencyResolvers } from '../modules/agency/resolvers';
import { fundingResolvers } from '../modules/funding/resolvers';
import { nodeResolvers } from '../modules/node/resolvers';
import { planResolvers } from '../modules/plan/resolvers';
import { portfolioResolvers } from '../modules/portfolio/resolvers';
import { auditResolvers } from '../modules/audit/resolvers';
import { projectResolvers } from '../modules/project/resolvers';
import { sourceResolvers } from '../modules/source/resolvers';
import { oc4idsResolvers } from '../modules/oc4ids/resolvers';
import type { Connection } from '../lib/pagination';
import type { ProjectConnectionModel } from './models';
import { DateScalar, DateTimeScalar, DecimalScalar, JSONObjectScalar } from '../lib/scalars';

export const schemaDirectory = path.resolve(__dirname, '../../schema');

export function loadTypeDefs(): string[] {
  return readdirSync(schemaDirectory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(path.join(schemaDirectory, file), 'utf8'));
}

const scalarResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  JSONObject: JSONObjectScalar,
};

/**
 * Connection models answer their fields lazily (a query for `totalCount` alone reads no rows): each field calls the
 * model's function of the same name. Said explicitly, so no executor has to treat function-valued properties as
 * resolvers.
 */
const lazyConnection = {
  edges: (connection: Connection<unknown>) => connection.edges(),
  nodes: (connection: Connection<unknown>) => connection.nodes(),
  pageInfo: (connection: Connection<unknown>) => connection.pageInfo(),
  totalCount: (connection: Connection<unknown>) => connection.totalCount(),
};

const connectionResolvers = {
  PlanConnection: lazyConnection,
  PlanTaskConnection: lazyConnection,
  AgencyConnection: lazyConnection,
  AgencyAssignmentConnection: lazyConnection,
  AuditEntryConnection: lazyConnection,
  ProjectConnection: { ...lazyConnection, aggregate: (connection: ProjectConnectionModel) => connection.aggregate() },
};

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [
      scalarResolvers,
      connectionResolvers,
      nodeResolvers,
      planResolvers,
      agencyResolvers,
      projectResolvers,
      fundingResolvers,
      sourceResolvers,
      portfolioResolvers,
      auditResolvers,
      oc4idsResolvers,
    ],
    inheritResolversFromInterfaces: true,
  });
}
