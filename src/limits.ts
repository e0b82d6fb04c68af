import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { BREAK, GraphQLError, Kind, visit, type DocumentNode, type GraphQLFormattedError, type ValueNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Limits } from './config';
import type { Context } from './context';

/**
 * Cost like GitHub's and Shopify's: each field costs 1 plus its children, and a connection's children count once
 * per requested item (`first`/`last`, else the default page size of 20); `nodes(ids:)` once per ID.
 */
const costEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  let size = 1;
  if (Array.isArray(args.ids)) size = args.ids.length;
  else if (field.args.some((arg) => arg.name === 'first')) {
    size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : 20;
  }
  return 1 + childComplexity * Math.max(size, 1);
};

/** The errors graphql-armor raises, with the code and the limit they carry in our API. */
const ARMOR_ERRORS: [RegExp, string][] = [
  [/Query depth limit of (\d+) exceeded/, 'DEPTH_LIMIT_EXCEEDED'],
  [/Aliases limit of (\d+) exceeded/, 'ALIAS_LIMIT_EXCEEDED'],
  [/Document contains more th(?:an|at) (\d+) tokens/, 'TOKEN_LIMIT_EXCEEDED'],
  [/Directives limit of (\d+) exceeded/, 'DIRECTIVE_LIMIT_EXCEEDED'],
];

/** Gives graphql-armor's rejections a code of their own and the limit's value. */
export function describeLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError | null {
  for (const [pattern, code] of ARMOR_ERRORS) {
    const match = pattern.exec(formatted.message);
    if (match) {
      return { message: formatted.message.replace(/^Syntax Error: /, ''), locations: formatted.locations, extensions: { code, limit: Number(match[1]) } };
    }
  }
  return null;
}

const SIZING_ARGUMENTS = new Set(['first', 'last', 'ids']);

/** True when a variable gives a list's size somewhere in the document, so that its cost depends on the variables. */
function sizedByVariables(document: DocumentNode): boolean {
  let sized = false;
  visit(document, {
    Argument(node) {
      if (SIZING_ARGUMENTS.has(node.name.value) && containsVariable(node.value)) {
        sized = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return sized;
}

function containsVariable(value: ValueNode): boolean {
  switch (value.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return value.values.some(containsVariable);
    case Kind.OBJECT:
      return value.fields.some((field) => containsVariable(field.value));
    default:
      return false;
  }
}

/** Apollo options that enforce the limits: graphql-armor for the document's shape, a cost estimate before execution. */
export function limitProtection(limits: Limits, production: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    // Tokens are counted by graphql-js's own parser (parseOptions below), which reports syntax errors as such.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  // A document's cost depends on its variables only where a variable sizes a list (`first`, `last`, `ids`); other
  // documents (most) are estimated once.
  const fixedCosts = new WeakMap<DocumentNode, Map<string, number> | null>();
  const costPlugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('This API has no subscriptions; send a query or a mutation.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
          }
          let fixed = fixedCosts.get(document);
          if (fixed === undefined) fixedCosts.set(document, (fixed = sizedByVariables(document) ? null : new Map()));
          let cost = fixed?.get(request.operationName ?? '');
          if (cost === undefined) {
            try {
              cost = getComplexity({
                schema,
                query: document,
                variables: request.variables ?? {},
                operationName: request.operationName ?? undefined,
                estimators: [costEstimator],
              });
            } catch {
              return; // Invalid variables: execution reports them, with their own code.
            }
            fixed?.set(request.operationName ?? '', cost);
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `The query's estimated cost is ${cost}, more than the limit of ${limits.maxCost}. Ask for fewer items (first/last) or fewer nested connections.`,
              { extensions: { code: 'COST_LIMIT_EXCEEDED', cost, limit: limits.maxCost, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
  return {
    plugins: [...(plugins as ApolloServerPlugin<Context>[]), costPlugin],
    validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: limits.allowBatchedRequests,
  };
}
