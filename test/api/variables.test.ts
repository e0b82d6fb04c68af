import { Writable } from 'node:stream';
import pino from 'pino';
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { startApp, type App } from '../../src/app';
import { buildSchema } from '../../src/graphql/schema';
import { createTestDatabase, SEEDER, testConfig } from '../helpers/test-app';

/**
 * Every argument of every field, sent as a variable with values of the wrong kind, as real clients send them: each
 * is refused before execution with graphql-js's own message, code BAD_USER_INPUT and HTTP 400, by both executors
 * (an operation with a recursive input variable goes to graphql-js, the others to graphql-jit), and logged as a
 * client's error, never as an unexpected one.
 */

jest.setTimeout(180_000);

const schema = buildSchema();

/** Wrong values for a variable of this type, each with what it tries. */
function wrongValues(type: GraphQLInputType): [string, unknown][] {
  if (isNonNullType(type))
    return [['null for a non-null', null], ...wrongValues(type.ofType).filter(([, v]) => v !== null)];
  if (isListType(type)) {
    const inner = wrongValues(type.ofType).filter(([, v]) => v !== undefined);
    return [
      ...(isNonNullType(type.ofType) ? ([['[null] for non-null items', [null]]] as [string, unknown][]) : []),
      ...inner.slice(0, 2).map(([what, v]) => [`[${what}]`, [v]] as [string, unknown]),
    ];
  }
  const named = getNamedType(type) as GraphQLNamedType;
  if (isEnumType(named))
    return [
      ['an enum value in lower case', named.getValues()[0].name.toLowerCase()],
      ['a number for an enum', 3],
    ];
  if (isInputObjectType(named)) {
    const required = Object.values(named.getFields()).find(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return [
      ['a string for an input object', 'x'],
      ['an unknown field', { noSuchField: 1 }],
      ...(required ? ([[`a missing required ${required.name}`, {}]] as [string, unknown][]) : []),
    ];
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case 'Int':
        return [
          ['"10" for an Int', '10'],
          ['1.5 for an Int', 1.5],
          ['2^31 for an Int', 2 ** 31],
          ['"NaN" for an Int', 'NaN'],
          ['1e400 for an Int', '1e400'],
        ];
      case 'Float':
        return [['a string for a Float', 'x']];
      case 'Boolean':
        return [['"yes" for a Boolean', 'yes']];
      case 'String':
        return [
          ['a number for a String', 5],
          ['an object for a String', { a: 1 }],
        ];
      case 'ID':
        return [
          ['an object for an ID', {}],
          ['a boolean for an ID', true],
        ];
      case 'Date':
        return [
          ['0000-02-29 for a Date', '0000-02-29'],
          ['2201-01-01 for a Date', '2201-01-01'],
          ['a number for a Date', 20250101],
        ];
      case 'DateTime':
        return [
          ['year 0 for a DateTime', '0000-01-01T00:00:00Z'],
          ['a date for a DateTime', '2025-01-01'],
        ];
      case 'Decimal':
        return [
          ['a float for a Decimal', 1.5],
          ['1e9 for a Decimal', '1e9'],
        ];
      case 'JSONObject':
        return [
          ['an array for a JSONObject', [1]],
          ['a string for a JSONObject', 'x'],
        ];
    }
  }
  return [];
}

/** A valid literal of a type, for the arguments a case does not test. */
function validLiteral(type: GraphQLInputType): string {
  if (isNonNullType(type)) return validLiteral(type.ofType);
  if (isListType(type)) return `[${validLiteral(type.ofType)}]`;
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].name;
  if (isInputObjectType(named)) {
    const required = Object.values(named.getFields()).filter(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return `{ ${required.map((f) => `${f.name}: ${validLiteral(f.type)}`).join(', ')} }`;
  }
  switch (named.name) {
    case 'Int':
      return '1';
    case 'Float':
      return '1.0';
    case 'Boolean':
      return 'true';
    case 'Date':
      return '"2024-01-01"';
    case 'DateTime':
      return '"2024-01-01T00:00:00Z"';
    case 'Decimal':
      return '"1"';
    default:
      return '"x"';
  }
}

