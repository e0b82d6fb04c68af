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
import { ByteBoundedCache } from '../lib/byte-bounded-cache';
import type { Notices } from '../lib/notices';

/**
 * Executes operations with graphql-jit: each (document, operation) is compiled once into a function that walks the
 * selection directly, instead of graphql-js interpreting the document for every field of every answer. Large nested
 * answers (a plan tree is about 100,000 fields) spend most of their time in that interpretation.
 *
 * Apollo Server has no option for another executor; its gateway interface (a schema and an executor) is the
 * supported way to bring one, so the registry presents itself as a gateway of one schema. Parsing, validation, the
 * limits, persisted queries, plugins and error formatting stay Apollo's.
 */
export function compiledExecution(schema: GraphQLSchema, maxBytes: number): GatewayInterface {
  // Plans are kept by the query's hash and operation name, most recently used last, within `maxBytes` of estimated
  // size: a flood of distinct documents evicts the oldest plans instead of growing the heap.
  const plans = new ByteBoundedCache<Plan>(maxBytes);
  // graphql-jit compiles the coercion of each variable into code, and for an input type that contains itself
  // (ProjectFilter's and/or/not, a plan section's children) that code never ends. Operations with such a variable
  // are interpreted by graphql-js.
  const recursive = recursiveInputTypes(schema);
  const takesRecursiveInput = (operation: OperationDefinitionNode) =>
    (operation.variableDefinitions ?? []).some((definition) => recursive.has(namedType(definition.type)));
  const listeners = new Set<Listener>();
  let printed: string | undefined;

  const planOf = (
    document: DocumentNode,
    operation: OperationDefinitionNode | undefined,
    operationName: string | null,
    queryHash: string,
  ): Exclude<Plan, typeof SEEN_ONCE> => {
    const key = `${queryHash}|${operationName ?? ''}`;
    const kept = plans.get(key);
    if (kept !== undefined && kept !== SEEN_ONCE) return kept;
    let plan: Plan;
    let size = PLAN_OVERHEAD_BYTES;
    if (kept === undefined) {
      // A document is compiled when it comes back: one seen once (a flood of distinct documents, say) is interpreted
      // and costs no compilation (a 5 kB document can compile to 700 kB of source and 2 MB of heap).
      plans.set(key, SEEN_ONCE, PLAN_OVERHEAD_BYTES);
      return INTERPRET;
    }
    if (!operation || takesRecursiveInput(operation)) {
      // Without an operation (none of that name, or several and no name) graphql-js says what is wrong.
      plan = INTERPRET;
    } else {
      const made = compileQuery(schema, document, operationName ?? undefined, {
        customJSONSerializer: false,
        debug: true,
      } as never);
      const source = (made as { __DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation?: string })
        .__DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation;
      delete (made as { __DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation?: string })
        .__DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation;
      // The generated source is kept by V8 with its code and closures: measured at about 3 bytes of heap per
      // character before the plan first runs (200 plans of 717 kB source took 2.2 MB each); counted as 6 for what
      // running it adds.
      size += (source?.length ?? 0) * BYTES_PER_SOURCE_CHARACTER;
      plan = made;
    }
    plans.set(key, plan, size);
    return plan;
  };

  const executor: GatewayExecutor = async (requestContext) => {
    const { document, request, context } = requestContext;
    const queryHash = requestContext.queryHash ?? anonymousKey(document);
    // The name the client sent (the context's own `operationName` is that of the operation Apollo found, if any).
    const operationName = request.operationName ?? null;
    const plan = planOf(document, requestContext.operation, operationName, queryHash);
    let result: ExecutionResult;
    if (plan === INTERPRET) {
      result = await execute({
        schema,
        document,
        operationName,
        contextValue: context,
        variableValues: request.variables,
      });
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
 * graphql-jit's errors are frozen look-alikes of graphql-js's; error formatting expects the real class, with the
 * resolver's own error as `originalError`.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  (copy as { locations: GraphQLError['locations'] }).locations = error.locations;
  return copy;
}

const INTERPRET = Symbol('interpret');

/** A key for a document that came without Apollo's query hash (direct calls), unique to that document object. */
const anonymousKeys = new WeakMap<DocumentNode, string>();
let anonymousCount = 0;
function anonymousKey(document: DocumentNode): string {
  let key = anonymousKeys.get(document);
  if (!key) anonymousKeys.set(document, (key = `document-${(anonymousCount += 1)}`));
  return key;
}

/** A document run once, not compiled yet. */
const SEEN_ONCE = Symbol('seen once');

type Plan = CompiledQuery | ExecutionResult | typeof INTERPRET | typeof SEEN_ONCE;

/** Heap per character of a plan's generated source (a plan tree's: 145 kB of source, compiled in 12 ms). */
const BYTES_PER_SOURCE_CHARACTER = 6;
/** What any kept plan costs besides its code: the entry, the key, the plan object. */
const PLAN_OVERHEAD_BYTES = 2048;

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** Input object types that contain, at any depth, a type that contains itself. */
export function recursiveInputTypes(schema: GraphQLSchema): Set<string> {
  const inputs = Object.values(schema.getTypeMap()).filter(isInputObjectType);
  const children = new Map(
    inputs.map((type) => [
      type.name,
      Object.values(type.getFields())
        .map((field) => getNamedType(field.type))
        .filter(isInputObjectType)
        .map((child) => child.name),
    ]),
  );
  const reachable = (from: string): Set<string> => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      for (const child of children.get(name) ?? [])
        if (!seen.has(child)) {
          seen.add(child);
          visit(child);
        }
    };
    visit(from);
    return seen;
  };
  const closure = new Map(inputs.map((type) => [type.name, reachable(type.name)]));
  const cyclic = new Set(inputs.filter((type) => closure.get(type.name)!.has(type.name)).map((type) => type.name));
  return new Set(
    inputs
      .filter((type) => cyclic.has(type.name) || [...closure.get(type.name)!].some((name) => cyclic.has(name)))
      .map((type) => type.name),
  );
}

type Listener = Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0];
