import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import rules of ARCHITECTURE.md, read from the code: no loop of value imports, and no value import from a lower
 * layer to a higher one. Type-only imports are free (they vanish when compiled).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/** From the ground up: a file may import values only from its own layer or one below it. */
const LAYERS: [string, number][] = [
  ['src/__generated__/', 0],
  ['src/config.ts', 0],
  ['src/observability/', 0],
  ['src/lib/', 1],
  ['src/db/', 1],
  ['src/modules/', 2],
  ['seeds/', 3],
  ['src/graphql/', 3],
  ['src/execution/', 4],
  ['src/http/', 5],
  ['src/app.ts', 6],
  ['src/main.ts', 7],
];
/** Commands (`*-cli.ts`) are entry points like main: they sit on top, whatever folder holds them. */
const COMMAND_LAYER = 8;
const RESOLVER_LAYER = 3;

function layerOf(file: string): number {
  const relative = path.relative(ROOT, file);
  if (relative.endsWith('-cli.ts')) return COMMAND_LAYER;
  // A module's resolvers are its GraphQL face, beside src/graphql: resolver -> service -> repository.
  if (relative.startsWith('src/modules/') && path.basename(relative) === 'resolvers.ts') return RESOLVER_LAYER;
  const found = LAYERS.find(([prefix]) => relative === prefix || relative.startsWith(prefix));
  if (!found) throw new Error(`${relative} is in no layer: add it to LAYERS and to ARCHITECTURE.md`);
  return found[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`${path.relative(ROOT, from)} imports ${specifier}, which is not a file`);
}

/** The files whose values a file imports (or re-exports). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      const clause = statement.importClause;
      if (clause) {
        const named = clause.namedBindings;
        const allNamedAreTypes =
          named !== undefined && ts.isNamedImports(named) && named.elements.every((element) => element.isTypeOnly);
        typeOnly = clause.isTypeOnly || (clause.name === undefined && allNamedAreTypes);
      }
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      specifier = statement.moduleSpecifier;
      const clause = statement.exportClause;
      typeOnly =
        statement.isTypeOnly ||
        (clause !== undefined && ts.isNamedExports(clause) && clause.elements.every((element) => element.isTypeOnly));
    }
    if (!specifier || !ts.isStringLiteral(specifier) || typeOnly) continue;
    const target = resolve(file, specifier.text);
    if (target) found.push(target);
  }
  return found;
}

const graph = new Map(sourceFiles(SRC).map((file) => [file, valueImports(file)]));

describe('imports in src/', () => {
  it('form no loop of value imports', () => {
    const loops: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const trail: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      trail.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') {
          const loop = trail.slice(trail.indexOf(next)).concat(next);
          loops.push(loop.map((f) => path.relative(ROOT, f)).join(' -> '));
        } else if (!state.has(next)) visit(next);
      }
      trail.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(loops).toEqual([]);
  });

  it('never take a value from a higher layer', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (layerOf(target) > layerOf(file))
          upward.push(`${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('are read: the rule sees the imports it judges', () => {
    const http = [...graph.entries()].find(([file]) => file.endsWith(path.join('src', 'app.ts')));
    expect(http?.[1].some((target) => target.includes(`${path.sep}http${path.sep}`))).toBe(true);
  });
});
