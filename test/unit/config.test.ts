import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('defaults to port 4000 and the embedded database in .data/pglite', () => {
    expect(loadConfig({})).toEqual({ port: 4000, databaseUrl: null, pgliteDataDir: '.data/pglite', nodeEnv: 'development', seedOnStart: true });
  });

  it('reads PORT, DATABASE_URL, PGLITE_DATA_DIR and NODE_ENV', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db:5432/registry', PGLITE_DATA_DIR: 'memory://', NODE_ENV: 'production' });
    expect(config).toMatchObject({ port: 8080, databaseUrl: 'postgres://u@db:5432/registry', pgliteDataDir: 'memory://', nodeEnv: 'production' });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL must be a postgres/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV must be development, production or test/],
    [{ SEED_ON_START: 'maybe' }, /SEED_ON_START must be true or false/],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every bad value at once', () => {
    expect(() => loadConfig({ PORT: '-1', NODE_ENV: 'x' })).toThrow(/PORT[\s\S]*NODE_ENV/);
  });
});
