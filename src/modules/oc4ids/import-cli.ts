/**
 * `npm run import:oc4ids -- <file-or-url> [--partial]`: imports an OC4IDS 0.9 project package into the configured
 * database (DATABASE_URL, else PGLITE_DATA_DIR), as the `importOc4idsPackage` mutation does, audited as the
 * subject `cli`. Progress goes to stderr, the report (JSON) to stdout. Exits 1 when a project was rejected or
 * nothing was written.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config';
import { openDatabase } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { hasPlans, seedDatabase } from '../../../seeds/load';
import { importPackage } from './import/write';

const USAGE = 'Usage: npm run import:oc4ids -- <package.json | https://…/package.json> [--partial]';

class CliError extends Error {}

async function readPackage(source: string): Promise<unknown> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(300_000) });
    } catch (error) {
      throw new CliError(`Could not fetch ${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new CliError(`GET ${source} answered ${response.status} ${response.statusText}.`);
    text = await response.text();
  } else {
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw new CliError(`Could not read ${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Whether to print progress after `done` of `total`: every 100 projects, at each tenth, and at the end. */
function progressDue(done: number, total: number): boolean {
  return done === total || done % 100 === 0 || Math.floor((done * 10) / total) > Math.floor(((done - 1) * 10) / total);
}

async function main() {
  const { values, positionals } = parseArgs({
    options: { partial: { type: 'boolean', default: false }, help: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new CliError(`Name one package file or URL.\n${USAGE}`);
  const source = positionals[0];
  const config = loadConfig();
  const pkg = await readPackage(source);
  const count = Array.isArray((pkg as { projects?: unknown } | null)?.projects)
    ? (pkg as { projects: unknown[] }).projects.length
    : 0;

  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDataDir: config.pgliteDataDir,
    poolSize: 2,
    statementTimeoutMs: config.operations.statementTimeoutMs,
  });
  try {
    await migrateDatabase(database);
    if (config.seedOnStart && !(await hasPlans(database.db))) await seedDatabase(database.db);
    // The command line acts as an admin named `cli`: whoever runs it can write to the database directly anyway.
    const request = {
      db: database.db,
      viewer: { kind: 'user', subject: 'cli', role: 'admin' } as const,
      requestId: `cli-${randomUUID()}`,
    };
    console.error(`Checking ${count} project(s) from ${source} (${database.kind} database at ${database.location})…`);
    const started = Date.now();
    const report = await importPackage(request, pkg, {
      partial: values.partial ?? false,
      prefix: config.oc4idsPrefix,
      action: 'importOc4ids',
      onProgress: (done, total) => {
        if (progressDue(done, total))
          console.error(
            `  written ${done}/${total} (${Math.round((done * 100) / total)}%) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
      },
    });
    console.log(JSON.stringify(report, null, 2));
    console.error(
      `Created ${report.created}, updated ${report.updated}, rejected ${report.rejected}; ${report.written ? 'written' : 'nothing written'}.` +
        (report.packageErrors.length ? `\nThe package is invalid:\n  - ${report.packageErrors.join('\n  - ')}` : ''),
    );
    if (report.rejected > 0 || !report.written) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof CliError || error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
