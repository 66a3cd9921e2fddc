import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { SYNC_LOCK } from '../../src/database/locks.js';
import { startEmbeddedPostgres, type EmbeddedServerHandle } from '../../src/database/embedded-postgres.js';
import { createApiKey } from '../support/api-keys.js';
import { dailyVisitedRows } from '../support/synthetic-rows.js';
import { expectProblem } from '../support/problem.js';
import { startMain, type RunningApp } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

// From 1900: even 50,000 days end before the seeded figures, and 20,000 before 2000.
const batch = (rows: number, printed: number) => ({ observations: dailyVisitedRows(rows, '1850-01-01', () => printed, 'fault test') });

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Sessions of the app on this database, as pg_stat_activity shows them to another session. */
const appSessions = async (db: pg.Client, filter: string) =>
  Number(
    (await db.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'regional-finance-api%' AND ${filter}`)).rows[0].count,
  );

describe('statement timeouts', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('timeout', { DATABASE_STATEMENT_TIMEOUT_MS: '300', RESPONSE_CACHE: 'false' });
    db = await connect(t.database.url);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('cancels a read at the timeout and answers 503 problem+json with Retry-After, then reads work again', async () => {
    const locker = await connect(t.database.url);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE regions IN ACCESS EXCLUSIVE MODE');
      const blocked = await request(t.http).get('/v1/regions/330000');
      const body = expectProblem(blocked, 503);
      expect(body.detail).toContain('Retry-After');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await request(t.http).get('/v1/regions/330000').expect(200);
  });

  it('lets a sync batch wait past the read timeout (batches allow 15 minutes)', async () => {
    const key = await createApiKey(t.database.url, 'allowance');
    const holder = await connect(t.database.url);
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [SYNC_LOCK]);
      const written = request(t.http)
        .post('/v1/sync/batches')
        .set('Authorization', `Bearer ${key}`)
        .send(batch(3, 700))
        .then((response) => response);
      // Waiting for the lock, the batch's statement outlives the 300 ms a read gets, many times over.
      await until(
        'the batch has waited for the sync lock for over a second',
        async () => (await appSessions(db, `wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%' AND now() - query_start > interval '1 second'`)) > 0,
      );
      await holder.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK]);
      const response = await written;
      expect(response.status).toBe(201);
      expect(response.body.counts.observations.created).toBe(3);
    } finally {
      await holder.end();
    }
  });
});

describe('no statement timeout (DATABASE_STATEMENT_TIMEOUT_MS=0)', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('notimeout', { DATABASE_STATEMENT_TIMEOUT_MS: '0', RESPONSE_CACHE: 'false' });
    db = await connect(t.database.url);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('lets a blocked read wait past the default 5 s and answer once the lock is gone', async () => {
    const locker = await connect(t.database.url);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE regions IN ACCESS EXCLUSIVE MODE');
      const read = request(t.http)
        .get('/v1/regions/330000')
        .then((response) => response);
      await until(
        'the read has waited for the lock longer than the default timeout',
        async () => (await appSessions(db, `wait_event_type = 'Lock' AND now() - query_start > interval '5500 milliseconds'`)) > 0,
      );
      await locker.query('ROLLBACK');
      expect((await read).status).toBe(200);
    } finally {
      await locker.end();
    }
  });
});

describe('a pool with no free connection', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('pool', { DATABASE_POOL_SIZE: '1', DATABASE_STATEMENT_TIMEOUT_MS: '0', RESPONSE_CACHE: 'false' });
    db = await connect(t.database.url);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('answers 503 with Retry-After to a request that waited 3 s for a connection, and serves the one holding it', async () => {
    // Reference data (the region index, the catalog) is read once and shared: read it before the lock.
    await request(t.http).get('/v1/sources').expect(200);
    const locker = await connect(t.database.url);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE pilot_zones IN ACCESS EXCLUSIVE MODE');
      // The first read holds the only connection, blocked on the lock.
      const holding = request(t.http)
        .get('/v1/pilot-zones/370100')
        .then((response) => response);
      await until('the first read holds the connection', async () => (await appSessions(db, `wait_event_type = 'Lock'`)) > 0);
      const waiting = await request(t.http).get('/v1/sources');
      const body = expectProblem(waiting, 503);
      expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(0);
      expect(body.detail).toContain('database');
      await locker.query('ROLLBACK');
      expect((await holding).status).toBe(200);
    } finally {
      await locker.end();
    }
    await request(t.http).get('/v1/sources').expect(200);
  });
});

