/** Configuration from the environment, checked once at start-up. A bad value stops the process with a clear message. */
export interface Config {
  port: number;
  /** A PostgreSQL URL, or null for the embedded PGlite database. */
  databaseUrl: string | null;
  /** PGlite's data directory, or `memory://` for an in-memory database. */
  pgliteDataDir: string;
  nodeEnv: 'development' | 'production' | 'test';
  /** Seed the plan's data on start when the database holds no plan. */
  seedOnStart: boolean;
  auth: AuthConfig;
  operations: OperationsConfig;
  /**
   * Registered OC4IDS project identifier prefix (OC4IDS_PREFIX), prepended to project codes in OC4IDS ids. The
   * default `oc4ids-xxxxxx-` is a placeholder: register a prefix with the OC4IDS helpdesk before publishing.
   */
  oc4idsPrefix: string;
}

/** Limits on what one request may ask, each configurable (see the README). */
export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Estimated cost: connections multiply their children by `first`/`last` (20 when not given). */
  maxCost: number;
  allowBatchedRequests: boolean;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 12, maxAliases: 30, maxTokens: 5000, maxDirectives: 50, maxCost: 100000, allowBatchedRequests: false };

/** Limits, timeouts and the operational side. */
export interface OperationsConfig {
  limits: Limits;
  /** Longest a single SQL statement may run. */
  statementTimeoutMs: number;
  /** Longest a request may take before it is answered with a timeout. */
  requestTimeoutMs: number;
  /** How long shutdown waits for requests in flight. */
  shutdownTimeoutMs: number;
  /** Origins allowed by CORS: `*` or a list. */
  corsOrigins: '*' | string[];
  /** Redis for the persisted-query cache; null for the in-memory one. */
  redisUrl: string | null;
  logLevel: string;
  /** Connections in the PostgreSQL pool. */
  poolSize: number;
}

/** How bearer tokens are checked. With none of secret, public key or JWKS URL, development signs with a local secret. */
export interface AuthConfig {
  /** HS256 shared secret (JWT_SECRET), at least 32 characters. */
  secret: string | null;
  /** RS256 public key in PEM (JWT_PUBLIC_KEY). */
  publicKey: string | null;
  /** URL of a JSON Web Key Set for RS256 (JWT_JWKS_URL). */
  jwksUrl: string | null;
  issuer: string | null;
  audience: string | null;
  /** The claim holding the roles: a string or an array of strings. */
  rolesClaim: string;
  /** Close reads to callers without a valid token. */
  requireAuthForReads: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];

  const portText = env.PORT ?? '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535, got "${portText}"`);
  }

  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl !== null) {
    let ok = false;
    try {
      const url = new URL(databaseUrl);
      ok = url.protocol === 'postgres:' || url.protocol === 'postgresql:';
    } catch {
      ok = false;
    }
    if (!ok) problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)');
  }

  const pgliteDataDir = env.PGLITE_DATA_DIR?.trim() || '.data/pglite';

  const nodeEnvText = env.NODE_ENV?.trim() || 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvText)) {
    problems.push(`NODE_ENV must be development, production or test, got "${nodeEnvText}"`);
  }

  const seedText = (env.SEED_ON_START ?? 'true').trim().toLowerCase();
  if (!['true', 'false', '1', '0'].includes(seedText)) {
    problems.push(`SEED_ON_START must be true or false, got "${env.SEED_ON_START}"`);
  }

  const secret = env.JWT_SECRET?.length ? env.JWT_SECRET : null;
  if (secret !== null && secret.length < 32) problems.push('JWT_SECRET must be at least 32 characters long');
  const publicKey = env.JWT_PUBLIC_KEY?.trim() || null;
  if (publicKey !== null && !publicKey.includes('BEGIN PUBLIC KEY')) problems.push('JWT_PUBLIC_KEY must be a PEM public key ("-----BEGIN PUBLIC KEY-----")');
  const jwksUrl = env.JWT_JWKS_URL?.trim() || null;
  if (jwksUrl !== null && !/^https?:\/\//.test(jwksUrl)) problems.push('JWT_JWKS_URL must be an http(s) URL');
  const requireReadsText = (env.REQUIRE_AUTH_FOR_READS ?? 'false').trim().toLowerCase();
  if (!['true', 'false', '1', '0'].includes(requireReadsText)) problems.push(`REQUIRE_AUTH_FOR_READS must be true or false, got "${env.REQUIRE_AUTH_FOR_READS}"`);
  if (nodeEnvText === 'production' && !secret && !publicKey && !jwksUrl) {
    problems.push('In production set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: tokens cannot be checked without a key');
  }

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const text = env[name]?.trim().toLowerCase();
    if (text === undefined || text === '') return fallback;
    if (!['true', 'false', '1', '0'].includes(text)) problems.push(`${name} must be true or false, got "${env[name]}"`);
    return text === 'true' || text === '1';
  };
  const limits: Limits = {
    maxDepth: integer('MAX_QUERY_DEPTH', DEFAULT_LIMITS.maxDepth, 2, 100),
    maxAliases: integer('MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 1, 10000),
    maxTokens: integer('MAX_TOKENS', DEFAULT_LIMITS.maxTokens, 100, 1000000),
    maxDirectives: integer('MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives, 1, 10000),
    maxCost: integer('MAX_QUERY_COST', DEFAULT_LIMITS.maxCost, 10, 100000000),
    allowBatchedRequests: flag('ALLOW_BATCHED_REQUESTS', DEFAULT_LIMITS.allowBatchedRequests),
  };
  const corsText = env.CORS_ORIGINS?.trim() || '*';
  const corsOrigins = corsText === '*' ? '*' : corsText.split(',').map((origin) => origin.trim()).filter(Boolean);
  if (corsOrigins !== '*' && corsOrigins.some((origin) => !/^https?:\/\/[^/\s]+$/.test(origin))) {
    problems.push('CORS_ORIGINS must be * or a comma-separated list of origins such as https://portal.example.org');
  }
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }
  const operations: OperationsConfig = {
    limits,
    statementTimeoutMs: integer('STATEMENT_TIMEOUT_MS', 10000, 100, 3600000),
    requestTimeoutMs: integer('REQUEST_TIMEOUT_MS', 15000, 100, 3600000),
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    corsOrigins,
    redisUrl,
    logLevel,
    poolSize: integer('DATABASE_POOL_SIZE', 10, 1, 500),
  };

  const oc4idsPrefix = env.OC4IDS_PREFIX?.trim() || 'oc4ids-xxxxxx-';
  if (oc4idsPrefix.length > 100 || !oc4idsPrefix.endsWith('-') || /\s/.test(oc4idsPrefix)) {
    problems.push(`OC4IDS_PREFIX must be 1 to 100 characters without spaces ending with "-", e.g. oc4ids-bu3kcz-; got "${oc4idsPrefix}"`);
  }

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    port,
    databaseUrl,
    pgliteDataDir,
    nodeEnv: nodeEnvText as Config['nodeEnv'],
    seedOnStart: seedText === 'true' || seedText === '1',
    auth: {
      secret,
      publicKey,
      jwksUrl,
      issuer: env.JWT_ISSUER?.trim() || null,
      audience: env.JWT_AUDIENCE?.trim() || null,
      rolesClaim: env.JWT_ROLES_CLAIM?.trim() || 'roles',
      requireAuthForReads: requireReadsText === 'true' || requireReadsText === '1',
    },
    operations,
    oc4idsPrefix,
  };
}
