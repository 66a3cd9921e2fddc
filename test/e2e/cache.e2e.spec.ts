import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { createApiKey } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startMain, type RunningApp } from '../support/processes.js';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
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

  it('keeps only what a route asks to keep: the batch log, however its path is spelt, is never served from the cache', async () => {
    for (const path of ['/v1/sync/batches', '/v1/%73ync/batches']) {
      const before = await request(a.http).get(path).expect(200);
      await request(a.http).get(path).expect(200);
      await request(a.http).post('/v1/sync/batches?dryRun=true').set('Authorization', `Bearer ${key}`).send({ topics: [] }).expect(200);
      const after = await request(a.http).get(path).expect(200);
      expect(after.headers['x-cache']).not.toBe('HIT');
      expect(after.body.meta.total).toBe(before.body.meta.total + 1);
    }
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
    // CORS allows every origin here, so the answer is the same with or without one: one entry serves both.
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

  it('answers a hit with every header the pipeline gave the miss, but those of the request itself', async () => {
    const url = '/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province';
    const miss = await request(b.baseUrl).get(url).set('Accept-Language', 'zh').expect(200);
    const hit = await request(b.baseUrl).get(url).set('Accept-Language', 'zh').expect(200);
    expect([miss.headers['x-cache'], hit.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    const perRequest = /^(x-cache|x-ratelimit-remaining|x-ratelimit-reset|x-request-id|date)$/;
    const lasting = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !perRequest.test(name)));
    expect(lasting(hit.headers)).toEqual(lasting(miss.headers));
    expect(hit.headers['content-security-policy']).toContain("default-src 'self'");
    expect(hit.text).toBe(miss.text);
  });

  it('sends gzip to clients that take it, the miss as its hits, and the same bytes uncompressed to those that do not', async () => {
    const url = '/v1/regions/320000/profile';
    const raw = (acceptEncoding: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .get(`${b.baseUrl}${url}`, { headers: { 'accept-encoding': acceptEncoding } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const miss = await raw('gzip, deflate, br');
    const hit = await raw('br;q=1.0, gzip;q=0.8');
    const plain = await raw('identity');
    expect([miss.headers['x-cache'], hit.headers['x-cache'], plain.headers['x-cache']]).toEqual(['MISS', 'HIT', 'HIT']);
    for (const compressed of [miss, hit]) {
      expect(compressed.headers['content-encoding']).toBe('gzip');
      expect(Number(compressed.headers['content-length'])).toBe(compressed.body.length);
      expect(gunzipSync(compressed.body).equals(plain.body)).toBe(true);
    }
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(hit.body.length).toBeLessThan(plain.body.length / 3);
    for (const response of [miss, hit, plain]) expect(response.headers.vary).toBe('Accept, Accept-Language, Accept-Encoding');
    expect(JSON.parse(plain.body.toString()).region.code).toBe('320000');
  });

  it('keys hits by Origin: an origin not allowed never gets the CORS headers another one was given', async () => {
    const strict = await startMain({ DATABASE_URL: a.database.url, RATE_LIMIT_PER_MINUTE: '1000000', CORS_ORIGINS: 'https://frontend.example' });
    try {
      const url = '/v1/regions/330000';
      for (let i = 0; i < 2; i++) {
        const allowed = await request(strict.baseUrl).get(url).set('Origin', 'https://frontend.example').expect(200);
        expect(allowed.headers['access-control-allow-origin']).toBe('https://frontend.example');
        expect(allowed.headers['x-cache']).toBe(i === 0 ? 'MISS' : 'HIT');
        // Browsers and shared caches must not reuse this answer for another origin.
        expect(allowed.headers.vary).toMatch(/\bOrigin\b/);
      }
      for (let i = 0; i < 2; i++) {
        const other = await request(strict.baseUrl).get(url).set('Origin', 'https://elsewhere.example').expect(200);
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
        expect(other.headers['x-cache']).toBe(i === 0 ? 'MISS' : 'HIT');
      }
    } finally {
      await strict.stop();
    }
  });

  it('counts hits per client address, behind a proxy by X-Forwarded-For as the guard does', async () => {
    const proxied = await startMain({ DATABASE_URL: a.database.url, RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '2' });
    try {
      const url = '/v1/regions/320000';
      const from = (address: string) => request(proxied.baseUrl).get(url).set('X-Forwarded-For', `${address}, 127.0.0.1`);
      expect((await from('203.0.113.7').expect(200)).headers['x-cache']).toBe('MISS');
      const hit = await from('203.0.113.7').expect(200);
      expect([hit.headers['x-cache'], hit.headers['x-ratelimit-remaining']]).toEqual(['HIT', '0']);
      expectProblem(await from('203.0.113.7'), 429);
      const other = await from('203.0.113.8').expect(200);
      expect([other.headers['x-cache'], other.headers['x-ratelimit-remaining']]).toEqual(['HIT', '1']);
      // IPv6 clients draw on the allowance of their /64, as the guard counts them.
      expect((await from('2001:db8:1:2::10').expect(200)).headers['x-ratelimit-remaining']).toBe('1');
      expect((await from('2001:db8:1:2:ffff::11').expect(200)).headers['x-ratelimit-remaining']).toBe('0');
      expectProblem(await from('2001:db8:1:2::12'), 429);
      expect((await from('2001:db8:1:3::10').expect(200)).headers['x-cache']).toBe('HIT');
    } finally {
      await proxied.stop();
    }
  });

  it('never serves a stale read after a write through the same instance', async () => {
    await request(a.http).get(COMPARE_VISITED).expect(200);
    await request(a.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [visitedRow(597)] })
      .expect(201);
    // A hit here can only be the answer worked out again after the write (the refill below).
    const after = await request(a.http).get(COMPARE_VISITED).expect(200);
    expect(zhejiangVisited(after.body)).toBe(5_970_000);
  });

  it('works out the most-read answers again after a write, so their first read after it is a hit', async () => {
    const profile = '/v1/regions/330000/profile';
    for (let i = 0; i < 3; i++) await request(b.baseUrl).get(COMPARE_VISITED).expect(200);
    for (let i = 0; i < 2; i++) await request(b.baseUrl).get(profile).set('Accept-Encoding', 'gzip').expect(200);
    await request(a.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [visitedRow(593)] })
      .expect(201);
    // A read the other instance has never kept (a new Accept-Language each time) shows when it has heard of the write.
    let asked = 0;
    await until(
      'the other instance has heard of the write',
      async () => zhejiangVisited((await request(b.baseUrl).get(COMPARE_VISITED).set('Accept-Language', `zh;q=0.${++asked}`).expect(200)).body) === 5_930_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const compare = await request(b.baseUrl).get(COMPARE_VISITED).expect(200);
    expect([compare.headers['x-cache'], zhejiangVisited(compare.body)]).toEqual(['HIT', 5_930_000]);
    const gzipped = await request(b.baseUrl).get(profile).set('Accept-Encoding', 'gzip').expect(200);
    expect([gzipped.headers['x-cache'], gzipped.headers['content-encoding']]).toEqual(['HIT', 'gzip']);
  });

  it('keeps every cached answer when a batch changes nothing', async () => {
    const batch = { observations: [visitedRow(599)] };
    await request(a.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send(batch).expect(201);
    await request(a.http).get(COMPARE_VISITED).expect(200);
    await request(b.baseUrl).get(COMPARE_VISITED).expect(200);
    const version = async () => {
      const client = new pg.Client({ connectionString: a.database.url });
      await client.connect();
      try {
        return (await client.query(`SELECT version::text FROM data_version`)).rows[0].version as string;
      } finally {
        await client.end();
      }
    };
    const before = await version();
    const again = await request(a.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send(batch).expect(201);
    expect(again.body.counts.observations).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    // The version every instance follows (by NOTIFY and by poll) has not moved, so no instance has anything to drop.
    expect(await version()).toBe(before);
    for (const instance of [a.http, b.baseUrl]) {
      const response = await request(instance).get(COMPARE_VISITED).expect(200);
      expect(response.headers['x-cache']).toBe('HIT');
      expect(zhejiangVisited(response.body)).toBe(5_990_000);
    }
  });

  it('drops the other instance’s cache after a write', async () => {
    await request(b.baseUrl).get(COMPARE_VISITED).expect(200);
    expect((await request(b.baseUrl).get(COMPARE_VISITED).expect(200)).headers['x-cache']).toBe('HIT');
    await request(a.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [visitedRow(598)] })
      .expect(201);
    await until('the other instance serves the new figure', async () => zhejiangVisited((await request(b.baseUrl).get(COMPARE_VISITED).expect(200)).body) === 5_980_000);
  });

  it('knows a region a batch adds: at once on the instance that wrote it, soon after on the other', async () => {
    const row = { ...visitedRow(12), region: '330102', quote: 'test: a district added by a batch' };
    // Both instances have read their region index and known codes before the write.
    await request(b.baseUrl).get('/v1/regions/330102').expect(404);
    await request(a.http).get('/v1/observations?region=330102').expect(400);
    await request(a.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ regions: [{ code: '330102', nameEn: 'Shangcheng' }], observations: [row] })
      .expect(201);
    expect((await request(a.http).get('/v1/regions/330102').expect(200)).body.nameEn).toBe('Shangcheng');
    expect((await request(a.http).get('/v1/observations?region=330102').expect(200)).body.data).toHaveLength(1);
    expect((await request(a.http).get('/v1/compare?regions=330102,330000').expect(200)).body.regions[0].code).toBe('330102');
    await until('the other instance knows the region', async () => (await request(b.baseUrl).get('/v1/regions/330102')).status === 200);
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
