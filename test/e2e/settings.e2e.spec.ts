import request from 'supertest';
import { createApiKey } from '../support/api-keys.js';
import { startMain } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** Settings that change how an instance runs, each started with and seen to take effect. */
describe('settings', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('settings');
    // Migrated and seeded once; every instance below starts on it.
    await (await startMain({ DATABASE_URL: database.url })).stop();
  });
  afterAll(() => database.drop());

  it('HOST: listens on that address only', async () => {
    const app = await startMain({ DATABASE_URL: database.url, HOST: '127.0.0.2' });
    try {
      expect(app.baseUrl).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
      await request(app.baseUrl).get('/health/live').expect(200);
      const port = new URL(app.baseUrl).port;
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    } finally {
      await app.stop();
    }
  });

  it('RESPONSE_CACHE_MAX_ENTRIES: keeps that many answers, the oldest going first', async () => {
    const app = await startMain({ DATABASE_URL: database.url, RESPONSE_CACHE_MAX_ENTRIES: '2' });
    try {
      const cache = async (path: string) => (await request(app.baseUrl).get(path).expect(200)).headers['x-cache'];
      expect([await cache('/v1/regions/330000'), await cache('/v1/regions/320000'), await cache('/v1/regions/330000')]).toEqual(['MISS', 'MISS', 'HIT']);
      // A third answer pushes out the first one kept.
      expect(await cache('/v1/regions/310000')).toBe('MISS');
      expect(await cache('/v1/regions/330000')).toBe('MISS');
      expect(await cache('/v1/regions/310000')).toBe('HIT');
    } finally {
      await app.stop();
    }
  });

  it('RESPONSE_CACHE_MAX_MB: an answer larger than the bound is never kept; small ones still are', async () => {
    const key = await createApiKey(database.url, 'settings');
    // 120 figures quoting 4,000 Chinese characters each (12 KB in UTF-8): a 1.5 MB page.
    const quote = '长'.repeat(4000);
    const rows = Array.from({ length: 120 }, (_, i) => ({
      region: '330000',
      indicator: 'smb_outreach.enterprises_visited',
      asOf: `1950-01-${String((i % 28) + 1).padStart(2, '0')}`,
      asOfPrecision: 'day',
      asOfInferred: false,
      value: (i + 1) * 1e4,
      valuePrinted: String(i + 1),
      unitPrinted: '万家',
      qualifier: 'exact',
      reporter: `bank ${Math.floor(i / 28)}`,
      source: '002_caa4a03adb5becde',
      quote,
    }));
    const app = await startMain({ DATABASE_URL: database.url, RESPONSE_CACHE_MAX_MB: '1' });
    try {
      await request(app.baseUrl).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send({ observations: rows }).expect(201);
      const large = '/v1/observations?from=1950-01-01&to=1950-12-31&pageSize=200';
      const first = await request(app.baseUrl).get(large).set('Accept-Encoding', 'identity').expect(200);
      expect(Buffer.byteLength(first.text)).toBeGreaterThan(2 ** 20);
      expect((await request(app.baseUrl).get(large).set('Accept-Encoding', 'identity').expect(200)).headers['x-cache']).toBe('MISS');
      await request(app.baseUrl).get('/v1/topics').expect(200);
      expect((await request(app.baseUrl).get('/v1/topics').expect(200)).headers['x-cache']).toBe('HIT');
    } finally {
      await app.stop();
    }
  });

  it('RESPONSE_CACHE_REFILL: after a write, works out that many of the most-read answers again, charged to no client', async () => {
    const key = await createApiKey(database.url, 'refill');
    const app = await startMain({ DATABASE_URL: database.url, RESPONSE_CACHE_REFILL: '1', RATE_LIMIT_PER_MINUTE: '100' });
    try {
      const read = (path: string) => request(app.baseUrl).get(path).expect(200);
      for (let i = 0; i < 3; i++) await read('/v1/regions/330000');
      const before = await read('/v1/regions/320000');
      await request(app.baseUrl)
        .post('/v1/sync/batches')
        .set('Authorization', `Bearer ${key}`)
        .send({ regions: [{ code: '330102', nameEn: 'Shangcheng' }] })
        .expect(201);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const mostRead = await read('/v1/regions/330000');
      expect([mostRead.headers['x-cache'], (await read('/v1/regions/320000')).headers['x-cache']]).toEqual(['HIT', 'MISS']);
      // The batch and this read were counted; the refill was not.
      expect(Number(before.headers['x-ratelimit-remaining']) - Number(mostRead.headers['x-ratelimit-remaining'])).toBe(2);
    } finally {
      await app.stop();
    }
  });

  it('starts every instance from exactly the settings it is given, not the test runner’s environment', async () => {
    const exported = { RESPONSE_CACHE: 'false', SYNC_CRON: '* * * * * *', SYNC_SOURCE: '/nonexistent/batch.json', LOG_LEVEL: 'fatal' };
    Object.assign(process.env, exported);
    try {
      const app = await startMain({ DATABASE_URL: database.url });
      try {
        await request(app.baseUrl).get('/v1/topics').expect(200);
        expect((await request(app.baseUrl).get('/v1/topics').expect(200)).headers['x-cache']).toBe('HIT');
        expect(app.output()).not.toContain('Pulling');
      } finally {
        await app.stop();
      }
    } finally {
      for (const name of Object.keys(exported)) delete process.env[name];
    }
  });
});
