import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('defaults to port 4000 and the embedded database in .data/pglite', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      databaseUrl: null,
      pgliteDataDir: '.data/pglite',
      nodeEnv: 'development',
      seedOnStart: true,
      auth: { secret: null, publicKey: null, jwksUrl: null, issuer: null, audience: null, rolesClaim: 'roles', requireAuthForReads: false },
      operations: {
        limits: { maxDepth: 12, maxAliases: 30, maxTokens: 5000, maxDirectives: 50, maxCost: 100000, allowBatchedRequests: false },
        statementTimeoutMs: 10000,
        requestTimeoutMs: 15000,
        shutdownTimeoutMs: 10000,
        corsOrigins: '*',
        redisUrl: null,
        logLevel: 'info',
        poolSize: 10,
      },
      oc4idsPrefix: 'oc4ids-xxxxxx-',
    });
  });

  it('reads PORT, DATABASE_URL, PGLITE_DATA_DIR and NODE_ENV', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db:5432/registry', PGLITE_DATA_DIR: 'memory://', NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(config).toMatchObject({ port: 8080, databaseUrl: 'postgres://u@db:5432/registry', pgliteDataDir: 'memory://', nodeEnv: 'production' });
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
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every bad value at once', () => {
    expect(() => loadConfig({ PORT: '-1', NODE_ENV: 'x' })).toThrow(/PORT[\s\S]*NODE_ENV/);
  });
});
