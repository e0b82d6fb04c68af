import { valueNesting } from '../../../lib/nesting';
import { OC4IDS_VERSION } from '../mapping';
import { formatError, validateEnvelope, validateProject } from '../validator';
import { readProject, type Candidate } from './read';
import { isObject, MAX_REASONS, type ImportProjectResult } from './types';

// ---- Checking the package (pure) ----

/** The deepest nesting a package may have: its GeoJSON (a MultiPolygon's coordinates) sits about ten levels down. */
export const MAX_PACKAGE_DEPTH = 64;

export interface Checked {
  packageErrors: string[];
  results: ImportProjectResult[];
  candidates: Candidate[];
}

const limited = (reasons: string[]) =>
  reasons.length > MAX_REASONS
    ? [...reasons.slice(0, MAX_REASONS), `… and ${reasons.length - MAX_REASONS} more.`]
    : reasons;

/** Checks a package and reads its projects: schema, version, duplicate ids and codes, currencies, amounts, ids. */
export function checkPackage(pkg: unknown, prefix: string): Checked {
  const packageErrors: string[] = [];
  if (!isObject(pkg))
    return {
      packageErrors: ['The package must be a JSON object (an OC4IDS project package).'],
      results: [],
      candidates: [],
    };
  // Checked before the schema validator walks it (recursively): a package nested thousands of levels deep is refused.
  if (valueNesting(pkg, MAX_PACKAGE_DEPTH) > MAX_PACKAGE_DEPTH) {
    return {
      packageErrors: [
        `The package nests deeper than ${MAX_PACKAGE_DEPTH} levels; an OC4IDS package (GeoJSON included) needs far fewer.`,
      ],
      results: [],
      candidates: [],
    };
  }
  if (pkg.version !== OC4IDS_VERSION) {
    packageErrors.push(
      `version: must be "${OC4IDS_VERSION}" (OC4IDS 0.9); got ${pkg.version === undefined ? 'nothing' : JSON.stringify(pkg.version)}.`,
    );
  }
  for (const error of validateEnvelope(pkg)) {
    if (error.pointer === '/version' && packageErrors.length > 0) continue;
    packageErrors.push(formatError(error));
  }
  const projects = Array.isArray(pkg.projects) ? pkg.projects : [];
  const results: ImportProjectResult[] = projects.map((raw, index) => ({
    index,
    id: isObject(raw) && typeof raw.id === 'string' ? raw.id : null,
    code: null,
    outcome: 'REJECTED',
    reasons: [],
    notes: [],
  }));

  const indicesById = new Map<string, number[]>();
  results.forEach((r) => r.id !== null && indicesById.set(r.id, [...(indicesById.get(r.id) ?? []), r.index]));
  const candidates: Candidate[] = [];
  projects.forEach((raw, index) => {
    const result = results[index];
    const schemaErrors = validateProject(raw);
    const reasons = schemaErrors.map((e) => formatError(e));
    const twins = result.id === null ? [] : indicesById.get(result.id)!.filter((i) => i !== index);
    if (twins.length) reasons.push(`Duplicate id "${result.id}": also projects[${twins.join('], projects[')}].`);
    if (reasons.length === 0 && isObject(raw)) {
      const read = readProject(raw, index, prefix);
      reasons.push(...read.reasons);
      if (read.candidate) {
        result.code = read.candidate.code;
        result.notes = read.candidate.notes;
        candidates.push(read.candidate);
      }
    }
    result.reasons = limited(reasons);
  });

  // Different ids that give the same code.
  const byCode = new Map<string, Candidate[]>();
  for (const c of candidates) byCode.set(c.code, [...(byCode.get(c.code) ?? []), c]);
  for (const [code, group] of byCode) {
    if (group.length < 2) continue;
    for (const c of group) {
      results[c.index].reasons.push(
        `Its id gives the project code "${code}", as the ids of projects[${group
          .filter((o) => o !== c)
          .map((o) => o.index)
          .join('], projects[')}] do.`,
      );
    }
  }
  return { packageErrors, results, candidates: candidates.filter((c) => results[c.index].reasons.length === 0) };
}
