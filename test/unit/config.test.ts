import { ConfigError, DEFAULT_LIMITS, DEFAULT_METRICS_OPERATIONS, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('defaults to port 4000 and the embedded database in .data/pglite', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      databaseUrl: null,
      pgliteDataDir: '.data/pglite',
      nodeEnv: 'development',
      seedOnStart: true,
      auth: {
        secret: null,
        publicKey: null,
        jwksUrl: null,
        issuer: null,
        audience: null,
        rolesClaim: 'roles',
        requireAuthForReads: false,
        maxTokenTtlSeconds: 86400,
        clockSkewSeconds: 60,
      },
      operations: {
        limits: DEFAULT_LIMITS,
        caches: {
          documentBytes: 32 * 1024 * 1024,
          compiledPlanBytes: 64 * 1024 * 1024,
          persistedQueryBytes: 16 * 1024 * 1024,
        },
        idempotency: { windowHours: 24, maxKeysPerCaller: 1000, maxResponseBytes: 256 * 1024 },
        statementTimeoutMs: 10000,
        requestTimeoutMs: 15000,
        shutdownTimeoutMs: 10000,
        corsOrigins: '*',
        redisUrl: null,
        logLevel: 'info',
        poolSize: 10,
        publicUrl: null,
        trustProxy: false,
        metricsOperations: DEFAULT_METRICS_OPERATIONS,
        metricsPort: null,
        metricsToken: null,
        introspection: true,
      },
      oc4idsPrefix: 'oc4ids-xxxxxx-',
    });
    expect(DEFAULT_LIMITS.maxDepth).toBe(12);
  });

  it('reads the bounds of tokens, caches and idempotency keys, and the public address', () => {
    const config = loadConfig({
      JWT_MAX_TTL: '8h',
      JWT_CLOCK_SKEW: '5',
      PLAN_CACHE_MB: '16',
      IDEMPOTENCY_MAX_KEYS: '20',
      PUBLIC_URL: 'https://registry.example.org/',
      TRUST_PROXY: 'true',
      METRICS_PORT: '9464',
      METRICS_OPERATIONS: 'A,B',
      INTROSPECTION: 'off',
      MAX_FILTER_TERMS: '50',
    });
    expect(config.auth).toMatchObject({ maxTokenTtlSeconds: 8 * 3600, clockSkewSeconds: 5 });
    expect(config.operations).toMatchObject({
      caches: { compiledPlanBytes: 16 * 1024 * 1024 },
      idempotency: { maxKeysPerCaller: 20 },
      publicUrl: 'https://registry.example.org',
      trustProxy: true,
      metricsPort: 9464,
      metricsOperations: ['A', 'B'],
      introspection: false,
      limits: { maxFilterTerms: 50 },
    });
  });

  it('reads PORT, DATABASE_URL, PGLITE_DATA_DIR and NODE_ENV', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/registry',
      PGLITE_DATA_DIR: 'memory://',
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u@db:5432/registry',
      pgliteDataDir: 'memory://',
      nodeEnv: 'production',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL must be a postgres/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV must be development, production or test/],
    [{ SEED_ON_START: 'maybe' }, /SEED_ON_START must be true or false/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
    [{ JWT_PUBLIC_KEY: 'not a key' }, /JWT_PUBLIC_KEY must be a PEM public key/],
    [{ JWT_JWKS_URL: 'ftp://keys' }, /JWT_JWKS_URL must be an http/],
    [{ REQUIRE_AUTH_FOR_READS: 'yes please' }, /REQUIRE_AUTH_FOR_READS must be true or false/],
    [{ NODE_ENV: 'production' }, /In production set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL/],
    [{ MAX_QUERY_DEPTH: '1' }, /MAX_QUERY_DEPTH must be a whole number from 2 to 100/],
    [{ MAX_QUERY_COST: 'lots' }, /MAX_QUERY_COST must be a whole number/],
    [{ STATEMENT_TIMEOUT_MS: '-5' }, /STATEMENT_TIMEOUT_MS must be a whole number/],
    [{ ALLOW_BATCHED_REQUESTS: 'sometimes' }, /ALLOW_BATCHED_REQUESTS must be true or false/],
    [{ CORS_ORIGINS: 'portal.example.org' }, /CORS_ORIGINS must be \* or a comma-separated list of origins/],
    [{ REDIS_URL: 'http://cache' }, /REDIS_URL must be a redis:\/\//],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ JWT_MAX_TTL: 'forever' }, /JWT_MAX_TTL must be a duration/],
    [{ PUBLIC_URL: 'registry.example.org' }, /PUBLIC_URL must be an http\(s\) URL/],
    [{ PUBLIC_URL: 'https://x.org/?a=1' }, /PUBLIC_URL must be an http\(s\) URL/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be at least 16/],
    [{ MAX_FILTER_TERMS: '0' }, /MAX_FILTER_TERMS must be a whole number from 1/],
    [{ PLAN_CACHE_MB: '-1' }, /PLAN_CACHE_MB must be a whole number/],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every bad value at once', () => {
    expect(() => loadConfig({ PORT: '-1', NODE_ENV: 'x' })).toThrow(/PORT[\s\S]*NODE_ENV/);
  });
});
