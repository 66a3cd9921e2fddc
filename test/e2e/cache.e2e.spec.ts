import request from 'supertest';
import { createApiKey } from '../support/api-keys.js';
import { startMain, type RunningApp } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { COMPARE_VISITED, visitedRow, zhejiangVisited } from '../support/visited-figure.js';


describe('response cache', () => {
  let a: TestApp;
  let b: RunningApp;
  let key: string;
  beforeAll(async () => {
    a = await startTestApp('cache');
    b = await startMain({ DATABASE_URL: a.database.url, RATE_LIMIT_PER_MINUTE: '1000000' });
    key = await createApiKey(a.database.url, 'cache');
  });
  afterAll(async () => {
    await b.stop();
    await a.close();
  });

  it('serves a repeated read from the cache', async () => {
    const first = await request(a.http).get(COMPARE_VISITED).expect(200);
    const second = await request(a.http).get(COMPARE_VISITED).expect(200);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toEqual(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['content-language']).toBe(first.headers['content-language']);
  });

  it('keeps the full answer when a revalidation misses, so the next revalidation is a hit', async () => {
    const url = '/v1/regions/330000/profile';
    // The tag comes from the other instance, so this one has not seen the URL yet.
    const { etag } = (await request(b.baseUrl).get(url).expect(200)).headers;
    const first = await request(a.http).get(url).set('If-None-Match', etag).expect(304);
    expect(first.headers['x-cache']).toBe('MISS');
    const second = await request(a.http).get(url).set('If-None-Match', etag).expect(304);
    expect(second.headers['x-cache']).toBe('HIT');
    const full = await request(a.http).get(url).expect(200);
    expect(full.headers['x-cache']).toBe('HIT');
    expect(full.headers.etag).toBe(etag);
  });

  it('answers hits before the handlers: counted against the rate limit, with CORS headers, and 304 for a matching ETag', async () => {
    const first = await request(a.http).get(COMPARE_VISITED).expect(200);
    const hit = await request(a.http).get(COMPARE_VISITED).set('Origin', 'https://frontend.example').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['access-control-allow-origin']).toBe('*');
    expect(hit.headers['content-type']).toBe(first.headers['content-type']);
    expect(Number(hit.headers['x-ratelimit-remaining'])).toBe(Number(first.headers['x-ratelimit-remaining']) - 1);
    const notModified = await request(a.http).get(COMPARE_VISITED).set('If-None-Match', first.headers.etag).expect(304);
    expect(notModified.headers['x-cache']).toBe('HIT');
    expect(notModified.headers.etag).toBe(first.headers.etag);
    expect(notModified.text).toBe('');
  });

  it('never serves a stale read after a write through the same instance', async () => {
    await request(a.http).get(COMPARE_VISITED).expect(200);
    await request(a.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send({ observations: [visitedRow(597)] }).expect(201);
    const after = await request(a.http).get(COMPARE_VISITED).expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(zhejiangVisited(after.body)).toBe(5_970_000);
  });

  it('keeps every cached answer when a batch changes nothing', async () => {
    const batch = { observations: [visitedRow(599)] };
    await request(a.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send(batch).expect(201);
    await request(a.http).get(COMPARE_VISITED).expect(200);
    await request(b.baseUrl).get(COMPARE_VISITED).expect(200);
    const again = await request(a.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send(batch).expect(201);
    expect(again.body.counts.observations).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    // Past the one-second poll, so the other instance has looked at the version again.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    for (const instance of [a.http, b.baseUrl]) {
      const response = await request(instance).get(COMPARE_VISITED).expect(200);
      expect(response.headers['x-cache']).toBe('HIT');
      expect(zhejiangVisited(response.body)).toBe(5_990_000);
    }
  });

  it('drops the other instance’s cache within a second of a write', async () => {
    await request(b.baseUrl).get(COMPARE_VISITED).expect(200);
    expect((await request(b.baseUrl).get(COMPARE_VISITED).expect(200)).headers['x-cache']).toBe('HIT');
    await request(a.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send({ observations: [visitedRow(598)] }).expect(201);
    const written = Date.now();
    let value = 0;
    while (Date.now() - written < 1000) {
      value = zhejiangVisited((await request(b.baseUrl).get(COMPARE_VISITED).expect(200)).body);
      if (value === 5_980_000) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(value).toBe(5_980_000);
  });

  it('can be turned off', async () => {
    const off = await startMain({ DATABASE_URL: a.database.url, RESPONSE_CACHE: 'false' });
    try {
      const response = await request(off.baseUrl).get(COMPARE_VISITED).expect(200);
      expect(response.headers['x-cache']).toBeUndefined();
    } finally {
      await off.stop();
    }
  });
});
