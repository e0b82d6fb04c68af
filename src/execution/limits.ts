import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import type { Limits } from '../config';
import type { Context } from '../graphql/context';

/**
 * The limits of one operation, measured as it would execute: fragments are inlined and fields merged the way
 * graphql-js collects them (a fragment spread twice in one selection counts once; `@skip`/`@include` apply), so a
 * Relay-style query that colocates fragments is measured by what it asks, not by how it is written.
 *
 * - depth: the longest chain of fields, the leaf included (introspection's `__schema`/`__type` trees are bounded by
 *   the schema and not counted);
 * - aliases: fields with an alias, `__typename` included;
 * - directives: directives written in the operation and the fragments it uses;
 * - cost, like GitHub's and Shopify's: each field costs 1, plus the terms of its filter, plus its children, which
 *   count once per requested item (`first`/`last`, else 20, on connections; one per ID of `nodes(ids:)`). For an
 *   interface or union the costliest possible type counts.
 *
 * Arguments are checked as they are parsed, before any SQL: list lengths, the number of values in all arguments
 * together, IDs in `nodes`, and each input type's own checker (a project filter's depth, lists and terms).
 */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

/** Checks a coerced value of an input type and returns the cost it adds (a filter's terms). */
export type InputChecker = (value: unknown) => number;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  limits: Limits;
  checkers: Record<string, InputChecker>;
  inputValues: number;
}

interface Measured {
  depth: number;
  aliases: number;
  cost: number;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function limitError(message: string, code: string, limit: number, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, ...extra, http: { status: 400 } } });
}

export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: Limits,
  checkers: Record<string, InputChecker> = {},
): OperationMeasure {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const root = schema.getRootType(operation.operation);
  if (!root) throw limitError('The schema has no root type for this operation.', 'BAD_REQUEST', 0);
  const walk: Walk = { schema, fragments, variables, limits, checkers, inputValues: 0 };
  const measured = selection(
    walk,
    root,
    collectFields(schema, fragments, variables, root, operation.selectionSet),
    false,
  );
  return { ...measured, directives: countDirectives(operation, fragments) };
}

function selection(
  walk: Walk,
  parent: GraphQLObjectType,
  fields: Map<string, readonly FieldNode[]>,
  introspection: boolean,
): Measured {
  let depth = 0;
  let aliases = 0;
  let cost = 0;
  for (const nodes of fields.values()) {
    const node = nodes[0];
    if (node.alias) aliases += 1;
    const name = node.name.value;
    if (name === '__typename') {
      cost += 1;
      depth = Math.max(depth, 1);
      continue;
    }
    const field = fieldOf(walk.schema, parent, name);
    if (!field) continue; // validation has refused unknown fields already
    const args = getArgumentValues(field, node, walk.variables);
    const { size, inputCost } = checkArguments(walk, field, args);
    const inside = introspection || INTROSPECTION_ROOTS.has(name);
    const child = children(walk, field, nodes, inside);
    aliases += child.aliases;
    depth = Math.max(depth, inside ? 1 : 1 + child.depth);
    cost += 1 + inputCost + child.cost * Math.max(size, 1);
  }
  return { depth, aliases, cost };
}

function fieldOf(
  schema: GraphQLSchema,
  parent: GraphQLObjectType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  // graphql-js keeps its meta fields apart from the query type's own fields.
  if (parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef as GraphQLField<unknown, unknown>;
    if (name === '__type') return TypeMetaFieldDef as GraphQLField<unknown, unknown>;
  }
  return parent.getFields()[name];
}

function children(
  walk: Walk,
  field: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
  introspection: boolean,
): Measured {
  const type = getNamedType(field.type);
  if (!isCompositeType(type)) return { depth: 0, aliases: 0, cost: 0 };
  const runtimeTypes = isAbstractType(type) ? walk.schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
  let best: Measured = { depth: 0, aliases: 0, cost: 0 };
  for (const runtime of runtimeTypes) {
    const measured = selection(
      walk,
      runtime,
      collectSubfields(walk.schema, walk.fragments, walk.variables, runtime, nodes),
      introspection,
    );
    best = {
      depth: Math.max(best.depth, measured.depth),
      aliases: Math.max(best.aliases, measured.aliases),
      cost: Math.max(best.cost, measured.cost),
    };
  }
  return best;
}