/** The embedded server's postmaster and every process it started. */
function postgresProcesses(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // The parent's pid is the fourth field after the command's closing parenthesis.
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [...children, postmaster];
}

describe('a database that stops answering', () => {
  let dir: string;
  let server: EmbeddedServerHandle;
  let app: RunningApp | undefined;
  let frozen: number[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-frozen-'));
    chmodSync(dir, 0o755);
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata') });
    app = await startMain({ DATABASE_URL: server.url('postgres'), RESPONSE_CACHE: 'false', DATABASE_STATEMENT_TIMEOUT_MS: '1000', DATABASE_POOL_SIZE: '4' });
  }, 120_000);
  afterAll(async () => {
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    await app?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers reads 503 with Retry-After while it is frozen (the statement timeout lives in the frozen server), and recovers', async () => {
    const running = app!;
    const reads = ['/v1/regions/330000/profile', '/v1/compare?regions=330000,320000', '/v1/observations?pageSize=5'];
    for (const read of reads) await request(running.baseUrl).get(read).expect(200);
    frozen = postgresProcesses(path.join(dir, 'pgdata'));
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      // Without a bound on this side, these would wait until the server wakes, which it does only after them.
      for (const answer of await Promise.all(reads.map((read) => request(running.baseUrl).get(read)))) {
        expectProblem(answer, 503);
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      }
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
      frozen = [];
    }
    await until('reads recover', async () => (await fetch(`${running.baseUrl}${reads[0]}`)).status === 200);
    // Nothing the freeze left behind holds the shutdown up (a connection lent after its reader gave up did).
    app = undefined;
    expect(await running.stop()).toBe(0);
  }, 90_000);
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
    const client = await connect(url);
    try {
      return (await client.query(`SELECT id, value, as_of::text FROM observations ORDER BY id`)).rows;
    } finally {
      await client.end();
    }
  };

  it('answers 503 (never 500, never a hang) while it is down and recovers once it is back; an in-flight batch applies whole or not at all', async () => {
    const key = await createApiKey(url, 'outage');
    const before = await dump();
    const statuses = new Map<number, number>();
    let stop = false;
    const worker = async () => {
      const paths = [
        '/v1/regions/330000/profile',
        '/v1/compare?regions=330000,320000',
        '/v1/observations?pageSize=20',
        '/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province',
      ];
      for (let i = 0; !stop; i++) {
        const response = await fetch(`${app.baseUrl}${paths[i % paths.length]}`);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 503) {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        }
      }
    };
    const load = Promise.all([worker(), worker(), worker()]);
    await until('the load is being served', () => (statuses.get(200) ?? 0) >= 12);

    // A 20,000-row batch on its way in when the database dies.
    const watcher = await connect(url);
    const inFlight = fetch(`${app.baseUrl}/v1/sync/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(batch(20_000, 901)),
    }).then(
      (r) => r.status,
      () => 0,
    );
    await until('the batch is writing its rows', async () => (await appSessions(watcher, `state = 'active' AND query LIKE 'INSERT INTO observations%'`)) > 0);
    await watcher.end().catch(() => undefined);
    const pid = Number(readFileSync(path.join(dir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT'); // immediate shutdown: no checkpoint, connections cut

    const down = await until('reads are answered 503', async () => {
      const response = await request(app.baseUrl).get('/v1/regions/330000');
      return response.status === 503 ? response : undefined;
    });
    expectProblem(down, 503);
    const notReady = expectProblem(await request(app.baseUrl).get('/health/ready'), 503);
    // No internal address in a public answer: the reason is in the log.
    expect(JSON.stringify(notReady)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}|ECONNREFUSED`));
    // The log is written without blocking the event loop: the line follows the answer shortly.
    await until('the log says why it is not ready', () => app.output().includes('Not ready: the database check failed'));
    expect(app.child.exitCode).toBeNull();
    const answered = await inFlight;

    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata'), port });
    await until('reads recover', async () => (await fetch(`${app.baseUrl}/v1/regions/330000/profile`)).status === 200);
    stop = true;
    await load;
    console.log(`outage test: batch in flight answered ${answered}; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect([...statuses.keys()].sort()).toEqual([200, 503]);
    await request(app.baseUrl).get('/health/ready').expect(200);
    // The outage is told as it began and ended (a reconnect may tell a second, short one), not once per 503.
    await until('the log says the database is back', () => app.output().includes('Available again after'));
    const told = app.output().match(/Unavailable \(|Available again after|Service unavailable:/g) ?? [];
    expect(told.filter((line) => line === 'Service unavailable:')).toEqual([]);
    expect(told.length).toBeLessThanOrEqual(4);
    expect(statuses.get(503)!).toBeGreaterThan(told.length);

    // Whole or nothing, and the client is told which: 201 with every row, or 503 with none.
    const after = await dump();
    const written = after.filter((row) => row.as_of < '2000-01-01').length;
    expect([answered, written]).toEqual(answered === 201 ? [201, 20_000] : [503, 0]);
    expect(after.filter((row) => row.as_of >= '2000-01-01')).toEqual(before);
  }, 120_000);
});

describe('the app killed in the middle of a batch', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('crash');
    db = await connect(t.database.url);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('leaves the data as it was (kill -9 while the rows are being written), marks the batch interrupted, and takes its key again', async () => {
    const key = await createApiKey(t.database.url, 'crash');
    const dump = async () => JSON.stringify((await db.query(`SELECT * FROM observations ORDER BY id`)).rows);
    const before = await dump();
    const revisionsBefore = (await db.query(`SELECT count(*) FROM observation_revisions`)).rows[0].count;
    const body = JSON.stringify(batch(50_000, 902));
    const send = (baseUrl: string) =>
      fetch(`${baseUrl}/v1/sync/batches`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'crash-1' }, body });
    void send(t.http).catch(() => undefined);
    await until('the batch is writing', async () => (await appSessions(db, `state = 'active' AND query LIKE 'INSERT INTO observations%'`)) > 0);
    t.process.child.kill('SIGKILL');
    await until('the killed instance’s sessions are gone', async () => (await appSessions(db, 'true')) === 0);

    expect(await dump()).toBe(before);
    expect((await db.query(`SELECT count(*) FROM observation_revisions`)).rows[0].count).toBe(revisionsBefore);
    const [log] = (await db.query(`SELECT id, status, finished_at FROM sync_batches WHERE api_key_name = 'crash'`)).rows;
    expect(log).toMatchObject({ status: 'running', finished_at: null });

    // Another instance finds the batch without its writer: interrupted, and its key free for the retry.
    const other = await startMain({ DATABASE_URL: t.database.url });
    try {
      const retry = await send(other.baseUrl);
      expect(retry.status).toBe(201);
      const { rows } = await db.query(`SELECT id, status FROM sync_batches WHERE api_key_name = 'crash' ORDER BY id`);
      expect(rows.map((row) => row.status)).toEqual(['interrupted', 'applied']);
      const reader = await createApiKey(t.database.url, 'crash-reader', 'sync:read');
      const record = await fetch(`${other.baseUrl}/v1/sync/batches/${log.id}`, { headers: { authorization: `Bearer ${reader}` } });
      expect(await record.json()).toMatchObject({ status: 'interrupted', error: expect.stringContaining('stopped before it finished') });
    } finally {
      await other.stop();
    }
  }, 120_000);
});

/** One request on a fresh connection: its status, or the connection error's code. */
const requestOnce = (port: string, path: string) =>
  new Promise<{ outcome: string; connection?: string }>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ outcome: String(res.statusCode), connection: res.headers.connection }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ outcome: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ outcome: error.code ?? error.message }));
  });

describe('graceful shutdown under load', () => {
  it('lets in-flight requests finish, refuses new ones cleanly (no reset), closes the pool and exits 0', async () => {
    const t = await startTestApp('shutdown', { RESPONSE_CACHE: 'false' });
    const db = await connect(t.database.url);
    const locker = await connect(t.database.url);
    try {
      const { port } = new URL(t.http);
      const outcomes = new Map<string, number>();
      const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // Clients behave as load balancers do: a 503 or a refused connection means go elsewhere.
      let signalled = false;
      const client = async () => {
        for (;;) {
          const { outcome } = await requestOnce(port, '/v1/compare?regions=330000,320000');
          count(outcome);
          if (signalled && ['503', 'ECONNREFUSED'].includes(outcome)) return outcome;
        }
      };
      const load = Promise.all(Array.from({ length: 6 }, client));
      await until('the load is being served', () => (outcomes.get('200') ?? 0) >= 12);

      // A request certainly in flight at the signal: its statement waits for a lock on a table the load does not read.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE pilot_zones IN ACCESS EXCLUSIVE MODE');
      const inFlight = requestOnce(port, '/v1/pilot-zones/370100');
      await until('the pilot-zone read is blocked in the database', async () => (await appSessions(db, `wait_event_type = 'Lock'`)) > 0);
      signalled = true;
      const exited = t.process.stop('SIGTERM');
      await until('the instance is draining', () => t.process.output().includes('draining requests'));
      await locker.query('ROLLBACK');
      expect((await inFlight).outcome).toBe('200');

      const told = await load;
      expect(await exited).toBe(0);
      console.log(`graceful shutdown: ${JSON.stringify(Object.fromEntries(outcomes))}`);
      expect([...outcomes.keys()].filter((outcome) => !['200', '503', 'ECONNREFUSED'].includes(outcome))).toEqual([]);
      expect(told).toHaveLength(6);
      expect(outcomes.get('503')).toBeGreaterThan(0);
      const sessions = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'regional-finance%'`);
      expect(sessions.rows[0].n).toBe(0);
    } finally {
      await locker.end();
      await db.end();
      await t.database.drop();
    }
  }, 60_000);

  it('ends keep-alive connections cleanly under load: no reset, and every refusal is problem+json with Retry-After', async () => {
    const t = await startTestApp('keepalive', { SHUTDOWN_DRAIN_MS: '1500' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    try {
      const { port } = new URL(t.http);
      const outcomes = new Map<string, number>();
      const once = () =>
        new Promise<string>((resolve) => {
          const req = http.get({ host: '127.0.0.1', port, path: '/v1/topics', agent }, (res) => {
            const problem = String(res.headers['content-type']).startsWith('application/problem+json') && Number(res.headers['retry-after']) > 0;
            res.resume();
            res.on('end', () => resolve(res.statusCode === 503 && !problem ? '503 without problem+json and Retry-After' : String(res.statusCode)));
            res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
          });
          // A connection still being opened when the listener closes is refused (reset or refused, as no one
          // listens); a kept-alive one that carried answers before must never be cut under a request.
          req.on('error', (error: NodeJS.ErrnoException) =>
            resolve(req.reusedSocket ? `${error.code ?? error.message} on a kept-alive connection` : error.code === 'ECONNRESET' ? 'refused' : (error.code ?? error.message)),
          );
        });
      let signalled = false;
      // Twenty clients on kept-alive connections, each sending again as soon as it is answered, through the drain, until refused.
      const client = async () => {
        for (;;) {
          const outcome = await once();
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          if (signalled && ['ECONNREFUSED', 'refused'].includes(outcome)) return;
        }
      };
      const load = Promise.all(Array.from({ length: 20 }, client));
      await until('the load is being served', () => (outcomes.get('200') ?? 0) >= 200);
      signalled = true;
      const exited = t.process.stop('SIGTERM');
      await load;
      expect(await exited).toBe(0);
      console.log(`keep-alive shutdown: ${JSON.stringify(Object.fromEntries(outcomes))}`);
      expect([...outcomes.keys()].filter((outcome) => !['200', '503', 'ECONNREFUSED', 'refused'].includes(outcome))).toEqual([]);
      expect(outcomes.get('503')).toBeGreaterThan(0);
    } finally {
      agent.destroy();
      await t.database.drop();
    }
  }, 60_000);

  it('keeps answering 503 with Connection: close for as long as SHUTDOWN_DRAIN_MS says', async () => {
    const t = await startTestApp('drain', { SHUTDOWN_DRAIN_MS: '600000' });
    try {
      const { port } = new URL(t.http);
      const exited = t.process.stop('SIGTERM');
      await until('the instance is draining', () => t.process.output().includes('draining requests'));
      for (let i = 0; i < 20; i++) expect(await requestOnce(port, '/v1/topics')).toEqual({ outcome: '503', connection: 'close' });
      expect((await requestOnce(port, '/health/ready')).outcome).toBe('503');
      // Ten minutes of draining: still running after all these answers.
      expect(t.process.child.exitCode).toBeNull();
      t.process.child.kill('SIGKILL');
      await exited;
    } finally {
      await t.database.drop();
    }
  });
});
