import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { signToken } from '../../src/http/auth';
import { validatePackage, validateProject } from '../../src/modules/oc4ids/validator';
import { snapshotDatabase } from '../helpers/snapshot';
import {
  createTestDatabase,
  dataOf,
  startTestApp,
  temporaryDirectory,
  TEST_JWT_SECRET,
  type TestApp,
} from '../helpers/test-app';

/**
 * OC4IDS import: the official example imports (mutation and command line), exports again and validates, and the
 * fields the registry models come back unchanged; invalid packages are rejected whole with clear reasons and
 * leave every table as it was; `partial` writes the valid projects only; only admins may import.
 */

const repoRoot = path.resolve(__dirname, '../..');
const examplePath = path.join(repoRoot, 'standards/oc4ids/examples/example.json');
const example: any = JSON.parse(readFileSync(examplePath, 'utf8'));
const exampleProject = example.projects[0];

const IMPORT = /* GraphQL */ `
  mutation Import($input: ImportOc4idsPackageInput!) {
    importOc4idsPackage(input: $input) {
      clientMutationId
      report {
        projects {
          index
          id
          code
          outcome
          reasons
          notes
        }
        created
        updated
        rejected
        written
        packageErrors
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** A copy of the example package with its one project changed by `change`, under a new id. */
function variant(id: string, change: (project: any) => void = () => {}): any {
  const pkg = structuredClone(example);
  pkg.projects[0].id = id;
  change(pkg.projects[0]);
  return pkg;
}

function packageOf(...projects: any[]): any {
  return { ...structuredClone(example), projects };
}

/** The fields of an OC4IDS project the registry models, as they must come back from a round trip. */
function modelled(project: any) {
  return {
    id: project.id,
    title: project.title,
    description: project.description,
    sector: project.sector,
    type: project.type,
    period: project.period,
    budgetAmount: project.budget?.amount,
    budgetDescription: project.budget?.description,
    locations: project.locations?.map((l: any) => ({ description: l.description, geometry: l.geometry })),
    publicAuthority: project.publicAuthority,
    completionEndDate: project.completion?.endDate,
  };
}

/** Each party's name with the roles the import maps (publicAuthority, funder) that it holds. */
function mappedRoles(project: any, partyNames: string[]) {
  return partyNames.map((name) => ({
    name,
    roles: (project.parties.find((p: any) => p.name === name)?.roles ?? [])
      .filter((r: string) => r === 'publicAuthority' || r === 'funder')
      .sort(),
  }));
}

describe('OC4IDS import through the importOc4idsPackage mutation', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  const run = async (pkg: unknown, options: { partial?: boolean; headers?: Record<string, string> } = {}) =>
    t.query(
      IMPORT,
      { input: { package: pkg, partial: options.partial, clientMutationId: 'c1' } },
      options.headers ?? admin,
    );

  const exported = async (code: string) => {
    const response = await fetch(`${t.url}/oc4ids/projects/${encodeURIComponent(code)}.json`);
    expect(response.status).toBe(200);
    return (await response.json()) as any;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = { authorization: `Bearer ${await signToken(TEST_JWT_SECRET, { sub: 'ada', role: 'admin' })}` };
  });

  afterAll(async () => {
    await t?.stop();
  });

  describe('the official example', () => {
    let report: any;
    let pkg: any;

    beforeAll(async () => {
      const payload = dataOf(await run(example)).importOc4idsPackage;
      expect(payload.userErrors).toEqual([]);
      report = payload.report;
      pkg = await exported(exampleProject.id);
    });

    it("imports as one created project, keeping its id as the code (another publisher's prefix)", () => {
      expect(report).toMatchObject({ created: 1, updated: 0, rejected: 0, written: true, packageErrors: [] });
      expect(report.projects[0]).toMatchObject({
        index: 0,
        id: exampleProject.id,
        code: exampleProject.id,
        outcome: 'CREATED',
        reasons: [],
      });
    });

    it('says in its notes what it did not import', () => {
      const notes = report.projects[0].notes.join('\n');
      expect(notes).toMatch(/Not imported \(the registry does not model them\):.*contractingProcesses/);
      expect(notes).toMatch(/parties not imported.*A1 Expert Smart Moto Design/);
      expect(notes).toMatch(/The total investment in GBP has no VND equivalent/);
      expect(notes).toMatch(/Agency GB-GOR-XX1234 created as the owner/);
    });

    it('exports again as a package valid against the official schemas', () => {
      expect(validatePackage(pkg)).toEqual([]);
      expect(validateProject(pkg.projects[0])).toEqual([]);
    });

    it('keeps the modelled fields unchanged: id, title, description, sector, type, period, budget, locations, public authority, completion', () => {
      expect(modelled(pkg.projects[0])).toEqual(modelled(exampleProject));
    });

    it("keeps the parties' names and the roles it maps (publicAuthority, funder)", () => {
      const names = ['Motorways UK', 'United Nations Development Programme'];
      expect(mappedRoles(pkg.projects[0], names)).toEqual(mappedRoles(exampleProject, names));
    });

    it("keeps each budget breakdown entry's amount, currency and source party as allocations", () => {
      const entries = pkg.projects[0].budget.budgetBreakdowns[0].budgetBreakdown;
      const original = exampleProject.budget.budgetBreakdowns[0].budgetBreakdown;
      expect(
        entries
          .slice(0, original.length)
          .map((e: any) => ({ amount: e.amount, party: e.sourceParty.name, period: e.period })),
      ).toEqual(original.map((e: any) => ({ amount: e.amount, party: e.sourceParty.name, period: e.period })));
      // The UNDP loan of budget.finance, not in the breakdown, is an ODA allocation of its own.
      expect(entries.at(-1)).toMatchObject({
        amount: { amount: 50000000, currency: 'USD' },
        sourceParty: { name: 'United Nations Development Programme' },
      });
      expect(pkg.projects[0].budget.finance[0]).toMatchObject({
        financingParty: { name: 'United Nations Development Programme' },
        concessional: true,
        financingPartyType: 'multilateral',
      });
    });

    it('maps the maintenance status, which the registry does not model, to COMPLETED (exported as completion)', async () => {
      expect(exampleProject.status).toBe('maintenance');
      expect(pkg.projects[0].status).toBe('completion');
      const data = dataOf(
        await t.query(
          `{ project(code: "${exampleProject.id}") { status statusHistory { status effectiveOn note } ownerAgency { code name kind } funding { source { code } financier amount { amount currency } status fiscalYear } } }`,
        ),
      );
      expect(data.project.status).toBe('COMPLETED');
      expect(data.project.statusHistory).toEqual([
        { status: 'COMPLETED', effectiveOn: '2018-12-10', note: exampleProject.completion.endDateDetails },
      ]);
      expect(data.project.ownerAgency).toEqual({ code: 'GB-GOR-XX1234', name: 'Motorways UK', kind: 'OTHER' });
      expect(
        data.project.funding.map((f: any) => [f.source.code, f.financier, f.amount, f.fiscalYear, f.status]),
      ).toEqual([
        ['CENTRAL_BUDGET', 'Motorways UK', { amount: '10000000', currency: 'GBP' }, 2016, 'COMMITTED'],
        ['CENTRAL_BUDGET', 'Motorways UK', { amount: '20000000', currency: 'GBP' }, 2017, 'COMMITTED'],
        ['CENTRAL_BUDGET', 'Motorways UK', { amount: '10000000', currency: 'GBP' }, 2018, 'COMMITTED'],
        ['ODA', 'United Nations Development Programme', { amount: '50000000', currency: 'USD' }, null, 'COMMITTED'],
      ]);
    });

    it('records an audit entry for the project and the agency it created', async () => {
      const rows = await queryRows<{
        entity_type: string;
        action: string;
        actor_subject: string;
        client_mutation_id: string;
      }>(
        t.app.database.db,
        sql`select entity_type, action, actor_subject, client_mutation_id from audit_log where action = 'importOc4idsPackage' order by id`,
      );
      expect(rows).toEqual([
        { entity_type: 'Agency', action: 'importOc4idsPackage', actor_subject: 'ada', client_mutation_id: 'c1' },
        { entity_type: 'Project', action: 'importOc4idsPackage', actor_subject: 'ada', client_mutation_id: 'c1' },
      ]);
    });

    it('imports its own export again as an update that changes no modelled field', async () => {
      const again = dataOf(await run(pkg)).importOc4idsPackage.report;
      expect(again).toMatchObject({ created: 0, updated: 1, rejected: 0, written: true });
      const after = await exported(exampleProject.id);
      const { updated: _a, ...before } = pkg.projects[0];
      const { updated: _b, ...now } = after.projects[0];
      expect(now).toEqual(before);
    });
  });

  it.each(['identification', 'preparation', 'implementation', 'completion', 'cancelled'])(
    'keeps the status %s through a round trip',
    async (status) => {
      const id = `oc4ids-bu3kcz-status-${status}`;
      const report = dataOf(await run(variant(id, (p) => (p.status = status)))).importOc4idsPackage.report;
      expect(report.projects[0].outcome).toBe('CREATED');
      const pkg = await exported(id);
      expect(pkg.projects[0].status).toBe(status);
      expect(validatePackage(pkg)).toEqual([]);
    },
  );

  it("strips the registry's own prefix: an exported seed project imports as an update of itself", async () => {
    const before = await exported('BD-WB-WATER');
    const report = dataOf(await run(before)).importOc4idsPackage.report;
    expect(report.projects[0]).toMatchObject({
      id: 'oc4ids-xxxxxx-BD-WB-WATER',
      code: 'BD-WB-WATER',
      outcome: 'UPDATED',
      reasons: [],
    });
    const after = await exported('BD-WB-WATER');
    const { updated: _a, ...a } = before.projects[0];
    const { updated: _b, ...b } = after.projects[0];
    expect(b).toEqual(a);
    // Allocations read back exactly as exported are kept with their exchange rates and sources.
    const data = dataOf(
      await t.query('{ project(code: "BD-WB-WATER") { funding { rateToVnd amountVnd sources { url } } } }'),
    );
    expect(data.project.funding.every((f: any) => f.rateToVnd !== null && f.sources.length > 0)).toBe(true);
  });

  describe('invalid packages are rejected whole and change nothing', () => {
    const cases: [string, () => any, (report: any) => void][] = [
      [
        'a schema error (an unknown status, a date without a time zone)',
        () =>
          variant('oc4ids-bu3kcz-bad-schema', (p) => ((p.status = 'finished'), (p.period.startDate = '2016-01-01'))),
        (report) => {
          expect(report.projects[0].reasons).toEqual(
            expect.arrayContaining([
              expect.stringMatching(/^status: "finished" is not one of "identification"/),
              expect.stringMatching(/^period\.startDate: must be a date-time with a time zone/),
            ]),
          );
        },
      ],
      [
        'an unknown currency "XYZ"',
        () => variant('oc4ids-bu3kcz-bad-currency', (p) => (p.budget.amount.currency = 'XYZ')),
        (report) =>
          expect(report.projects[0].reasons).toContain(
            'budget.amount.currency: "XYZ" is not an ISO 4217 currency code',
          ),
      ],
      [
        'a currency of the codelist the registry refuses ("XXX", no currency)',
        () => variant('oc4ids-bu3kcz-no-currency', (p) => (p.budget.amount.currency = 'XXX')),
        (report) =>
          expect(report.projects[0].reasons).toEqual([
            expect.stringMatching(
              /budget\.amount\.currency: "XXX" is not an ISO 4217 currency code the registry accepts/,
            ),
          ]),
      ],
      [
        'duplicate project ids',
        () =>
          packageOf(
            variant('oc4ids-bu3kcz-twin').projects[0],
            variant('oc4ids-bu3kcz-twin', (p) => (p.title = 'Other')).projects[0],
          ),
        (report) => {
          expect(report.projects[0].reasons).toContain('Duplicate id "oc4ids-bu3kcz-twin": also projects[1].');
          expect(report.projects[1].reasons).toContain('Duplicate id "oc4ids-bu3kcz-twin": also projects[0].');
        },
      ],
      [
        'version "1.0"',
        () => ({ ...variant('oc4ids-bu3kcz-version'), version: '1.0' }),
        (report) => {
          expect(report.packageErrors).toEqual(['version: must be "0.9" (OC4IDS 0.9); got "1.0".']);
          expect(report.projects[0].reasons).toEqual(['Not written: see packageErrors.']);
        },
      ],
      [
        'an id without an OC4IDS prefix',
        () => variant('M75-upgrade'),
        (report) =>
          expect(report.projects[0].reasons[0]).toMatch(
            /^id "M75-upgrade" does not begin with an OC4IDS project identifier prefix/,
          ),
      ],
      [
        'a package without publisher',
        () => ({ ...variant('oc4ids-bu3kcz-nopub'), publisher: undefined }),
        (report) => expect(report.packageErrors).toEqual(['"publisher" is required']),
      ],
      [
        'a new project without title, sector or type',
        () => variant('oc4ids-bu3kcz-bare', (p) => (delete p.title, delete p.sector, delete p.type)),
        (report) =>
          expect(report.projects[0].reasons).toEqual([
            expect.stringMatching(/^title: required/),
            expect.stringMatching(/^sector: required/),
            expect.stringMatching(/^type: required/),
          ]),
      ],
    ];

    it.each(cases)('%s', async (_name, make, check) => {
      const before = await snapshotDatabase(t.app.database.db);
      const payload = dataOf(await run(make())).importOc4idsPackage;
      expect(payload.report).toMatchObject({ created: 0, updated: 0, written: false });
      expect(payload.report.rejected).toBe(payload.report.projects.length);
      for (const project of payload.report.projects) expect(project.outcome).toBe('REJECTED');
      expect(payload.report.projects.every((p: any) => p.reasons.length > 0)).toBe(true);
      expect(payload.userErrors.length).toBeGreaterThan(0);
      check(payload.report);
      expect(await snapshotDatabase(t.app.database.db)).toEqual(before);
    });
  });

  describe('a package with one valid and one invalid project', () => {
    const mixed = () =>
      packageOf(
        variant('oc4ids-bu3kcz-mixed-good').projects[0],
        variant('oc4ids-bu3kcz-mixed-bad', (p) => (p.budget.amount.currency = 'XYZ')).projects[0],
      );

    it('is rejected whole without partial: nothing is written', async () => {
      const before = await snapshotDatabase(t.app.database.db);
      const payload = dataOf(await run(mixed())).importOc4idsPackage;
      expect(payload.report).toMatchObject({ created: 0, updated: 0, rejected: 2, written: false });
      expect(payload.report.projects[0].reasons).toEqual([
        'Valid, but not written: other projects in the package were rejected and partial is off.',
      ]);
      expect(payload.report.projects[1].reasons).toContain(
        'budget.amount.currency: "XYZ" is not an ISO 4217 currency code',
      );
      expect(await snapshotDatabase(t.app.database.db)).toEqual(before);
    });

    it('with partial, writes the valid one and reports the invalid one', async () => {
      const payload = dataOf(await run(mixed(), { partial: true })).importOc4idsPackage;
      expect(payload.userErrors).toEqual([]);
      expect(payload.report).toMatchObject({ created: 1, updated: 0, rejected: 1, written: true });
      expect(payload.report.projects.map((p: any) => p.outcome)).toEqual(['CREATED', 'REJECTED']);
      const data = dataOf(
        await t.query(
          '{ good: project(code: "oc4ids-bu3kcz-mixed-good") { code } bad: project(code: "oc4ids-bu3kcz-mixed-bad") { code } }',
        ),
      );
      expect(data).toEqual({ good: { code: 'oc4ids-bu3kcz-mixed-good' }, bad: null });
    });
  });

  describe('only admins may import', () => {
    it.each([
      ['no token', 'UNAUTHENTICATED', undefined],
      ['a viewer', 'FORBIDDEN', 'viewer'],
      ['a planner', 'FORBIDDEN', 'planner'],
    ] as const)('%s gets %s and nothing is written', async (_name, code, role) => {
      const before = await snapshotDatabase(t.app.database.db);
      const headers: Record<string, string> = role
        ? { authorization: `Bearer ${await signToken(TEST_JWT_SECRET, { sub: 'someone', role })}` }
        : {};
      const response = await run(variant(`oc4ids-bu3kcz-denied-${role ?? 'none'}`), { headers });
      expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.body.data?.importOc4idsPackage ?? null).toBeNull();
      expect(await snapshotDatabase(t.app.database.db)).toEqual(before);
    });
  });
});

describe('OC4IDS import from the command line', () => {
  const execFileAsync = promisify(execFile);
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let directory: ReturnType<typeof temporaryDirectory>;

  const cli = async (...args: string[]) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PGLITE_DATA_DIR: path.join(directory.dir, 'pglite'),
      DATABASE_URL: database.databaseUrl ?? '',
      LOG_LEVEL: 'silent',
    };
    try {
      const { stdout, stderr } = await execFileAsync('npx', ['tsx', 'src/modules/oc4ids/import-cli.ts', ...args], {
        cwd: repoRoot,
        env,
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (error: any) {
      return { code: error.code as number, stdout: error.stdout as string, stderr: error.stderr as string };
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    directory = temporaryDirectory('oc4ids-cli-');
  });

  afterAll(async () => {
    await database?.drop();
    directory?.remove();
  });

  it('imports the official example into the configured database, reporting progress on stderr', async () => {
    const result = await cli(examplePath);
    expect(result.stderr).toMatch(/Checking 1 project\(s\)/);
    expect(result.stderr).toMatch(/written 1\/1 \(100%\)/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ created: 1, rejected: 0, written: true });

    // A longer import shows its progress every tenth (and every 100 projects).
    const many = path.join(directory.dir, 'many.json');
    writeFileSync(
      many,
      JSON.stringify(
        packageOf(...Array.from({ length: 150 }, (_, i) => variant(`oc4ids-bu3kcz-many-${i + 1}`).projects[0])),
      ),
    );
    const long = await cli(many);
    expect(long.code).toBe(0);
    expect(JSON.parse(long.stdout)).toMatchObject({ created: 150, written: true });
    const lines = long.stderr.split('\n').filter((line) => line.includes('written '));
    expect(lines.map((line) => /written (\d+)\/150/.exec(line)![1])).toEqual([
      '15',
      '30',
      '45',
      '60',
      '75',
      '90',
      '100',
      '105',
      '120',
      '135',
      '150',
    ]);

    // An invalid package exits 1 and writes nothing.
    const invalid = path.join(directory.dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ ...example, version: '1.0' }));
    const refused = await cli(invalid);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      written: false,
      rejected: 1,
      packageErrors: ['version: must be "0.9" (OC4IDS 0.9); got "1.0".'],
    });
    expect(refused.stderr).toMatch(/nothing written/);

    const t = await startTestApp({
      databaseUrl: database.databaseUrl,
      pgliteDataDir: path.join(directory.dir, 'pglite'),
    });
    try {
      const response = await fetch(`${t.url}/oc4ids/projects/${exampleProject.id}.json`);
      expect(response.status).toBe(200);
      const pkg: any = await response.json();
      expect(validatePackage(pkg)).toEqual([]);
      expect(modelled(pkg.projects[0])).toEqual(modelled(exampleProject));
      const audit = await queryRows<{ actor_subject: string; actor_role: string; action: string; entity_type: string }>(
        t.app.database.db,
        sql`select actor_subject, actor_role, action, entity_type from audit_log order by id`,
      );
      expect(audit.slice(0, 2)).toEqual([
        { actor_subject: 'cli', actor_role: 'admin', action: 'importOc4ids', entity_type: 'Agency' },
        { actor_subject: 'cli', actor_role: 'admin', action: 'importOc4ids', entity_type: 'Project' },
      ]);
      expect(audit.filter((a) => a.entity_type === 'Project')).toHaveLength(151);
      expect(audit.every((a) => a.actor_subject === 'cli' && a.action === 'importOc4ids')).toBe(true);
      // The whole export, seeded projects and the imported one, is valid.
      const all: any = await (await fetch(`${t.url}/oc4ids/projects.json`)).json();
      expect(validatePackage(all)).toEqual([]);
      expect(all.projects.map((p: any) => p.id)).toContain(exampleProject.id);
    } finally {
      await t.stop();
    }
  }, 180_000);

  it('reads a package from a URL and, with --partial, writes its valid projects', async () => {
    const mixed = packageOf(
      variant('oc4ids-bu3kcz-url-good').projects[0],
      variant('oc4ids-bu3kcz-url-bad', (p) => (p.budget.amount.currency = 'XYZ')).projects[0],
    );
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(mixed));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/package.json`;
    try {
      const whole = await cli(url);
      expect(whole.code).toBe(1);
      expect(JSON.parse(whole.stdout)).toMatchObject({ created: 0, rejected: 2, written: false });
      const partial = await cli(url, '--partial');
      expect(partial.code).toBe(1);
      const report = JSON.parse(partial.stdout);
      expect(report).toMatchObject({ created: 1, rejected: 1, written: true });
      expect(report.projects[1].reasons).toContain('budget.amount.currency: "XYZ" is not an ISO 4217 currency code');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 120_000);

  it('refuses a file that is not JSON, and a missing file, with exit code 1', async () => {
    const notJson = path.join(directory.dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    const bad = await cli(notJson);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not valid JSON/);
    const missing = await cli(path.join(directory.dir, 'missing.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Could not read/);
  }, 60_000);
});
