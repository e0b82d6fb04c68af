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

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    port,
    databaseUrl,
    pgliteDataDir,
    nodeEnv: nodeEnvText as Config['nodeEnv'],
    seedOnStart: seedText === 'true' || seedText === '1',
  };
}
