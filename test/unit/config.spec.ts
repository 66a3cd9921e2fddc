import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppConfig, ConfigError, loadConfig, OPTIONAL_SETTINGS } from '../../src/config/config.js';
import { projectRoot } from '../../src/config/paths.js';

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

  // Every setting that can be wrong, with the exact line an operator sees (written out here, not read from the code).
  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer between 0 and 65535 (got "abc")'],
    [
      { EMBEDDED_PG_SETTINGS: 'shared_buffers 2GB' },
      'EMBEDDED_PG_SETTINGS must be name=value pairs separated by spaces or commas, e.g. "shared_buffers=2GB work_mem=16MB" (got "shared_buffers 2GB")',
    ],
    [{ PORT: '70000' }, 'PORT must be an integer between 0 and 65535 (got "70000")'],
    [{ HOST: 'my host' }, 'HOST must be an IP address or a host name (got "my host")'],
    [{ EMBEDDED_PG_PORT: '5432' }, 'EMBEDDED_PG_PORT must not be 5432, where a system PostgreSQL may already run (got "5432")'],
    [{ EMBEDDED_PG_PORT: '80' }, 'EMBEDDED_PG_PORT must be an integer between 1024 and 65535 (got "80")'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// connection URL (got "mysql://x")'],
    [
      { DATABASE_URL: 'postgres://db/x', DATABASE_REPLICA_URLS: 'postgres://r1/x,mysql://r2/x' },
      'DATABASE_REPLICA_URLS must be a comma-separated list of postgres:// connection URLs (got "postgres://r1/x,mysql://r2/x")',
    ],
    [{ DATABASE_REPLICA_URLS: 'postgres://r1/x' }, 'DATABASE_REPLICA_URLS needs DATABASE_URL, the primary they replicate (the embedded PostgreSQL has no replicas)'],
    [{ MIGRATIONS_RUN: 'sometimes' }, 'MIGRATIONS_RUN must be true or false (got "sometimes")'],
    [{ SEED_ON_START: 'yes' }, 'SEED_ON_START must be true or false (got "yes")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose (got "loud")'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE must be an integer between 1 and 100 (got "0")'],
    [{ DATABASE_POOL_SIZE: '101' }, 'DATABASE_POOL_SIZE must be an integer between 1 and 100 (got "101")'],
    [{ DATABASE_STATEMENT_TIMEOUT_MS: '-1' }, 'DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds (0 for none) (got "-1")'],
    [{ DATABASE_STATEMENT_TIMEOUT_MS: '1.5' }, 'DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds (0 for none) (got "1.5")'],
    [{ SHUTDOWN_DRAIN_MS: 'soon' }, 'SHUTDOWN_DRAIN_MS must be a whole number of milliseconds (got "soon")'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE must be a positive integer (got "0")'],
    [
      { TRUST_PROXY: 'maybe' },
      'TRUST_PROXY must be false, the number of proxies in front of the service (1 to 99), or a comma-separated list of their addresses or ranges (10.0.0.0/8,loopback) (got "maybe")',
    ],
    [
      { TRUST_PROXY: 'true' },
      'TRUST_PROXY=true would let any client choose its own address through X-Forwarded-For: give the number of proxies in front of the service (1) or their addresses (10.0.0.0/8,loopback) (got "true")',
    ],
    [{ REQUEST_TIMEOUT_MS: '500' }, 'REQUEST_TIMEOUT_MS must be a whole number of milliseconds, 1000 or more (got "500")'],
    [{ RESPONSE_CACHE: 'on' }, 'RESPONSE_CACHE must be true or false (got "on")'],
    [{ RESPONSE_CACHE_MAX_ENTRIES: '0' }, 'RESPONSE_CACHE_MAX_ENTRIES must be a positive integer (got "0")'],
    [{ RESPONSE_CACHE_MAX_MB: 'lots' }, 'RESPONSE_CACHE_MAX_MB must be a positive integer (got "lots")'],
    [{ RESPONSE_CACHE_REFILL: '-1' }, 'RESPONSE_CACHE_REFILL must be a whole number, 0 or more (got "-1")'],
    [{ CORS_ORIGINS: 'example.com' }, 'CORS_ORIGINS must be * or a comma-separated list of http(s) origins (got "example.com")'],
    [{ SYNC_CRON: 'every hour', SYNC_SOURCE: '/tmp/batch.json' }, 'SYNC_CRON must be a cron expression such as "0 */15 * * * *" (seconds optional) (got "every hour")'],
    [{ SYNC_CRON: '0 * * * *' }, 'SYNC_CRON and SYNC_SOURCE must be set together (got only SYNC_CRON)'],
    [{ SYNC_SOURCE: '/tmp/batch.json' }, 'SYNC_CRON and SYNC_SOURCE must be set together (got only SYNC_SOURCE)'],
  ])('stops with one line naming the setting for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(`Invalid configuration: ${message}`));
  });

  it.each(['127.0.0.1', '::1', '::', 'api.internal', 'localhost'])('takes %s as HOST', (host) => {
    expect(loadConfig({ HOST: host }).HOST).toBe(host);
  });

  it('lists every setting in the README, with its default', () => {
    const rows = new Map(
      [...readFileSync(path.join(projectRoot, 'README.md'), 'utf8').matchAll(/^\| `([A-Z_]+)` +\| ([^|]+?) +\|/gm)].map(([, name, fallback]) => [name, fallback]),
    );
    const settings = Object.keys(new AppConfig()).concat(OPTIONAL_SETTINGS);
    expect(settings.filter((name) => !rows.has(name))).toEqual([]);
    const defaults = loadConfig({}) as unknown as Record<string, unknown>;
    for (const name of Object.keys(new AppConfig())) expect([name, rows.get(name)]).toEqual([name, `\`${String(defaults[name])}\``]);
    expect(loadConfig({ METRICS_TOKEN: 'x'.repeat(16), METRICS_PORT: '9464', REDIS_URL: 'redis://cache:6379/2' })).toMatchObject({
      METRICS_PORT: 9464,
      METRICS_HOST: '127.0.0.1',
      REDIS_KEY_PREFIX: 'regional-finance:',
    });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN must be 16 to 200 printable ASCII characters');
    expect(() => loadConfig({ REDIS_URL: 'http://cache' })).toThrow('REDIS_URL must be a redis:// or rediss:// URL');
  });
});