/** Checks a field's arguments and returns how many items it asks for and what its input adds to the cost. */
function checkArguments(
  walk: Walk,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
): { size: number; inputCost: number } {
  let size = 1;
  let inputCost = 0;
  for (const definition of field.args) {
    const value = args[definition.name];
    if (value === undefined || value === null) continue;
    if (definition.name === 'ids' && Array.isArray(value)) {
      if (value.length > walk.limits.maxNodeIds) {
        throw limitError(
          `"ids" has ${value.length} IDs; at most ${walk.limits.maxNodeIds} are allowed.`,
          'BAD_USER_INPUT',
          walk.limits.maxNodeIds,
          {
            argument: 'ids',
            setting: 'MAX_NODE_IDS',
          },
        );
      }
      size = value.length;
    }
    inputCost += checkValue(walk, definition.type, value, definition.name);
  }
  if (size === 1 && field.args.some((arg) => arg.name === 'first')) {
    size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : 20;
  }
  return { size, inputCost };
}

/** Counts the values of an argument against the request's total, checks list lengths and runs the type's checker. */
function checkValue(walk: Walk, type: GraphQLInputType, value: unknown, path: string): number {
  if (value === null || value === undefined) return 0;
  if (isNonNullType(type)) return checkValue(walk, type.ofType, value, path);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    if (items.length > walk.limits.maxListItems && path !== 'ids') {
      throw limitError(
        `"${path}" has ${items.length} items; at most ${walk.limits.maxListItems} are allowed.`,
        'BAD_USER_INPUT',
        walk.limits.maxListItems,
        {
          argument: path,
          setting: 'MAX_LIST_ITEMS',
        },
      );
    }
    let cost = 0;
    for (const item of items) cost += checkValue(walk, type.ofType, item, path);
    return cost;
  }
  if (isInputObjectType(type)) {
    let cost = 0;
    const checker = walk.checkers[type.name];
    if (checker) cost += checker(value);
    const fields = type.getFields();
    for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
      const definition = fields[name];
      if (definition) cost += checkValue(walk, definition.type, inner, `${path}.${name}`);
    }
    return cost;
  }
  walk.inputValues += 1;
  if (walk.inputValues > walk.limits.maxInputValues) {
    throw limitError(
      `The request's arguments hold more than ${walk.limits.maxInputValues} values.`,
      'BAD_USER_INPUT',
      walk.limits.maxInputValues,
      {
        setting: 'MAX_INPUT_VALUES',
      },
    );
  }
  if (isScalarType(type) && typeof value === 'string' && value.includes('\u0000')) throw nulError(path);
  return 0;
}

function nulError(path: string): GraphQLError {
  return new GraphQLError('Text in a request may not contain the NUL character (U+0000).', {
    extensions: { code: 'BAD_USER_INPUT', argument: path, http: { status: 400 } },
  });
}

function countDirectives(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): number {
  let count = 0;
  const seen = new Set<string>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length) {
    visit(pending.pop()!, {
      Directive() {
        count += 1;
      },
      FragmentSpread(node) {
        const name = node.name.value;
        if (!seen.has(name) && fragments[name]) {
          seen.add(name);
          pending.push(fragments[name]);
        }
      },
    });
  }
  return count;
}

/** True when any string literal of the document holds U+0000 (however it was escaped). */
function hasNulLiteral(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

function formatted(error: GraphQLError): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return { message: error.message, ...(error.locations ? { locations: error.locations } : {}), extensions };
}

/** A response that ends the request before execution, with these errors and HTTP 400. */
function refusal(errors: GraphQLFormattedError[]) {
  return {
    http: { status: 400, headers: new HeaderMap() },
    body: { kind: 'single' as const, singleResult: { errors } },
  };
}

