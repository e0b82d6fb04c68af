import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { EARLIEST_DATE, isRegistryDate, LATEST_DATE } from './dates';
import { formatDecimal, isDecimalString } from './decimal';

const inputError = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

const RANGE = `from ${EARLIEST_DATE} to ${LATEST_DATE}`;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isRegistryDate(value)) {
    throw inputError(`Date must be a calendar date YYYY-MM-DD ${RANGE}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string') return value.slice(0, 10);
    throw new TypeError(`Date cannot represent ${String(value)}`);
  },
  parseValue: parseDate,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) throw inputError('Date must be a string YYYY-MM-DD');
    return parseDate(ast.value);
  },
});

function parseDateTime(value: unknown): string {
  const match =
    typeof value === 'string'
      ? /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/.exec(value)
      : null;
  if (!match || !isRegistryDate(match[1])) {
    throw inputError(`DateTime must be ISO 8601 with a time zone, on a day ${RANGE}, got ${JSON.stringify(value)}`);
  }
  // Kept as written: PostgreSQL reads it to the microsecond, where a JavaScript Date would round to the millisecond.
  return match[0];
}

/** PostgreSQL's `2025-07-01 08:30:00.123456+00` as ISO 8601, keeping every fractional digit it has. */
export function isoDateTime(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(value);
  if (!match) return null;
  const [, day, time, fraction = '', zone] = match;
  const offset =
    zone === 'Z' || /^[+-]00(:?00)?$/.test(zone)
      ? 'Z'
      : zone.length === 3
        ? `${zone}:00`
        : zone.includes(':')
          ? zone
          : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  // At least milliseconds, as JavaScript prints them; microseconds when the database has them.
  return `${day}T${time}${(fraction || '.').padEnd(4, '0')}${offset}`;
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') {
      const iso = isoDateTime(value);
      if (iso) return iso;
    }
    throw new TypeError(`DateTime cannot represent ${String(value)}`);
  },
  parseValue: parseDateTime,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) throw inputError('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

function parseDecimal(value: unknown): string {
  if (!isDecimalString(value))
    throw inputError(`Decimal must be a string of digits such as "1250000.50", got ${JSON.stringify(value)}`);
  return value;
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  serialize(value) {
    if (typeof value === 'string' || typeof value === 'number') return formatDecimal(value);
    throw new TypeError(`Decimal cannot represent ${String(value)}`);
  },
  parseValue: parseDecimal,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) throw inputError('Decimal must be given as a string, e.g. "1250000.50"');
    return parseDecimal(ast.value);
  },
});

export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  serialize(value) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
    throw new TypeError('JSONObject must be an object');
  },
  parseValue(value) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
    throw inputError('JSONObject must be an object');
  },
  parseLiteral() {
    throw inputError('JSONObject must be passed as a variable');
  },
});
