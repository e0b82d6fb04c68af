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

/**
 * Limits on what one request may ask, each configurable (see the README's "Security and limits"). The document's
 * shape is measured as it executes (fragments inlined, fields merged); input is measured as it is parsed, before
 * any SQL runs.
 */
export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Estimated cost: connections multiply their children by `first`/`last` (20 when not given). */
  maxCost: number;
  allowBatchedRequests: boolean;
  /** Largest request body. */
  maxBodyBytes: number;
  /** Deepest nesting of JSON in a request body (variables, an OC4IDS package) and of braces in a document. */
  maxJsonDepth: number;
  /** Deepest nesting of `and`/`or`/`not` in a project filter. */
  maxFilterDepth: number;
  /** Most values in one list of a filter (statuses, codes, `or` branches). */
  maxFilterValues: number;
  /** Most terms in a whole filter: list values, search words and other conditions, at every depth. */
  maxFilterTerms: number;
  /** Longest search text, in characters. */
  maxSearchLength: number;
  /** Most words in one search. */
  maxSearchWords: number;
  /** Most IDs `nodes(ids:)` takes. */
  maxNodeIds: number;
  /** Most items in any other list argument or input list. */
  maxListItems: number;
  /** Most values in all the arguments of one request together. */
  maxInputValues: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 5000,
  maxDirectives: 50,
  maxCost: 100000,
  allowBatchedRequests: false,
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 32,
  maxFilterDepth: 5,
  maxFilterValues: 100,
  maxFilterTerms: 200,
  maxSearchLength: 200,
  maxSearchWords: 32,
  maxNodeIds: 100,
  maxListItems: 1000,
  maxInputValues: 10000,
};

/** Memory that callers can fill, bounded in bytes (estimated). */
export interface CacheLimits {
  /** Parsed and validated documents (Apollo's document store). */
  documentBytes: number;
  /** Compiled execution plans (graphql-jit), estimated from their generated code. */
  compiledPlanBytes: number;
  /** Automatic persisted queries kept in memory (without Redis). */
  persistedQueryBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = {
  documentBytes: 32 * 1024 * 1024,
  compiledPlanBytes: 64 * 1024 * 1024,
  persistedQueryBytes: 16 * 1024 * 1024,
};

/** What `Idempotency-Key` stores, and for how long. */
export interface IdempotencyConfig {
  /** How long a key answers repeats of its request. */
  windowHours: number;
  /** Keys one caller may hold within the window. */
  maxKeysPerCaller: number;
  /** Largest answer stored for replay; a larger one is answered but not stored. */
  maxResponseBytes: number;
}

export const DEFAULT_IDEMPOTENCY: IdempotencyConfig = {
  windowHours: 24,
  maxKeysPerCaller: 1000,
  maxResponseBytes: 256 * 1024,
};

/** Limits, timeouts and the operational side. */
export interface OperationsConfig {
  limits: Limits;
  caches: CacheLimits;
  idempotency: IdempotencyConfig;
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
  /** The address the registry is published at (links in OC4IDS packages); null: the request's own host. */
  publicUrl: string | null;
  /** Trust `X-Forwarded-Host`/`X-Forwarded-Proto` (only behind a proxy that sets them). */
  trustProxy: boolean;
  /** Operation names `/metrics` labels by name (others are counted as `other`). */
  metricsOperations: string[];
  /** A separate port for `/metrics` (then not served on the API port); null: on the API port. */
  metricsPort: number | null;
  /** A bearer token `/metrics` requires; null: open (in production, only on `metricsPort`). */
  metricsToken: string | null;
  /** Whether the schema may be introspected. */
  introspection: boolean;
}

/** How bearer tokens are checked. With none of secret, public key or JWKS URL, development signs with a local secret.
 * */
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
  /** Longest lifetime a token may have (`exp` − `iat`, or `exp` − now without `iat`). */
  maxTokenTtlSeconds: number;
  /** Tolerated difference between the issuer's clock and ours. */
  clockSkewSeconds: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Operation names the registry's own clients send (README examples, the benchmark): labelled in `/metrics`. */
export const DEFAULT_METRICS_OPERATIONS = [
  'PlanSection',
  'ProjectFunding',
  'DepartmentSuccession',
  'RailAndRoadOverOneTrillion',
  'PlanTree',
  'PortfolioPage',
  'FundingCompare',
  'ProjectNode',
  'StatusChange',
];

/** `24h`, `90m`, `3600s` or seconds. */
function durationSeconds(text: string): number | null {
  const match = /^(\d{1,9})\s*(s|m|h|d)?$/.exec(text);
  if (!match) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
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
    if (!ok)
      problems.push(
        'DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)',
      );
  }