/** graphql-js's "Did you mean …?" hints, which tell a stranger the schema's names. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}

/**
 * Checks an operation before it runs: its variables as graphql-js coerces them (every error with graphql-js's own
 * message and BAD_USER_INPUT), NUL characters, input bounds, and the document's measure against the limits. A
 * refusal is HTTP 400 and costs no SQL statement. Measures of documents whose variables do not size a list are
 * kept with the document.
 */
export function limitPlugin(
  limits: Limits,
  checkers: Record<string, InputChecker>,
  options: { hideSuggestions: boolean },
): ApolloServerPlugin<Context> {
  const refuse = (errors: GraphQLFormattedError[]) =>
    refusal(
      options.hideSuggestions
        ? errors.map((error) => ({ ...error, message: withoutSuggestions(error.message) }))
        : errors,
    );
  return {
    async requestDidStart() {
      return {
        async responseForOperation(requestContext: GraphQLRequestContext<Context>) {
          const { document, operation, schema, request } = requestContext as Required<GraphQLRequestContext<Context>>;
          if (!operation || !document) return null;
          if (operation.operation === 'subscription') {
            return refuse([
              {
                message: 'This API has no subscriptions; send a query or a mutation.',
                extensions: { code: 'BAD_REQUEST' },
              },
            ]);
          }
          if (hasNulLiteral(document)) return refuse([formatted(nulError('query'))]);
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
            maxErrors: 20,
          });
          if (coerced.errors) {
            return refuse(
              coerced.errors.map((error) => ({ ...formatted(error), extensions: { code: 'BAD_USER_INPUT' } })),
            );
          }
          let measure: OperationMeasure;
          try {
            measure = measureOperation(schema, document, operation, coerced.coerced, limits, checkers);
          } catch (error) {
            if (error instanceof GraphQLError) return refuse([formatted(error)]);
            throw error;
          }
          const refused = judge(measure, limits);
          return refused ? refuse([formatted(refused)]) : null;
        },
      };
    },
  };
}

/** The first limit the measure passes, as the error that says so. */
export function judge(measure: OperationMeasure, limits: Limits): GraphQLError | null {
  if (measure.depth > limits.maxDepth) {
    return limitError(
      `Query depth limit of ${limits.maxDepth} exceeded, found ${measure.depth}.`,
      'DEPTH_LIMIT_EXCEEDED',
      limits.maxDepth,
      {
        depth: measure.depth,
      },
    );
  }
  if (measure.aliases > limits.maxAliases) {
    return limitError(
      `Aliases limit of ${limits.maxAliases} exceeded, found ${measure.aliases}.`,
      'ALIAS_LIMIT_EXCEEDED',
      limits.maxAliases,
      {
        aliases: measure.aliases,
      },
    );
  }
  if (measure.directives > limits.maxDirectives) {
    return limitError(
      `Directives limit of ${limits.maxDirectives} exceeded, found ${measure.directives}.`,
      'DIRECTIVE_LIMIT_EXCEEDED',
      limits.maxDirectives,
      {
        directives: measure.directives,
      },
    );
  }
  if (measure.cost > limits.maxCost) {
    return limitError(
      `The query's estimated cost is ${measure.cost}, more than the limit of ${limits.maxCost}. Ask for fewer items (first/last) or fewer nested connections.`,
      'COST_LIMIT_EXCEEDED',
      limits.maxCost,
      { cost: measure.cost },
    );
  }
  return null;
}

/** graphql-js's parser refuses a document over the token limit with a syntax error; said with its own code here. */
export function describeLimitError(formattedError: GraphQLFormattedError): GraphQLFormattedError | null {
  const match = /Document contains more th(?:an|at) (\d+) tokens/.exec(formattedError.message);
  if (!match) return null;
  return {
    message: formattedError.message.replace(/^Syntax Error: /, ''),
    locations: formattedError.locations,
    extensions: { code: 'TOKEN_LIMIT_EXCEEDED', limit: Number(match[1]) },
  };
}
