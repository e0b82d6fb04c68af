import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signToken } from '../../src/http/auth';
import { startTestApp, testConfig, TEST_JWT_SECRET, type GraphQLResponse, type TestApp } from '../helpers/test-app';
import {
  ARCHIVE_PROJECT,
  as,
  auditCount,
  CHANGE_STATUS,
  CREATE_AGENCY,
  CREATE_PLAN,
  CREATE_PROJECT,
  createProject,
  dayFromToday,
  LINK,
  okPayload,
  PLAN_CODE,
  projectInput,
  RECORD_SUCCESSION,
  scalar,
  SET_FUNDING,
  taskId,
  today,
  uniqueCode,
  UNLINK,
  UPDATE_PROJECT,
} from '../helpers/write-kit';

/**
 * Who may write and read what: every mutation and the audit reads against no token and each role, bad tokens
 * refused with 401 before anything runs, issuer and audience, RS256 with a public key or a JWKS, and closed reads.
 */

type Caller = 'none' | 'viewer' | 'planner' | 'admin';
const CALLERS: Caller[] = ['none', 'viewer', 'planner', 'admin'];
const RANK: Record<Caller, number> = { none: 0, viewer: 1, planner: 2, admin: 3 };

const MALFORMED_HEADER = 'The Authorization header must be "Bearer <token>" with a JSON Web Token.';
const NOT_VALID = 'The token is not valid: it is malformed, or not signed by a key this registry trusts.';
const EXPIRED = 'The token has expired. Ask for a new one.';
const NO_ROLE = 'The token\'s "roles" claim names none of the roles viewer, planner, admin.';
const NO_SUBJECT = 'The token has no subject ("sub" claim).';

const OTHER_SECRET = 'another-secret-that-this-registry-does-not-trust-42';