interface Case {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

const nest = (steps: string[], leaf: string) => steps.reduceRight((inner, step) => `${step} { ${inner} }`, leaf);

/**
 * One case per (field, argument, wrong value): Query and Mutation fields directly, fields of other types through a
 * path from Query found breadth-first (through fields whose required arguments have a known value), the argument
 * sent as `$v`, the field's other required arguments as valid literals; and, for a required argument, the variable
 * left out.
 */
function cases(): Case[] {
  const out: Case[] = [];
  const query = schema.getQueryType()!;
  const mutation = schema.getMutationType()!;
  const fixed: Record<string, string> = { code: '"6408/KH-UBND"', number: '"II.4.b"', groupBy: 'SECTOR' };
  const paths = new Map<string, string[]>([[query.name, []]]);
  const queue: GraphQLObjectType[] = [query];
  while (queue.length) {
    const type = queue.shift()!;
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      if (!isObjectType(target) || paths.has(target.name)) continue;
      const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      if (required.some((a) => !(a.name in fixed))) continue;
      const args = required.length ? `(${required.map((a) => `${a.name}: ${fixed[a.name]}`).join(', ')})` : '';
      paths.set(target.name, [...paths.get(type.name)!, `${field.name}${args}`]);
      queue.push(target);
    }
  }
  for (const owner of Object.values(schema.getTypeMap())) {
    if (!isObjectType(owner) || owner.name.startsWith('__')) continue;
    const root = owner === mutation ? 'mutation' : 'query';
    const path = owner === mutation ? [] : paths.get(owner.name);
    if (!path) continue;
    for (const field of Object.values(owner.getFields())) {
      const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
      for (const arg of field.args) {
        const others = field.args.filter((a) => a !== arg && isNonNullType(a.type) && a.defaultValue === undefined);
        const call = `${field.name}(${[`${arg.name}: $v`, ...others.map((a) => `${a.name}: ${validLiteral(a.type)}`)].join(', ')})${selection}`;
        const text = `${root}($v: ${String(arg.type)}) { ${nest(path, call)} }`;
        for (const [what, value] of wrongValues(arg.type))
          out.push({ name: `${owner.name}.${field.name}(${arg.name}): ${what}`, query: text, variables: { v: value } });
        if (isNonNullType(arg.type))
          out.push({
            name: `${owner.name}.${field.name}(${arg.name}): the variable left out`,
            query: text,
            variables: {},
          });
      }
    }
  }
  return out;
}

const CASES = cases();

describe('every argument as a variable, with a value of the wrong kind', () => {
  let app: App;
  let url: string;
  const lines: { level: string; msg: string; err?: unknown }[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    app = await startApp(
      testConfig({ databaseUrl: database.databaseUrl }),
      pino({ level: 'info', formatters: { level: (label) => ({ level: label }) } }, stream),
      SEEDER,
    );
    url = `http://127.0.0.1:${await app.server.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('covers every field argument of the schema, queries and mutations', () => {
    const covered = new Set(CASES.map((c) => c.name.split(':')[0]));
    let all = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (isObjectType(type) && !type.name.startsWith('__'))
        for (const field of Object.values(type.getFields())) all += field.args.length;
    }
    // Every argument of every field is reached (fields behind a required argument with no known value are not).
    expect(covered.size).toBe(all);
    expect(CASES.length).toBeGreaterThan(250);
    expect([...covered].some((name) => name.startsWith('Mutation.'))).toBe(true);
    expect([...covered].some((name) => name.startsWith('PlanTask.projects(filter)'))).toBe(true);
    expect(covered).toContain('Query.nodes(ids)');
  });

  it("refuses each with 400, BAD_USER_INPUT and graphql-js's message naming the variable, before any SQL", async () => {
    const failures: string[] = [];
    for (let i = 0; i < CASES.length; i += 16) {
      await Promise.all(
        CASES.slice(i, i + 16).map(async (c) => {
          const response = await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: c.query, variables: c.variables }),
          });
          const body = (await response.json()) as {
            data?: unknown;
            errors?: { message: string; extensions?: { code?: string } }[];
          };
          const problems: string[] = [];
          if (response.status !== 400) problems.push(`status ${response.status}`);
          if (!body.errors?.length) problems.push('no errors');
          for (const error of body.errors ?? []) {
            if (error.extensions?.code !== 'BAD_USER_INPUT') problems.push(`code ${error.extensions?.code}`);
            if (!/^Variable "\$v"/.test(error.message)) problems.push(`message ${error.message}`);
          }
          if (body.data !== undefined) problems.push('data');
          if (response.headers.get('x-sql-statements') !== '0')
            problems.push(`statements ${response.headers.get('x-sql-statements')}`);
          if (problems.length) failures.push(`${c.name}: ${problems.join('; ')} :: ${c.query}`);
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(lines.filter((l) => l.level === 'error' || /unexpected/.test(l.msg))).toEqual([]);
    const requests = lines.filter((l) => l.msg === 'graphql request');
    expect(requests.length).toBeGreaterThanOrEqual(CASES.length);
  });

  it('answers the same variable, well typed, through both executors', async () => {
    for (const [query, variables] of [
      ['query($n: Int) { projects(first: $n) { totalCount } }', { n: 2 }],
      ['query($f: ProjectFilter) { projects(filter: $f) { totalCount } }', { f: { status: ['PLANNED'] } }],
    ] as const) {
      for (let run = 0; run < 2; run++) {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
      }
    }
  });
});
