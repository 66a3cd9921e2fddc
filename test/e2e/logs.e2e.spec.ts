import pg from 'pg';
import request from 'supertest';
import { createApiKey, secretOf } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startMain, type RunningApp } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { until } from '../support/until.js';
import { visitedRow } from '../support/visited-figure.js';

type Line = Record<string, unknown> & { level: string; msg: string };

describe('the service log', () => {
  let database: TestDatabase;
  let app: RunningApp;
  const password = `pw-${Date.now().toString(36)}-secret`;
  const metricsToken = 'log-test-metrics-token-7f3a9c';
  let key: string;
  /** Every secret this test hands the service: none may reach its log. */
  const secrets: string[] = [password, metricsToken];

  beforeAll(async () => {
    database = await createTestDatabase('logs');
    // A role with a password, so DATABASE_URL carries a credential the log must not show.
    const role = `rf_log_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${password}'`);
    await admin.end();
    const url = new URL(database.url);
    [url.username, url.password] = [role, password];
    app = await startMain({ DATABASE_URL: url.toString(), METRICS_TOKEN: metricsToken, LOG_LEVEL: 'verbose', RATE_LIMIT_PER_MINUTE: '1000000' });
    key = await createApiKey(database.url, 'logs', 'sync:write');
    secrets.push(key, secretOf(key));
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  /** Every whole line of the output, each parsed as JSON (a line still being written is left out). */
  const lines = (): Line[] =>
    app
      .output()
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Line);

  it('writes one JSON line per request, with its id, route template, status, duration, cache and client', async () => {
    const first = await request(app.baseUrl).get('/v1/regions/330000').set('X-Request-Id', 'client-chosen-id.42').expect(200);
    expect(first.headers['x-request-id']).toBe('client-chosen-id.42');
    const hit = await request(app.baseUrl).get('/v1/regions/330000').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // An id that is not a plain token is replaced, not echoed.
    const odd = await request(app.baseUrl).get('/v1/regions/330000').set('X-Request-Id', 'a b<script>');
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const problem = await request(app.baseUrl).get('/v1/regions/nowhere').set('X-Request-Id', 'problem-id-7');
    expect(expectProblem(problem, 404)).toMatchObject({ requestId: 'problem-id-7' });

    const requests = await until('the request lines are written', () => {
      const found = lines().filter((line) => line.msg === 'request');
      return found.some((line) => line.reqId === 'problem-id-7') && found;
    });
    expect(requests.find((line) => line.reqId === 'client-chosen-id.42')).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/v1/regions/:code',
      url: '/v1/regions/330000',
      status: 200,
      cache: 'MISS',
      client: '127.0.0.1',
      ms: expect.any(Number),
    });
    expect(requests.find((line) => line.reqId === hit.headers['x-request-id'])).toMatchObject({ route: '/v1/regions/:code', status: 200, cache: 'HIT' });
    expect(requests.find((line) => line.reqId === 'problem-id-7')).toMatchObject({ status: 404 });
    // Exactly one line per request.
    expect(requests.filter((line) => line.reqId === 'client-chosen-id.42')).toHaveLength(1);
  });

  it('never writes a secret: not the API key, the database password or the metrics token', async () => {
    await request(app.baseUrl)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [visitedRow(601)] })
      .expect(201);
    await request(app.baseUrl).post('/v1/sync/batches').set('Authorization', `Bearer ${key}x`).send({ observations: [] }).expect(401);
    await request(app.baseUrl).get('/metrics').set('Authorization', `Bearer ${metricsToken}`).expect(200);
    await request(app.baseUrl).get('/metrics').set('Authorization', `Bearer ${metricsToken}-wrong`).expect(401);
    await until('the batch is logged', () => lines().some((line) => line.msg === 'request' && line.route === '/v1/sync/batches' && line.status === 201));
    const log = app.output();
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/authorization/i);
    // And the lines are there to be searched: verbose start-up detail included.
    expect(lines().some((line) => line.level === 'debug' || line.level === 'trace')).toBe(true);
  });
});
