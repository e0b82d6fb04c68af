/**
 * OC4IDS 0.9.5 validation, offline: the official project and package schemas (JSON Schema draft-04) from
 * standards/oc4ids/, compiled once with ajv-draft-04 and ajv-formats. The project schema is registered under its
 * own `id`, so the package schema's `$ref` to it resolves locally.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';

export const STANDARD_DIRECTORY = path.resolve(__dirname, '../../../standards/oc4ids');

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(STANDARD_DIRECTORY, file), 'utf8')) as Record<string, unknown>;

/** One schema error: where (a JSON pointer into the validated value) and what. */
export interface SchemaError {
  /** JSON pointer, e.g. `/projects/0/budget/amount/currency` ("" for the root). */
  pointer: string;
  message: string;
  keyword: string;
}

interface Compiled {
  project: ValidateFunction;
  package: ValidateFunction;
}

let compiled: Compiled | null = null;

function compile(): Compiled {
  if (compiled) return compiled;
  const projectSchema = readJson('project-schema.json');
  const packageSchema = readJson('project-package-schema.json');
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  // Keywords of the standard that are not JSON Schema; otherwise strict mode refuses the schema.
  ajv.addVocabulary(['codelist', 'openCodelist', 'versionId']);
  ajv.addSchema(projectSchema);
  const validatePackage = ajv.compile(packageSchema);
  const validateProject = ajv.getSchema(projectSchema.id as string);
  if (!validateProject) throw new Error(`The project schema is not registered under ${String(projectSchema.id)}`);
  compiled = { project: validateProject, package: validatePackage };
  return compiled;
}

const shown = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** A readable message for one ajv error. */
function message(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `"${String(params.missingProperty)}" is required`;
    case 'enum':
      if (error.instancePath.endsWith('/currency')) return `${shown(error.data)} is not an ISO 4217 currency code`;
      return `${shown(error.data)} is not one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${String(params.type)}, got ${shown(error.data)}`;
    case 'format':
      return `must be a ${String(params.format)}${params.format === 'date-time' ? ' with a time zone' : ''}, got ${shown(error.data)}`;
    case 'minLength':
      return 'must not be an empty string';
    case 'minItems':
      return 'must not be an empty array';
    case 'minProperties':
      return 'must not be an empty object';
    case 'uniqueItems':
      return `items ${String(params.j)} and ${String(params.i)} are identical`;
    case 'pattern':
      return `must match ${String(params.pattern)}, got ${shown(error.data)}`;
    default:
      return error.message ?? `fails "${error.keyword}"`;
  }
}

function errorsOf(validate: ValidateFunction, value: unknown): SchemaError[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => ({
    pointer: error.instancePath,
    message: message(error),
    keyword: error.keyword,
  }));
}

/** Errors of a whole project package against project-package-schema.json (empty when valid). */
export function validatePackage(value: unknown): SchemaError[] {
  return errorsOf(compile().package, value);
}

/** Errors of one project against project-schema.json (empty when valid). */
export function validateProject(value: unknown): SchemaError[] {
  return errorsOf(compile().project, value);
}

/**
 * Errors of a package's own fields, its projects left aside (they are checked one by one, which also spares the
 * quadratic `uniqueItems` over thousands of projects).
 */
export function validateEnvelope(value: unknown): SchemaError[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { projects } = value as { projects?: unknown };
    if (Array.isArray(projects) && projects.length > 0)
      return validatePackage({ ...value, projects: [{ id: 'placeholder' }] });
  }
  return validatePackage(value);
}

/** A JSON pointer as a readable path: `/budget/amount/currency` → `budget.amount.currency`, `/locations/0` →
 * `locations[0]`. */
export function readablePath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/** `path: message`, or the message alone for the root. */
export function formatError(error: SchemaError, base = ''): string {
  const where = readablePath(error.pointer.slice(base.length));
  return where ? `${where}: ${error.message}` : error.message;
}
