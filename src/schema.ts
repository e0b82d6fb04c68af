import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from './__generated__/graphql';
import { agencyResolvers } from './modules/agency/resolvers';
import { fundingResolvers } from './modules/funding/resolvers';
import { nodeResolvers } from './modules/node/resolvers';
import { planResolvers } from './modules/plan/resolvers';
import { portfolioResolvers } from './modules/portfolio/resolvers';
import { auditResolvers } from './modules/audit/resolvers';
import { projectResolvers } from './modules/project/resolvers';
import { sourceResolvers } from './modules/source/resolvers';
import { oc4idsResolvers } from './modules/oc4ids/resolvers';
import { DateScalar, DateTimeScalar, DecimalScalar, JSONObjectScalar } from './lib/scalars';

export const schemaDirectory = path.resolve(__dirname, '../schema');

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

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [scalarResolvers, nodeResolvers, planResolvers, agencyResolvers, projectResolvers, fundingResolvers, sourceResolvers, portfolioResolvers, auditResolvers, oc4idsResolvers] as never,
    inheritResolversFromInterfaces: true,
  });
}
