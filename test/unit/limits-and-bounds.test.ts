import { buildSchema as buildSdl, getOperationAST, parse } from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config';
import { judge, measureOperation } from '../../src/execution/limits';
import { buildSchema } from '../../src/graphql/schema';
import { canonicalJson } from '../../src/http/idempotency';
import { ByteBoundedCache } from '../../src/lib/byte-bounded-cache';
import { ERROR_CODES, isCallerCode } from '../../src/lib/errors';
import { documentNesting, jsonNesting, valueNesting } from '../../src/lib/nesting';
import { codeFromId, moneyOf } from '../../src/modules/oc4ids/import/read';
import { errorCodeDescription } from '../../scripts/error-codes';

const sdl = buildSdl(`
  interface Node { id: ID! }
  type Item implements Node { id: ID! name: String children(first: Int): ItemConnection }
  type Other implements Node { id: ID! a: String b: String c: String }
  type ItemConnection { nodes: [Item!]! totalCount: Int }
  type Query { items(first: Int, last: Int): ItemConnection node(id: ID!): Node nodes(ids: [ID!]!): [Node]! }
`);

function measure(text: string, variables: Record<string, unknown> = {}) {
  const document = parse(text);
  return measureOperation(sdl, document, getOperationAST(document)!, variables, DEFAULT_LIMITS);
}

describe('measuring an operation as it executes', () => {
  it('multiplies children by first, and by 20 when first is not given', () => {
    expect(measure('{ items(first: 5) { nodes { id } } }').cost).toBe(1 + 5 * (1 + 1));
    expect(measure('{ items { nodes { id } } }').cost).toBe(1 + 20 * 2);
    expect(measure('query($n: Int) { items(first: $n) { nodes { id } } }', { n: 50 }).cost).toBe(1 + 50 * 2);
  });

  it('inlines fragments and merges repeated fields, so a fragment cannot hide depth or cost', () => {
    const plain = measure('{ items(first: 2) { nodes { children(first: 3) { nodes { name } } } } }');
    const viaFragments = measure(`
      { items(first: 2) { ...A ...A } }
      fragment A on ItemConnection { nodes { ...B } }
      fragment B on Item { children(first: 3) { nodes { name } } }
    `);
    expect(viaFragments).toEqual(plain);
    expect(plain.depth).toBe(5);
  });

  it('counts aliases inside fragments and skips what @skip removes', () => {
    expect(measure('{ items { ...F } } fragment F on ItemConnection { a: totalCount b: totalCount }').aliases).toBe(2);
    const skipped = measure('query($s: Boolean!) { items { nodes @skip(if: $s) { id } } }', { s: true });
    expect(skipped.cost).toBe(1);
    expect(skipped.directives).toBe(1);
  });

  it('charges an interface field as its costliest possible type', () => {
    const m = measure('{ node(id: "x") { id ... on Other { a b c } } }');
    expect(m.cost).toBe(1 + 4);
  });

  it('charges nodes(ids:) once per id', () => {
    expect(measure('{ nodes(ids: ["a", "b", "c"]) { id } }').cost).toBe(1 + 3);
  });

  it('keeps introspection shallow so tools can read the schema', () => {
    const m = measure('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }');
    expect(m.depth).toBe(1);
  });

  it('judges the first limit passed, with its code and limit', () => {
    expect(judge({ depth: 1, aliases: 0, directives: 0, cost: 1 }, DEFAULT_LIMITS)).toBeNull();
    const depth = judge({ depth: DEFAULT_LIMITS.maxDepth + 1, aliases: 0, directives: 0, cost: 1 }, DEFAULT_LIMITS)!;
    expect(depth.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', limit: DEFAULT_LIMITS.maxDepth });
    const cost = judge({ depth: 1, aliases: 0, directives: 0, cost: DEFAULT_LIMITS.maxCost + 1 }, DEFAULT_LIMITS)!;
    expect(cost.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: DEFAULT_LIMITS.maxCost + 1 });
  });
});

