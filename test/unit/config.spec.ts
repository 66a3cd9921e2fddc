import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', EMBEDDED_PG_DATA_DIR: '.data/postgres', MIGRATIONS_RUN: true, SEED_ON_START: true, DATABASE_POOL_SIZE: 10 });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.EMBEDDED_PG_PORT).toBeUndefined();
  });

  it('reads typed values from the environment', () => {
    const config = loadConfig({ PORT: '8080', MIGRATIONS_RUN: 'false', SEED_ON_START: '0', EMBEDDED_PG_PORT: '54329', DATABASE_URL: 'postgres://u:p@db:5432/x' });
    expect(config).toMatchObject({ PORT: 8080, MIGRATIONS_RUN: false, SEED_ON_START: false, EMBEDDED_PG_PORT: 54329, DATABASE_URL: 'postgres://u:p@db:5432/x' });
  });

  it('reads a list of read replicas', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/x', DATABASE_REPLICA_URLS: 'postgres://r1/x,postgresql://r2:5433/x' });
    expect(config.DATABASE_REPLICA_URLS?.split(',')).toEqual(['postgres://r1/x', 'postgresql://r2:5433/x']);
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '' });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be an integer.*\(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT/],
    [{ EMBEDDED_PG_PORT: '5432' }, /EMBEDDED_PG_PORT must not be 5432/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres:\/\/ connection URL/],
    [{ MIGRATIONS_RUN: 'sometimes' }, /MIGRATIONS_RUN must be true or false/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE/],
    [{ SYNC_CRON: 'every hour', SYNC_SOURCE: '/tmp/batch.json' }, /SYNC_CRON must be a cron expression/],
    [{ SYNC_CRON: '0 * * * *' }, /SYNC_CRON and SYNC_SOURCE must be set together/],
    [{ DATABASE_URL: 'postgres://db/x', DATABASE_REPLICA_URLS: 'postgres://r1/x,mysql://r2/x' }, /DATABASE_REPLICA_URLS must be a comma-separated list of postgres:\/\/ connection URLs/],
    [{ DATABASE_REPLICA_URLS: 'postgres://r1/x' }, /DATABASE_REPLICA_URLS needs DATABASE_URL/],
  ])('stops with one line naming the setting for %j', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
