import { existsSync, mkdtempSync, chmodSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { onFreePort } from '../../src/database/embedded-postgres.js';
import { embeddedServerSettings } from '../../src/database/embedded-settings.js';
import { runScript, startMain } from '../support/processes.js';
import { createTestDatabase } from '../support/test-database.js';

// Counted by hand from the five documents (see the README's Data section).
const OBSERVATIONS = 103;

async function count(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

describe('starting the service and its command-line tools', () => {
  it('stops with one line naming a bad setting', async () => {
    const result = await runScript('src/main.js', { PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration: PORT must be an integer between 0 and 65535 (got "eighty")');
  });

  it('with DATABASE_URL: migrates, seeds an empty database once, serves, and exits cleanly on SIGTERM', async () => {
    const database = await createTestDatabase('startup');
    try {
      const first = await startMain({ DATABASE_URL: database.url });
      const response = await fetch(`${first.baseUrl}/v1/observations?pageSize=1`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { meta: { total: number } }).meta.total).toBe(OBSERVATIONS);
      expect(await first.stop()).toBe(0);
      // A short summary a person can read, plain text when the output is not a terminal, and a last line on stopping.
      const output = first.output();
      expect(output).toContain(`Loaded seed data: ${OBSERVATIONS} observations`);
      expect(output).not.toContain('\x1b[');
      expect(output).not.toContain('Mapped {');
      expect(output).toContain(`(API docs at ${first.baseUrl}/docs)`);
      expect(output).toMatch(new RegExp(`Data version \\d+: ${OBSERVATIONS} observations of \\d+ regions, last written \\d{4}-`));
      expect(output.trimEnd().split('\n').at(-1)).toContain('Stopped');

      // A second start finds the data there and neither migrates nor seeds again.
      const second = await startMain({ DATABASE_URL: database.url });
      expect(second.output()).not.toContain('Loaded seed data');
      expect(second.output()).not.toContain('Applied migrations');
      expect(await second.stop('SIGINT')).toBe(0);
      expect(await count(database.url, 'observations')).toBe(OBSERVATIONS);
    } finally {
      await database.drop();
    }
  });

  it('with MIGRATIONS_RUN=false on an empty database: says so and is not ready', async () => {
    const database = await createTestDatabase('nomigrate');
    try {
      const app = await startMain({ DATABASE_URL: database.url, MIGRATIONS_RUN: 'false', SEED_ON_START: 'false' });
      const ready = await fetch(`${app.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await app.stop()).toBe(0);

      const migrate = await runScript('src/cli/migrate.js', { DATABASE_URL: database.url });
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toContain('Applied: InitialSchema');
      const seed = await runScript('src/cli/seed.js', { DATABASE_URL: database.url });
      expect(seed.code).toBe(0);
      expect(seed.stdout).toContain(`observations: ${OBSERVATIONS} created, 0 updated, 0 unchanged`);
      const again = await runScript('src/cli/seed.js', { DATABASE_URL: database.url });
      expect(again.stdout).toContain(`observations: 0 created, 0 updated, ${OBSERVATIONS} unchanged`);
    } finally {
      await database.drop();
    }
  });

  it('without DATABASE_URL: runs its own PostgreSQL, lets the tools attach to it, and stops it on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-embedded-'));
    chmodSync(dir, 0o755);
    const dataDir = path.join(dir, 'postgres');
    try {
      // EMBEDDED_PG_PORT: the server listens where it is told (a port free a moment ago may be taken: then choose again).
      const app = await onFreePort(
        async (port) =>
          Object.assign(await startMain({ EMBEDDED_PG_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port), EMBEDDED_PG_SETTINGS: 'work_mem=12MB' }, 120_000), {
            pgPort: port,
          }),
        (error) => /could not bind|Address already in use|could not create any TCP\/IP sockets/.test(error.message),
      );
      expect(app.output()).toContain('Using the embedded PostgreSQL');
      expect(Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3])).toBe(app.pgPort);
      const regions = await fetch(`${app.baseUrl}/v1/regions/330000`);
      expect(regions.status).toBe(200);

      // The server runs sized from the machine's memory, with EMBEDDED_PG_SETTINGS over that.
      const { password } = JSON.parse(readFileSync(path.join(dir, 'postgres.embedded-credentials.json'), 'utf8')) as { password: string };
      const server = new pg.Client({ connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${app.pgPort}/postgres` });
      await server.connect();
      const setting = async (name: string) => (await server.query<{ setting: string }>(`SELECT current_setting($1) AS setting`, [name])).rows[0].setting;
      const sized = embeddedServerSettings();
      expect([await setting('work_mem'), await setting('shared_buffers'), await setting('shared_preload_libraries')]).toEqual([
        '12MB',
        sized.shared_buffers.replace(/^(\d+)MB$/, (_, mb: string) => (Number(mb) % 1024 === 0 ? `${Number(mb) / 1024}GB` : `${mb}MB`)),
        '',
      ]);
      await server.end();

      // The tools use the server the app already runs rather than starting a second one.
      const seed = await runScript('src/cli/seed.js', { EMBEDDED_PG_DATA_DIR: dataDir });
      expect(seed.stderr).toBe('');
      expect(seed.code).toBe(0);
      expect(seed.stdout).toContain(`observations: 0 created, 0 updated, ${OBSERVATIONS} unchanged`);
      expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(200);

      expect(await app.stop()).toBe(0);
      expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

      // The data stays between runs.
      const again = await startMain({ EMBEDDED_PG_DATA_DIR: dataDir }, 120_000);
      expect(again.output()).not.toContain('Loaded seed data');
      expect(await again.stop()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
