import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { expectProblem } from '../support/problem.js';
import { startMain, type RunningApp } from '../support/processes.js';
import { machineRedis, startRedis, type TestRedis } from '../support/redis.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { until } from '../support/until.js';

const LIMIT = 12;

describe('one rate limit across instances (REDIS_URL)', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  const started: RunningApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startMain({ DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: String(LIMIT), ...env });
    started.push(app);
    return app;
  };
  beforeAll(async () => {
    database = await createTestDatabase('shared_limit');
    redis = await machineRedis();
  });
  afterAll(async () => {
    for (const app of started) await app.stop();
    await redis?.stop();
    await database?.drop();
  });

  it('refuses a client that alternates between two instances after the limit, not after twice the limit', async () => {
    // A prefix of its own: runs on the same Redis never share counters.
    const shared = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `test-${randomBytes(4).toString('hex')}:` };
    const a = await start(shared);
    const b = await start({ ...shared, SEED_ON_START: 'false' });
    const statuses: number[] = [];
    const remaining: string[] = [];
    // Cached answers and worked-out ones, on both instances: all draw on one allowance.
    for (let i = 0; i < 2 * LIMIT; i++) {
      const response = await request([a, b][i % 2].baseUrl).get(i % 4 < 2 ? '/v1/regions/330000' : `/v1/regions/330000?lang=${i % 3 ? 'zh' : 'en'}`);
      statuses.push(response.status);
      if (response.status === 200) remaining.push(response.headers['x-ratelimit-remaining']);
      else expectProblem(response, 429);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT)).toEqual(Array(LIMIT).fill(429));
    expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, i) => String(LIMIT - 1 - i)));
    const ready = (await request(a.baseUrl).get('/health/ready').expect(200)).body as { info: Record<string, unknown> };
    expect(ready.info.rateLimit).toEqual({ status: 'up', store: 'redis' });
  });

  it('fails open while Redis is away: answers, says so once in the log, in a metric and in readiness, and shares again once it is back', async () => {
    const own = await startRedis();
    const app = await start({ REDIS_URL: own.url, RATE_LIMIT_PER_MINUTE: '1000', SEED_ON_START: 'false' });
    await request(app.baseUrl).get('/v1/regions/330000').expect(200);
    await own.stop();
    for (let i = 0; i < 20; i++)
      await request(app.baseUrl)
        .get(i % 2 ? '/v1/regions/330000' : '/v1/regions/320000')
        .expect(200);
    const ready = (await request(app.baseUrl).get('/health/ready').expect(200)).body as { status: string; info: Record<string, { degraded?: boolean }> };
    expect(ready.status).toBe('ok');
    expect(ready.info.rateLimit).toMatchObject({ status: 'up', degraded: true });
    const metrics = (await request(app.baseUrl).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^regional_finance_rate_limit_store_up 0$/m);
    expect(Number(/^regional_finance_rate_limit_store_errors_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThanOrEqual(1);
    expect(app.output().match(/Redis does not answer/g)).toHaveLength(1);

    const back = await startRedis(own.port);
    try {
      await until('the instance counts in Redis again', async () => {
        await request(app.baseUrl).get('/v1/regions/330000').expect(200);
        return app.output().includes('Redis answers again');
      });
      const again = (await request(app.baseUrl).get('/health/ready').expect(200)).body as { info: Record<string, unknown> };
      expect(again.info.rateLimit).toEqual({ status: 'up', store: 'redis' });
      expect(app.output().match(/Redis does not answer/g)).toHaveLength(1);
    } finally {
      await back.stop();
    }
  });
});