  const pgliteDataDir = env.PGLITE_DATA_DIR?.trim() || '.data/pglite';

  const nodeEnvText = env.NODE_ENV?.trim() || 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvText)) {
    problems.push(`NODE_ENV must be development, production or test, got "${nodeEnvText}"`);
  }
  const production = nodeEnvText === 'production';

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
    if (!['true', 'false', '1', '0', 'on', 'off'].includes(text))
      problems.push(`${name} must be true or false, got "${env[name]}"`);
    return text === 'true' || text === '1' || text === 'on';
  };
  const megabytes = (name: string, fallbackBytes: number, max: number): number =>
    integer(name, Math.round(fallbackBytes / (1024 * 1024)), 1, max) * 1024 * 1024;
  const duration = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return fallback;
    const seconds = durationSeconds(text);
    if (seconds === null || seconds < min || seconds > max) {
      problems.push(
        `${name} must be a duration such as 3600, 90m, 24h or 7d, from ${min} s to ${max} s, got "${text}"`,
      );
      return fallback;
    }
    return seconds;
  };

  const seedOnStart = flag('SEED_ON_START', true);

  const secret = env.JWT_SECRET?.length ? env.JWT_SECRET : null;
  if (secret !== null && secret.length < 32) problems.push('JWT_SECRET must be at least 32 characters long');
  const publicKey = env.JWT_PUBLIC_KEY?.trim() || null;
  if (publicKey !== null && !publicKey.includes('BEGIN PUBLIC KEY'))
    problems.push('JWT_PUBLIC_KEY must be a PEM public key ("-----BEGIN PUBLIC KEY-----")');
  const jwksUrl = env.JWT_JWKS_URL?.trim() || null;
  if (jwksUrl !== null && !/^https?:\/\//.test(jwksUrl)) problems.push('JWT_JWKS_URL must be an http(s) URL');
  const requireAuthForReads = flag('REQUIRE_AUTH_FOR_READS', false);
  if (production && !secret && !publicKey && !jwksUrl) {
    problems.push(
      'In production set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: tokens cannot be checked without a key',
    );
  }

  const limits: Limits = {
    maxDepth: integer('MAX_QUERY_DEPTH', DEFAULT_LIMITS.maxDepth, 2, 100),
    maxAliases: integer('MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 1, 10000),
    maxTokens: integer('MAX_TOKENS', DEFAULT_LIMITS.maxTokens, 100, 1000000),
    maxDirectives: integer('MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives, 1, 10000),
    maxCost: integer('MAX_QUERY_COST', DEFAULT_LIMITS.maxCost, 10, 100000000),
    allowBatchedRequests: flag('ALLOW_BATCHED_REQUESTS', DEFAULT_LIMITS.allowBatchedRequests),
    maxBodyBytes: integer('MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1024, 64 * 1024 * 1024),
    maxJsonDepth: integer('MAX_JSON_DEPTH', DEFAULT_LIMITS.maxJsonDepth, 8, 1000),
    maxFilterDepth: integer('MAX_FILTER_DEPTH', DEFAULT_LIMITS.maxFilterDepth, 1, 20),
    maxFilterValues: integer('MAX_FILTER_VALUES', DEFAULT_LIMITS.maxFilterValues, 1, 10000),
    maxFilterTerms: integer('MAX_FILTER_TERMS', DEFAULT_LIMITS.maxFilterTerms, 1, 10000),
    maxSearchLength: integer('MAX_SEARCH_LENGTH', DEFAULT_LIMITS.maxSearchLength, 1, 10000),
    maxSearchWords: integer('MAX_SEARCH_WORDS', DEFAULT_LIMITS.maxSearchWords, 1, 1000),
    maxNodeIds: integer('MAX_NODE_IDS', DEFAULT_LIMITS.maxNodeIds, 1, 10000),
    maxListItems: integer('MAX_LIST_ITEMS', DEFAULT_LIMITS.maxListItems, 1, 100000),
    maxInputValues: integer('MAX_INPUT_VALUES', DEFAULT_LIMITS.maxInputValues, 1, 1000000),
  };
  const caches: CacheLimits = {
    documentBytes: megabytes('DOCUMENT_CACHE_MB', DEFAULT_CACHE_LIMITS.documentBytes, 4096),
    compiledPlanBytes: megabytes('PLAN_CACHE_MB', DEFAULT_CACHE_LIMITS.compiledPlanBytes, 4096),
    persistedQueryBytes: megabytes('PERSISTED_QUERY_CACHE_MB', DEFAULT_CACHE_LIMITS.persistedQueryBytes, 4096),
  };
  const idempotency: IdempotencyConfig = {
    windowHours: integer('IDEMPOTENCY_WINDOW_HOURS', DEFAULT_IDEMPOTENCY.windowHours, 1, 24 * 30),
    maxKeysPerCaller: integer('IDEMPOTENCY_MAX_KEYS', DEFAULT_IDEMPOTENCY.maxKeysPerCaller, 1, 1000000),
    maxResponseBytes: integer(
      'IDEMPOTENCY_MAX_RESPONSE_BYTES',
      DEFAULT_IDEMPOTENCY.maxResponseBytes,
      1024,
      64 * 1024 * 1024,
    ),
  };

  const corsText = env.CORS_ORIGINS?.trim() || '*';
  const corsOrigins =
    corsText === '*'
      ? '*'
      : corsText
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean);
  if (corsOrigins !== '*' && corsOrigins.some((origin) => !/^https?:\/\/[^/\s]+$/.test(origin))) {
    problems.push('CORS_ORIGINS must be * or a comma-separated list of origins such as https://portal.example.org');
  }
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl))
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }
  let publicUrl = env.PUBLIC_URL?.trim() || null;
  if (publicUrl !== null) {
    try {
      const url = new URL(publicUrl);
      if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username)
        throw new Error('not a base URL');
      publicUrl = url.href.replace(/\/$/, '');
    } catch {
      problems.push(
        `PUBLIC_URL must be an http(s) URL without query or credentials, such as https://registry.example.org, got "${publicUrl}"`,
      );
      publicUrl = null;
    }
  }
  const metricsOperationsText = env.METRICS_OPERATIONS?.trim();
  const metricsOperations = metricsOperationsText
    ? metricsOperationsText
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : DEFAULT_METRICS_OPERATIONS;
  if (
    metricsOperations.length > 1000 ||
    metricsOperations.some((name) => !/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name))
  ) {
    problems.push('METRICS_OPERATIONS must be at most 1000 comma-separated GraphQL operation names');
  }
  const metricsPortText = env.METRICS_PORT?.trim();
  const metricsPort = metricsPortText ? integer('METRICS_PORT', 0, 1, 65535) : null;
  const metricsToken = env.METRICS_TOKEN?.length ? env.METRICS_TOKEN : null;
  if (metricsToken !== null && (metricsToken.length < 16 || !/^[\x21-\x7e]+$/.test(metricsToken))) {
    problems.push('METRICS_TOKEN must be at least 16 visible ASCII characters');
  }

  const operations: OperationsConfig = {
    limits,
    caches,
    idempotency,
    statementTimeoutMs: integer('STATEMENT_TIMEOUT_MS', 10000, 100, 3600000),
    requestTimeoutMs: integer('REQUEST_TIMEOUT_MS', 15000, 100, 3600000),
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    corsOrigins,
    redisUrl,
    logLevel,
    poolSize: integer('DATABASE_POOL_SIZE', 10, 1, 500),
    publicUrl,
    trustProxy: flag('TRUST_PROXY', false),
    metricsOperations,
    metricsPort,
    metricsToken,
    introspection: flag('INTROSPECTION', true),
  };

  const oc4idsPrefix = env.OC4IDS_PREFIX?.trim() || 'oc4ids-xxxxxx-';
  if (oc4idsPrefix.length > 100 || !oc4idsPrefix.endsWith('-') || /\s/.test(oc4idsPrefix)) {
    problems.push(
      `OC4IDS_PREFIX must be 1 to 100 characters without spaces ending with "-", e.g. oc4ids-bu3kcz-; got "${oc4idsPrefix}"`,
    );
  }

  const auth: AuthConfig = {
    secret,
    publicKey,
    jwksUrl,
    issuer: env.JWT_ISSUER?.trim() || null,
    audience: env.JWT_AUDIENCE?.trim() || null,
    rolesClaim: env.JWT_ROLES_CLAIM?.trim() || 'roles',
    requireAuthForReads,
    maxTokenTtlSeconds: duration('JWT_MAX_TTL', 24 * 3600, 60, 366 * 24 * 3600),
    clockSkewSeconds: duration('JWT_CLOCK_SKEW', 60, 0, 3600),
  };

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    port,
    databaseUrl,
    pgliteDataDir,
    nodeEnv: nodeEnvText as Config['nodeEnv'],
    seedOnStart,
    auth,
    operations,
    oc4idsPrefix,
  };
}