describe('nesting measured without recursion', () => {
  it('counts braces in a document outside strings, block strings and comments', () => {
    expect(documentNesting('{ a { b { c } } }', 10)).toBe(3);
    expect(documentNesting('{ a(s: "{{{{") # {{{{\n }', 10)).toBe(2);
    expect(documentNesting('{ a(s: """ {{{ \\""" {{{ """) }', 10)).toBe(2);
  });

  it('stops just past the limit on a document nested a million deep', () => {
    const deep = '{'.repeat(1_000_000);
    expect(documentNesting(deep, 32)).toBe(33);
    expect(jsonNesting('['.repeat(1_000_000), 32)).toBe(33);
  });

  it('ignores brackets in JSON strings, escaped quotes included', () => {
    expect(jsonNesting('{"a": "[[[\\"[[[", "b": [1, [2]]}', 10)).toBe(3);
  });

  it('measures parsed values without recursion', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(valueNesting(value, 32)).toBe(33);
    expect(valueNesting({ a: [{ b: 1 }], c: 'x' }, 10)).toBe(3);
    expect(valueNesting('text', 10)).toBe(0);
  });
});

describe('a cache bounded in bytes', () => {
  it('evicts the least recently used entries to stay within its budget', () => {
    const cache = new ByteBoundedCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A'); // a is now the most recently used
    cache.set('c', 'C', 40);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.bytes).toBe(80);
  });

  it('keeps no entry larger than the whole budget, and replaces an entry in place', () => {
    const cache = new ByteBoundedCache<string>(100);
    cache.set('a', 'A', 101);
    expect(cache.size).toBe(0);
    cache.set('a', 'A', 10);
    cache.set('a', 'A2', 30);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(30);
    expect(cache.get('a')).toBe('A2');
  });
});

describe('the canonical form of an idempotent request', () => {
  it('orders keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson(null)).toBe('null');
  });
});

describe('reading OC4IDS', () => {
  const prefix = 'oc4ids-abc123-';

  it('takes a project code only from an id that names it exactly', () => {
    expect(codeFromId('oc4ids-abc123-BD-METRO-1', prefix)).toEqual({ code: 'BD-METRO-1' });
    expect(codeFromId('oc4ids-xxxxxx-BD-METRO-1', prefix)).toEqual({ code: 'BD-METRO-1' });
    expect(codeFromId('oc4ids-zzz999-BD-X', prefix)).toEqual({ code: 'oc4ids-zzz999-BD-X' });
    expect(codeFromId('oc4ids-abc123-BD METRO 1', prefix)).toHaveProperty('reason');
    expect(codeFromId('BD-METRO-1', prefix)).toHaveProperty('reason');
  });

  it('reads money as at most two decimals, refusing what cannot be an amount', () => {
    expect(moneyOf(1234.5)).toBe('1234.5');
    expect(moneyOf(1234.567)).toBe('1234.57');
    expect(moneyOf(1e21)).toBe('1000000000000000000000');
    for (const bad of [-1, Number.NaN, Infinity, '12', null, 1e30]) expect(moneyOf(bad)).toBeNull();
  });
});

describe('error codes', () => {
  it('are the same in the table the server reads and in the schema clients read', () => {
    const schemaEnum = buildSchema().getType('ErrorCode');
    const values = (
      schemaEnum as unknown as { getValues(): { name: string; description?: string | null }[] }
    ).getValues();
    expect(values.map((v) => v.name).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    // When this fails, `npm run error-codes` writes the enum again from the table.
    for (const v of values) expect(v.description).toBe(errorCodeDescription(v.name as keyof typeof ERROR_CODES));
  });

  it('say who caused them', () => {
    expect(isCallerCode('BAD_USER_INPUT')).toBe(true);
    expect(isCallerCode('SERVICE_UNAVAILABLE')).toBe(false);
    expect(isCallerCode('SOMETHING_ELSE')).toBe(false);
  });
});
