import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { startEmbeddedPostgres, type EmbeddedServerHandle } from '../../src/database/embedded-postgres.js';
import { createApiKey } from '../support/api-keys.js';
import { dailyVisitedRows } from '../support/synthetic-rows.js';
import { expectProblem } from '../support/problem.js';
import { startMain, type RunningApp } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// From 1900: even 50,000 days end before the seeded figures, and 20,000 before 2000.
const batch = (rows: number, printed: number) => ({ observations: dailyVisitedRows(rows, '1900-01-01', () => printed, 'fault test') });

describe('a statement that runs too long', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('timeout', { DATABASE_STATEMENT_TIMEOUT_MS: '300', RESPONSE_CACHE: 'false' })));
  afterAll(() => t.close());

  it('is cancelled at the timeout and answered 503 problem+json with Retry-After, then reads work again', async () => {
    const locker = new pg.Client({ connectionString: t.database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE regions IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const blocked = await request(t.http).get('/v1/regions/330000');
      expect(Date.now() - started).toBeLessThan(3000);
      const body = expectProblem(blocked, 503);
      expect(body.detail).toContain('Retry-After');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await request(t.http).get('/v1/regions/330000').expect(200);
  });
});

describe('the database going away under load', () => {
  let dir: string;
  let server: EmbeddedServerHandle;
  let app: RunningApp;
  let url: string;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-outage-'));
    chmodSync(dir, 0o755);
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata') });
    port = server.port;
    url = server.url('postgres');
    app = await startMain({ DATABASE_URL: url, RESPONSE_CACHE: 'false', RATE_LIMIT_PER_MINUTE: '1000000', DATABASE_POOL_SIZE: '4' });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const dump = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(`SELECT id, value, as_of::text FROM observations ORDER BY id`)).rows;
    } finally {
      await client.end();
    }
  };

  it('answers 503 (never 500, never a hang) while it is down, and recovers within seconds once it is back; an in-flight batch applies whole or not at all', async () => {
    const key = await createApiKey(url, 'outage');
    const before = await dump();
    const statuses = new Map<number, number>();
    let slowest = 0;
    let stop = false;
    const worker = async () => {
      const paths = ['/v1/regions/330000/profile', '/v1/compare?regions=330000,320000', '/v1/observations?pageSize=20', '/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province'];
      for (let i = 0; !stop; i++) {
        const started = Date.now();
        const response = await fetch(`${app.baseUrl}${paths[i % paths.length]}`);
        await response.arrayBuffer();
        slowest = Math.max(slowest, Date.now() - started);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 503) {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        }
      }
    };
    const load = Promise.all([worker(), worker(), worker()]);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // A 20,000-row batch on its way in when the database dies.
    const inFlight = fetch(`${app.baseUrl}/v1/sync/batches`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(batch(20_000, 901)),
    }).then((r) => r.status, () => 0);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const pid = Number(readFileSync(path.join(dir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT'); // immediate shutdown: no checkpoint, connections cut
    await new Promise((resolve) => setTimeout(resolve, 2500));

    const down = await request(app.baseUrl).get('/v1/regions/330000');
    expectProblem(down, 503);
    expect((await request(app.baseUrl).get('/health/ready')).status).toBe(503);
    expect(app.child.exitCode).toBeNull();

    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata'), port });
    const restarted = Date.now();
    let recoveredMs = -1;
    while (Date.now() - restarted < 15_000) {
      const r = await fetch(`${app.baseUrl}/v1/regions/330000/profile`);
      if (r.status === 200) {
        recoveredMs = Date.now() - restarted;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    stop = true;
    await load;
    console.log(`outage test: batch in flight answered ${await inFlight}; statuses ${JSON.stringify(Object.fromEntries(statuses))}, slowest response ${slowest} ms, reads recovered ${recoveredMs} ms after the database restarted`);
    expect(recoveredMs).toBeGreaterThanOrEqual(0);
    expect(recoveredMs).toBeLessThan(10_000);
    expect([...statuses.keys()].every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(10_000);
    await request(app.baseUrl).get('/health/ready').expect(200);

    expect([0, 201, 500, 503]).toContain(await inFlight);
    const after = await dump();
    const written = after.filter((row) => row.as_of < '2000-01-01');
    expect([0, 20_000]).toContain(written.length);
    expect(after.filter((row) => row.as_of >= '2000-01-01')).toEqual(before);
  }, 90_000);
});

describe('the app killed in the middle of a batch', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('crash');
    db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const until = async (what: string, condition: () => Promise<boolean>) => {
    const started = Date.now();
    while (!(await condition())) {
      if (Date.now() - started > 30_000) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const appSessions = async (filter: string) =>
    Number((await db.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'regional-finance-api' AND ${filter}`)).rows[0].count);

  it('leaves the data as it was (kill -9 while the rows are being written), and the batch log shows it never finished', async () => {
    const key = await createApiKey(t.database.url, 'crash');
    const dump = async () => JSON.stringify((await db.query(`SELECT * FROM observations ORDER BY id`)).rows);
    const before = await dump();
    const revisionsBefore = (await db.query(`SELECT count(*) FROM observation_revisions`)).rows[0].count;
    void fetch(`${t.http}/v1/sync/batches`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(batch(50_000, 902)),
    }).catch(() => undefined);
    await until('the batch is writing', async () => (await appSessions(`state = 'active' AND query LIKE 'INSERT INTO observations%'`)) > 0);
    t.process.child.kill('SIGKILL');
    await until('the killed instance’s sessions are gone', async () => (await appSessions('true')) === 0);

    expect(await dump()).toBe(before);
    expect((await db.query(`SELECT count(*) FROM observation_revisions`)).rows[0].count).toBe(revisionsBefore);
    const [log] = (await db.query(`SELECT status, finished_at, row_count FROM sync_batches WHERE api_key_name = 'crash'`)).rows;
    expect(log).toMatchObject({ status: 'running', finished_at: null });
  }, 90_000);
});

describe('graceful shutdown under load', () => {
  it('lets in-flight requests finish, refuses new ones cleanly (no reset), closes the pool and exits 0', async () => {
    const t = await startTestApp('shutdown', { RESPONSE_CACHE: 'false' });
    const db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
    try {
      const { port } = new URL(t.http);
      const outcomes = new Map<string, number>();
      let answeredAfterSignal = 0;
      let signalledAt = 0;
      const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // A fresh connection per request: each is either accepted and answered, or refused at connect.
      const one = () =>
        new Promise<string>((resolve) => {
          const done = (outcome: string) => (count(outcome), resolve(outcome));
          const req = http.get({ host: '127.0.0.1', port, path: '/v1/compare?regions=330000,320000', agent: false, headers: { connection: 'close' } }, (res) => {
            res.resume();
            res.on('end', () => {
              if (signalledAt && res.statusCode === 200) answeredAfterSignal++;
              done(String(res.statusCode));
            });
            res.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
          });
          req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
        });
      const started = Date.now();
      // Clients behave as load balancers do: a 503 or a refused connection means go elsewhere.
      let told = 0;
      const client = async () => {
        while (Date.now() - started < 2500) {
          if (['503', 'ECONNREFUSED'].includes(await one())) return void told++;
        }
      };
      const load = Promise.all(Array.from({ length: 6 }, client));
      await new Promise((resolve) => setTimeout(resolve, 800));
      signalledAt = Date.now();
      const exited = t.process.stop('SIGTERM');
      await load;
      expect(await exited).toBe(0);
      console.log(`graceful shutdown: ${JSON.stringify(Object.fromEntries(outcomes))}, ${answeredAfterSignal} answered 200 after SIGTERM`);
      const unexpected = [...outcomes.keys()].filter((outcome) => !['200', '503', 'ECONNREFUSED'].includes(outcome));
      expect(unexpected).toEqual([]);
      expect(answeredAfterSignal).toBeGreaterThan(0);
      expect(told).toBe(6);
      expect(outcomes.get('503')).toBeGreaterThan(0);
      expect(t.process.output()).toContain('draining requests');
      const sessions = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'regional-finance%'`);
      expect(sessions.rows[0].n).toBe(0);
    } finally {
      await db.end();
      await t.database.drop();
    }
  }, 60_000);
});
