import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  Kind,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type TypeNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Notices } from './lib/notices';

/**
 * Executes operations with graphql-jit: each (document, operation) is compiled once into a function that walks the
 * selection directly, instead of graphql-js interpreting the document for every field of every answer. Large nested
 * answers (a plan tree is about 100,000 fields) spend most of their time in that interpretation.
 *
 * Apollo Server has no option for another executor; its gateway interface (a schema and an executor) is the
 * supported way to bring one, so the registry presents itself as a gateway of one schema. Parsing, validation, the
 * limits, persisted queries, plugins and error formatting stay Apollo's.
 */
export function compiledExecution(schema: GraphQLSchema, maxPlans = MAX_PLANS): GatewayInterface {
  // Apollo's document store keeps one parsed DocumentNode per distinct query text, so a document is the key. Compiled
  // code is larger than the document it comes from: the most recently used MAX_PLANS documents keep theirs.
  const compiled = new Map<DocumentNode, Map<string, CompiledQuery | ExecutionResult | typeof INTERPRET>>();
  // graphql-jit compiles the coercion of each variable into code, and for an input type that contains itself
  // (ProjectFilter's and/or/not, a plan section's children) that code never ends. Operations with such a variable
  // are interpreted by graphql-js.
  const recursive = recursiveInputTypes(schema);
  const takesRecursiveInput = (operation: OperationDefinitionNode) =>
    (operation.variableDefinitions ?? []).some((definition) => recursive.has(namedType(definition.type)));
  const listeners = new Set<Listener>();
  let printed: string | undefined;

  const executor: GatewayExecutor = async (requestContext) => {
    const { document, request, context } = requestContext;
    // The name the client sent (the context's own `operationName` is that of the operation Apollo found, if any).
    const operationName = request.operationName ?? null;
    let byOperation = compiled.get(document);
    if (byOperation) {
      compiled.delete(document);
    } else {
      byOperation = new Map();
      if (compiled.size >= maxPlans) compiled.delete(compiled.keys().next().value!);
    }
    compiled.set(document, byOperation);
    const key = operationName ?? '';
    let plan = byOperation.get(key);
    if (!plan) {
      // Without an operation (none of that name, or several and no name) graphql-js says what is wrong.
      plan = !requestContext.operation || takesRecursiveInput(requestContext.operation) ? INTERPRET : compileQuery(schema, document, operationName ?? undefined, { customJSONSerializer: false });
      byOperation.set(key, plan);
    }
    let result: ExecutionResult;
    if (plan === INTERPRET) {
      result = await execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
    } else if (!isCompiledQuery(plan)) {
      return plan as ExecutionResult;
    } else {
      result = (await plan.query(undefined, context, request.variables ?? {})) as ExecutionResult;
      if (result.errors) result = { ...result, errors: result.errors.map(asGraphQLError) };
    }
    const warnings = await (context as { notices?: Notices }).notices?.collect();
    return warnings?.length ? { ...result, extensions: { ...result.extensions, warnings } } : result;
  };

  return {
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: sdl() });
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async stop() {},
  };

  function sdl() {
    return (printed ??= printSchema(schema));
  }
}

/**
 * graphql-jit's errors are frozen look-alikes of graphql-js's; error formatting expects the real class, with the resolver's own error as `originalError`.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions });
  (copy as { locations: GraphQLError['locations'] }).locations = error.locations;
  return copy;
}

const INTERPRET = Symbol('interpret');

/** Documents whose compiled plans are kept (a plan tree's: 145 kB of generated source, compiled in 12 ms). */
export const MAX_PLANS = 500;

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** Input object types that contain, at any depth, a type that contains itself. */
export function recursiveInputTypes(schema: GraphQLSchema): Set<string> {
  const inputs = Object.values(schema.getTypeMap()).filter(isInputObjectType);
  const children = new Map(inputs.map((type) => [type.name, Object.values(type.getFields()).map((field) => getNamedType(field.type)).filter(isInputObjectType).map((child) => child.name)]));
  const reachable = (from: string): Set<string> => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      for (const child of children.get(name) ?? []) if (!seen.has(child)) (seen.add(child), visit(child));
    };
    visit(from);
    return seen;
  };
  const closure = new Map(inputs.map((type) => [type.name, reachable(type.name)]));
  const cyclic = new Set(inputs.filter((type) => closure.get(type.name)!.has(type.name)).map((type) => type.name));
  return new Set(inputs.filter((type) => cyclic.has(type.name) || [...closure.get(type.name)!].some((name) => cyclic.has(name))).map((type) => type.name));
}

type Listener = Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0];