const loadJose = () => import('jose');
type Jose = Awaited<ReturnType<typeof loadJose>>;
type KeyPair = Awaited<ReturnType<Jose['generateKeyPair']>>;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** A 401 answer as the server gives it for a refused token: one UNAUTHENTICATED error, no data, nothing about keys. */
function expectRefusedToken(response: GraphQLResponse, message: string) {
  expect(response.status).toBe(401);
  expect(response.body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  const text = JSON.stringify(response.body);
  for (const secretWord of [
    TEST_JWT_SECRET,
    OTHER_SECRET,
    'BEGIN',
    'HS256',
    'RS256',
    'signature',
    'stack',
    'JWS',
    'JOSE',
  ]) {
    expect(text).not.toContain(secretWord);
  }
}

interface WriteCase {
  mutation: string;
  needs: 'planner' | 'admin';
  document: string;
  /** Variables of a valid call, made fresh for each call (setup as a separate planner/admin). */
  valid: (t: TestApp) => Promise<Record<string, unknown>>;
  /** Variables that the mutation's own input checks refuse. */
  invalid: Record<string, unknown>;
}

async function freshProject(t: TestApp, extra: Record<string, unknown> = {}) {
  return createProject(
    t,
    projectInput(uniqueCode('AUTH-P'), { statusEffectiveOn: '2024-01-01', ...extra }),
    await as('planner', 'setup'),
  );
}

async function freshAgency(t: TestApp): Promise<string> {
  const code = uniqueCode('AUTH.AG');
  const response = await t.query(
    CREATE_AGENCY,
    {
      input: {
        code,
        name: `Cơ quan ${code}`,
        kind: 'DEPARTMENT',
        jurisdictionCode: 'HCM',
        jurisdiction: 'Thành phố Hồ Chí Minh',
      },
    },
    await as('admin', 'setup'),
  );
  okPayload(response, 'createAgency');
  return code;
}

const WRITES: WriteCase[] = [
  {
    mutation: 'createProject',
    needs: 'planner',
    document: CREATE_PROJECT,
    valid: async () => ({ input: projectInput(uniqueCode('AUTH-NEW')) }),
    invalid: { input: { code: 'bad code!', name: '  ', sector: 'TRANSPORT', type: 'CONSTRUCTION' } },
  },
  {
    mutation: 'updateProject',
    needs: 'planner',
    document: UPDATE_PROJECT,
    valid: async (t) => ({
      input: { id: (await freshProject(t)).id, expectedVersion: 1, description: 'Changed by the caller.' },
    }),
    invalid: { input: { id: 'not-an-id', expectedVersion: 1, name: null } },
  },
  {
    mutation: 'archiveProject',
    needs: 'planner',
    document: ARCHIVE_PROJECT,
    valid: async (t) => ({
      input: { id: (await freshProject(t)).id, expectedVersion: 1, reason: 'Duplicate record.' },
    }),
    invalid: { input: { id: 'not-an-id', expectedVersion: 1 } },
  },
  {
    mutation: 'changeProjectStatus',
    needs: 'planner',
    document: CHANGE_STATUS,
    valid: async (t) => ({
      input: { projectId: (await freshProject(t)).id, status: 'PREPARATION', effectiveOn: today(), expectedVersion: 1 },
    }),
    invalid: {
      input: { projectId: 'not-an-id', status: 'PLANNED', effectiveOn: dayFromToday(30), expectedVersion: 1 },
    },
  },
  {
    mutation: 'setProjectFunding',
    needs: 'planner',
    document: SET_FUNDING,
    valid: async (t) => ({
      input: {
        projectId: (await freshProject(t)).id,
        expectedVersion: 1,
        allocations: [{ sourceCode: 'ODA', amount: '100', currency: 'VND', status: 'PLANNED' }],
      },
    }),
    invalid: {
      input: {
        projectId: 'not-an-id',
        expectedVersion: 1,
        allocations: [{ sourceCode: 'ODA', amount: '1.234', currency: 'XYZ', status: 'PLANNED' }],
      },
    },
  },
  {
    mutation: 'linkProjectToTask',
    needs: 'planner',
    document: LINK,
    valid: async (t) => ({
      input: { projectId: (await freshProject(t)).id, taskId: await taskId(t, 'II.4.c.1'), expectedVersion: 1 },
    }),
    invalid: { input: { projectId: 'not-an-id', taskId: 'not-an-id', expectedVersion: 1 } },
  },
  {
    mutation: 'unlinkProjectFromTask',
    needs: 'planner',
    document: UNLINK,
    valid: async (t) => ({
      input: {
        projectId: (await freshProject(t, { planCode: PLAN_CODE, taskCodes: ['II.4.c.1'] })).id,
        taskId: await taskId(t, 'II.4.c.1'),
        expectedVersion: 1,
      },
    }),
    invalid: { input: { projectId: 'not-an-id', taskId: 'not-an-id', expectedVersion: 1 } },
  },
  {
    mutation: 'createPlan',
    needs: 'admin',
    document: CREATE_PLAN,
    valid: async () => ({
      input: {
        code: uniqueCode('AUTH/KH'),
        title: 'Kế hoạch thử',
        issuedOn: '2025-08-01',
        issuerCode: 'HCM.UBND',
        sections: [{ number: 'I', heading: 'Mục I', tasks: ['Một nhiệm vụ'] }],
      },
    }),
    invalid: { input: { code: ' ', title: ' ', issuedOn: '2025-08-01', issuerCode: 'HCM.UBND', sections: [] } },
  },
  {
    mutation: 'createAgency',
    needs: 'admin',
    document: CREATE_AGENCY,
    valid: async () => ({
      input: {
        code: uniqueCode('AUTH.NEW'),
        name: 'Sở thử nghiệm',
        kind: 'DEPARTMENT',
        jurisdictionCode: 'HCM',
        jurisdiction: 'Thành phố Hồ Chí Minh',
      },
    }),
    invalid: { input: { code: 'bad code', name: ' ', kind: 'DEPARTMENT', jurisdictionCode: ' ', jurisdiction: ' ' } },
  },
  {
    mutation: 'recordAgencySuccession',
    needs: 'admin',
    document: RECORD_SUCCESSION,
    valid: async (t) => ({
      input: {
        predecessorCode: await freshAgency(t),
        successorCode: await freshAgency(t),
        kind: 'RENAME',
        effectiveOn: '2025-08-01',
        reason: 'Renamed.',
      },
    }),
    invalid: {
      input: {
        predecessorCode: 'HCM.SXD',
        successorCode: 'HCM.SXD',
        kind: 'RENAME',
        effectiveOn: '2025-08-01',
        reason: ' ',
      },
    },
  },
];

const expectedRefusal = (caller: Caller) =>
  caller === 'none' ? { status: 401, code: 'UNAUTHENTICATED' } : { status: 403, code: 'FORBIDDEN' };

describe('write API authentication and roles', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.stop();
  });

  describe.each(WRITES)('$mutation (needs $needs)', (write) => {
    it.each(CALLERS)(
      'caller %s: refused below the role with 401/403 and nothing written, allowed from the role on',
      async (caller) => {
        const variables = await write.valid(t);
        const auditBefore = await auditCount(t);
        const response = await t.query(write.document, variables, await as(caller));
        const allowed = RANK[caller] >= RANK[write.needs];
        if (allowed) {
          expect(response.body.errors).toBeUndefined();
          expect(response.status).toBe(200);
          const payload = (response.body.data as any)[write.mutation];
          expect(payload.userErrors).toEqual([]);
          expect(await auditCount(t)).toBe(auditBefore + 1);
        } else {
          const { status, code } = expectedRefusal(caller);
          expect(response.status).toBe(status);
          expect(response.body.data).toBeNull();
          expect(response.body.errors).toHaveLength(1);
          expect(response.body.errors![0].extensions?.code).toBe(code);
          expect(response.body.errors![0].path).toEqual([write.mutation]);
          expect(response.body.errors![0].message).toBe(
            caller === 'none'
              ? `${write.mutation} needs a bearer token with the ${write.needs} role.`
              : `${write.mutation} needs the ${write.needs} role; the token has ${caller}.`,
          );
          expect(await auditCount(t)).toBe(auditBefore);
        }
      },
    );

    it('checks the role before the input: callers below the role get 401/403, not user errors, for an invalid input', async () => {
      const below = CALLERS.filter((c) => RANK[c] < RANK[write.needs]);
      const answers = [];
      for (const caller of below) {
        const response = await t.query(write.document, write.invalid, await as(caller));
        answers.push({
          caller,
          status: response.status,
          code: response.body.errors?.[0]?.extensions?.code ?? null,
          data: response.body.data ?? null,
        });
      }
      expect(answers).toEqual(below.map((caller) => ({ caller, ...expectedRefusal(caller), data: null })));
      // The role allowed sees the user errors.
      const response = await t.query(write.document, write.invalid, await as(write.needs));
      expect(response.status).toBe(200);
      expect((response.body.data as any)[write.mutation].userErrors.length).toBeGreaterThan(0);
    });
  });

  describe('auditLog (needs admin)', () => {
    it.each(CALLERS)('caller %s', async (caller) => {
      const response = await t.query('{ auditLog(first: 1) { totalCount nodes { action } } }', {}, await as(caller));
      if (caller === 'admin') {
        expect(response.status).toBe(200);
        expect(response.body.errors).toBeUndefined();
        expect((response.body.data as any).auditLog.totalCount).toBe(await auditCount(t));
      } else {
        const { status, code } = expectedRefusal(caller);
        expect(response.status).toBe(status);
        expect(response.body.data).toBeNull();
        expect(response.body.errors![0].extensions?.code).toBe(code);
        expect(response.body.errors![0].path).toEqual(['auditLog']);
      }
    });
  });

  describe('Project.auditTrail (needs planner)', () => {
    it.each(CALLERS)('caller %s', async (caller) => {
      const response = await t.query(
        '{ project(code: "BD-RAIL-DALN") { code auditTrail(first: 5) { totalCount } } }',
        {},
        await as(caller),
      );
      if (RANK[caller] >= RANK.planner) {
        expect(response.status).toBe(200);
        expect(response.body.errors).toBeUndefined();
        expect((response.body.data as any).project).toEqual({ code: 'BD-RAIL-DALN', auditTrail: { totalCount: 0 } });
      } else {
        const { status, code } = expectedRefusal(caller);
        expect(response.status).toBe(status);
        expect(response.body.errors![0].extensions?.code).toBe(code);
        expect(response.body.errors![0].path).toEqual(['project', 'auditTrail']);
        expect((response.body.data as any).project).toBeNull();
      }
    });
  });

  it('keeps reads open without a token by default', async () => {
    const response = await t.query('{ project(code: "BD-RAIL-DALN") { code status } plans { totalCount } }');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: {
        project: { code: 'BD-RAIL-DALN', status: 'PREPARATION' },
        plans: { totalCount: await scalar(t, 'select count(*)::int from plans') },
      },
    });
  });

  it('takes the strongest of several roles, and a roles claim given as one string', async () => {
    const jose = await loadJose();
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const several = await new jose.SignJWT({ roles: ['viewer', 'admin', 'planner'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('multi')
      .setExpirationTime('1h')
      .sign(key);
    const single = await new jose.SignJWT({ roles: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('single')
      .setExpirationTime('1h')
      .sign(key);
    for (const token of [several, single]) {
      const response = await t.query('{ auditLog(first: 1) { totalCount } }', {}, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    }
  });

  describe('bad tokens are refused with 401 before anything runs', () => {
    const write = (headers: Record<string, string>) =>
      t.query(CREATE_PROJECT, { input: projectInput(uniqueCode('AUTH-BAD')) }, headers);

    it('"Basic x" is a malformed Authorization header', async () => {
      expectRefusedToken(await write({ authorization: 'Basic x' }), MALFORMED_HEADER);
    });

    it('"Bearer abc" is not a JSON Web Token', async () => {
      expectRefusedToken(await write({ authorization: 'Bearer abc' }), MALFORMED_HEADER);
    });

    it('a token signed with another secret is not valid', async () => {
      const token = await signToken(OTHER_SECRET, { sub: 'mallory', role: 'admin' });
      expectRefusedToken(await write({ authorization: `Bearer ${token}` }), NOT_VALID);
    });

    it('an expired token is refused as expired', async () => {
      const jose = await loadJose();
      const now = Math.floor(Date.now() / 1000);
      const token = await new jose.SignJWT({ roles: ['planner'] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject('late')
        .setIssuedAt(now - 7200)
        .setExpirationTime(now - 3600)
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
      expectRefusedToken(await write({ authorization: `Bearer ${token}` }), EXPIRED);
    });

    it('a token without an expiry, or living longer than JWT_MAX_TTL (24 h), or issued in the future, is refused', async () => {
      const jose = await loadJose();
      const key = new TextEncoder().encode(TEST_JWT_SECRET);
      const now = Math.floor(Date.now() / 1000);
      const sign = (claims: { iat?: number; exp?: number }) => {
        let token = new jose.SignJWT({ roles: ['planner'] })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject('ttl');
        if (claims.iat !== undefined) token = token.setIssuedAt(claims.iat);
        if (claims.exp !== undefined) token = token.setExpirationTime(claims.exp);
        return token.sign(key);
      };
      const forever = 'The token has no expiry ("exp" claim); tokens must expire.';
      const tooLong =
        'The token lives longer than this registry accepts (86400 s, JWT_MAX_TTL). Ask for a shorter-lived one.';
      expectRefusedToken(await write({ authorization: `Bearer ${await sign({ iat: now })}` }), forever);
      expectRefusedToken(await write({ authorization: `Bearer ${await sign({})}` }), forever);
      // exp in the year 275760, the largest a JavaScript Date holds.
      expectRefusedToken(
        await write({ authorization: `Bearer ${await sign({ iat: now, exp: 8_640_000_000_000 })}` }),
        tooLong,
      );
      expectRefusedToken(await write({ authorization: `Bearer ${await sign({ exp: now + 86_400 + 120 })}` }), tooLong);
      expectRefusedToken(
        await write({ authorization: `Bearer ${await sign({ iat: now - 3600, exp: now + 86_400 - 1800 })}` }),
        tooLong,
      );
      expectRefusedToken(
        await write({ authorization: `Bearer ${await sign({ iat: now + 600, exp: now + 3600 })}` }),
        'The token says it was issued in the future ("iat" claim). Check the issuer\'s clock.',
      );
      // Within the bounds, and with a clock 30 s ahead (inside the 60 s skew): accepted.
      for (const claims of [{ iat: now, exp: now + 86_400 }, { exp: now + 3600 }, { iat: now + 30, exp: now + 3600 }]) {
        const response = await t.query(
          '{ plans { totalCount } }',
          {},
          { authorization: `Bearer ${await sign(claims)}` },
        );
        expect(response.status).toBe(200);
      }
    });

    it('a token without roles, or with only an unknown role, is refused', async () => {
      const jose = await loadJose();
      const key = new TextEncoder().encode(TEST_JWT_SECRET);
      const noRoles = await new jose.SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('nobody')
        .setExpirationTime('1h')
        .sign(key);
      const unknownRole = await new jose.SignJWT({ roles: ['superuser'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('nobody')
        .setExpirationTime('1h')
        .sign(key);
      expectRefusedToken(await write({ authorization: `Bearer ${noRoles}` }), NO_ROLE);
      expectRefusedToken(await write({ authorization: `Bearer ${unknownRole}` }), NO_ROLE);
    });

    it('a token without a subject is refused', async () => {
      const jose = await loadJose();
      const token = await new jose.SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
      expectRefusedToken(await write({ authorization: `Bearer ${token}` }), NO_SUBJECT);
    });

    it('an unsigned token (alg none) is refused', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'mallory', roles: ['admin'], iat: now, exp: now + 3600 })}.`;
      expectRefusedToken(await write({ authorization: `Bearer ${token}` }), NOT_VALID);
    });

    it('a bad token is refused for a read too, and nothing was written by the refused writes', async () => {
      expectRefusedToken(
        await t.query('{ plans { totalCount } }', {}, { authorization: 'Bearer abc' }),
        MALFORMED_HEADER,
      );
      const response = await t.query('{ projects(filter: { search: "AUTH-BAD" }) { totalCount } }');
      expect((response.body.data as any).projects.totalCount).toBe(0);
    });
  });
});

describe('issuer and audience', () => {
  const ISSUER = 'https://login.example.gov.vn';
  const AUDIENCE = 'infrastructure-plan-registry';
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ seedOnStart: false, auth: { ...testConfig().auth, issuer: ISSUER, audience: AUDIENCE } });
  });

  afterAll(async () => {
    await t?.stop();
  });

  const read = (token: string) =>
    t.query('{ auditLog(first: 1) { totalCount } }', {}, { authorization: `Bearer ${token}` });

  it('refuses a token without iss and aud', async () => {
    expectRefusedToken(
      await read(await signToken(TEST_JWT_SECRET, { sub: 'a', role: 'admin' })),
      'The token\'s "iss" claim is not accepted here.',
    );
  });

  it('refuses a token with a wrong iss', async () => {
    const token = await signToken(TEST_JWT_SECRET, {
      sub: 'a',
      role: 'admin',
      issuer: 'https://evil.example',
      audience: AUDIENCE,
    });
    expectRefusedToken(await read(token), 'The token\'s "iss" claim is not accepted here.');
  });

  it('refuses a token with the right iss but without or with a wrong aud', async () => {
    expectRefusedToken(
      await read(await signToken(TEST_JWT_SECRET, { sub: 'a', role: 'admin', issuer: ISSUER })),
      'The token\'s "aud" claim is not accepted here.',
    );
    expectRefusedToken(
      await read(
        await signToken(TEST_JWT_SECRET, { sub: 'a', role: 'admin', issuer: ISSUER, audience: 'another-api' }),
      ),
      'The token\'s "aud" claim is not accepted here.',
    );
  });

  it('accepts a token with the right iss and aud', async () => {
    const response = await read(
      await signToken(TEST_JWT_SECRET, { sub: 'a', role: 'admin', issuer: ISSUER, audience: AUDIENCE }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { auditLog: { totalCount: 0 } } });
  });
});

describe('RS256 with a public key, and with a JWKS', () => {
  let jose: Jose;
  let keys: KeyPair;
  let withKey: TestApp;
  let withJwks: TestApp;
  let jwksServer: http.Server;
  let jwksRequests = 0;
  const KID = 'registry-test-key-1';

  const rsToken = (claims: { role: string; sub?: string }, header: Record<string, unknown> = {}) =>
    new jose.SignJWT({ roles: [claims.role] })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header })
      .setSubject(claims.sub ?? 'rs-user')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(keys.privateKey);

  beforeAll(async () => {
    jose = await loadJose();
    keys = await jose.generateKeyPair('RS256', { extractable: true });
    const pem = await jose.exportSPKI(keys.publicKey);
    const jwk = { ...(await jose.exportJWK(keys.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    jwksServer = http.createServer((req, res) => {
      jwksRequests += 1;
      if (req.url !== '/.well-known/jwks.json') {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const port = (jwksServer.address() as AddressInfo).port;
    withKey = await startTestApp({ seedOnStart: false, auth: { ...testConfig().auth, secret: null, publicKey: pem } });
    withJwks = await startTestApp({
      seedOnStart: false,
      auth: { ...testConfig().auth, secret: null, jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` },
    });
  });

  afterAll(async () => {
    await withKey?.stop();
    await withJwks?.stop();
    await new Promise<void>((resolve) => (jwksServer ? jwksServer.close(() => resolve()) : resolve()));
  });

  const read = (t: TestApp, token: string) =>
    t.query('{ auditLog(first: 1) { totalCount } }', {}, { authorization: `Bearer ${token}` });

  it('with JWT_PUBLIC_KEY: accepts an RS256 token signed with the private key, with its role', async () => {
    const admin = await read(withKey, await rsToken({ role: 'admin' }));
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ data: { auditLog: { totalCount: 0 } } });
    const viewer = await read(withKey, await rsToken({ role: 'viewer' }));
    expect(viewer.status).toBe(403);
    expect(viewer.body.errors![0].extensions?.code).toBe('FORBIDDEN');
  });

  it('with JWT_PUBLIC_KEY: refuses an HS256 token, even one signed with the test secret', async () => {
    expectRefusedToken(await read(withKey, await signToken(TEST_JWT_SECRET, { sub: 'a', role: 'admin' })), NOT_VALID);
  });

  it('with JWT_PUBLIC_KEY: refuses an RS256 token signed with another private key', async () => {
    const other = await jose.generateKeyPair('RS256');
    const token = await new jose.SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(other.privateKey);
    expectRefusedToken(await read(withKey, token), NOT_VALID);
  });

  it('with JWT_JWKS_URL: accepts an RS256 token whose kid is in the key set', async () => {
    const response = await read(withJwks, await rsToken({ role: 'admin' }, { kid: KID }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { auditLog: { totalCount: 0 } } });
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('with JWT_JWKS_URL: refuses a token with an unknown kid and an HS256 token', async () => {
    expectRefusedToken(await read(withJwks, await rsToken({ role: 'admin' }, { kid: 'unknown-kid' })), NOT_VALID);
    expectRefusedToken(await read(withJwks, await signToken(TEST_JWT_SECRET, { sub: 'a', role: 'admin' })), NOT_VALID);
  });
});

describe('REQUIRE_AUTH_FOR_READS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ seedOnStart: false, auth: { ...testConfig().auth, requireAuthForReads: true } });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('refuses an anonymous query with 401', async () => {
    const response = await t.query('{ plans { totalCount } }');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errors: [
        {
          message: 'This registry requires a bearer token (Authorization: Bearer <token>).',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it("answers a viewer's query", async () => {
    const response = await t.query('{ plans { totalCount } }', {}, await as('viewer'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { plans: { totalCount: 0 } } });
  });
});
