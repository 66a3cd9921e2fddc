import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { projectRoot } from '../../src/config/paths.js';
import { createApiKey } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startMain } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { COMPARE_VISITED, visitedRow } from '../support/visited-figure.js';

/** One sample's value from the Prometheus text format, by its name and exact label set; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = (match[2] ?? '').match(/[a-zA-Z_]\w*="(?:[^"\\]|\\.)*"/g) ?? [];
    if (found.sort().join(',') === wanted) return Number(match[3]);
  }
  return undefined;
}

const scrape = async (base: string, headers: Record<string, string> = {}) => {
  const response = await request(base).get('/metrics').set(headers).expect(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return response.text;
};

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('metrics', { TRUST_PROXY: 'loopback' })));
  afterAll(() => t.close());

  it('counts requests by route template and status, cache hits included, and what the cache, pool and data version hold', async () => {
    const before = await scrape(t.http);
    const route = { method: 'GET', route: '/v1/regions/:code', status: '200' };
    const count = (text: string) => sample(text, 'regional_finance_http_request_duration_seconds_count', route) ?? 0;
    const hits = (text: string) => sample(text, 'regional_finance_response_cache_lookups_total', { outcome: 'hit' }) ?? 0;
    // A miss, then two hits answered before Fastify sees them.
    for (let i = 0; i < 3; i++) await request(t.http).get('/v1/regions/320000').expect(200);
    await request(t.http).get('/v1/regions/320000?pageSize=abc').expect(400);
    const after = await scrape(t.http);
    expect(count(after) - count(before)).toBe(3);
    expect(hits(after) - hits(before)).toBe(2);
    // Label values are templates, never raw paths.
    expect(after).not.toContain('route="/v1/regions/320000"');
    expect(sample(after, 'regional_finance_problems_total', { status: '400', type: 'urn:problem:validation-error' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'regional_finance_response_cache_entries')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'regional_finance_response_cache_bytes')).toBeGreaterThan(0);
    expect(sample(after, 'regional_finance_data_version')).toBeGreaterThan(0);
    expect(sample(after, 'regional_finance_db_pool_connections', { pool: 'primary', state: 'idle' })).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'regional_finance_db_pool_connections', { pool: 'primary', state: 'waiting' })).toBe(0);
    // Process and event-loop metrics, from prom-client's defaults.
    expect(sample(after, 'regional_finance_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'regional_finance_process_resident_memory_bytes')).toBeGreaterThan(0);
    // Every metric the runbook and the dashboard name is served (those of Redis: in the shared-limit test).
    const named = ['docs/operations.md', 'docs/grafana-dashboard.json'].flatMap(
      (file) => readFileSync(path.join(projectRoot, file), 'utf8').match(/regional_finance_\w*[a-z](?!\w|_?\*)/g) ?? [],
    );
    const served = new Set([...after.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const missing = [...new Set(named)].filter((name) => !name.startsWith('regional_finance_rate_limit_store') && !served.has(name.replace(/_(bucket|count|sum)$/, '')));
    expect(named.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
    // An operator's endpoint: not in the public document.
    const document = (await request(t.http).get('/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
    expect(document.paths['/metrics']).toBeUndefined();
  });

  it('counts sync batches by outcome and the rows they wrote, and the data version moving', async () => {
    const key = await createApiKey(t.database.url, 'metrics', 'sync:write');
    const before = await scrape(t.http);
    const version = sample(before, 'regional_finance_data_version')!;
    await request(t.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [visitedRow(600)] })
      .expect(201);
    await request(t.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [{ region: 'nowhere' }] })
      .expect(422);
    await request(t.http).get(COMPARE_VISITED).expect(200);
    const after = await scrape(t.http);
    const delta = (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('regional_finance_sync_batches_total', { outcome: 'applied' })).toBe(1);
    expect(delta('regional_finance_sync_batches_total', { outcome: 'rejected' })).toBe(1);
    expect(delta('regional_finance_sync_rows_written_total', { change: 'updated' })).toBe(1);
    expect(sample(after, 'regional_finance_data_version')).toBeGreaterThan(version);
  });

  it('answers clients on this machine only, unless a token or a port of its own is set', async () => {
    const remote = await request(t.http).get('/metrics').set('X-Forwarded-For', '203.0.113.9');
    expect(expectProblem(remote, 403).detail).toContain('METRICS_TOKEN');

    const token = 'metrics-token-0123456789abcdef';
    const withToken = await startMain({ DATABASE_URL: t.database.url, METRICS_TOKEN: token, SEED_ON_START: 'false' });
    const withPort = await startMain({ DATABASE_URL: t.database.url, METRICS_PORT: '0', SEED_ON_START: 'false' });
    const limited = await startMain({ DATABASE_URL: t.database.url, RATE_LIMIT_PER_MINUTE: '2', SEED_ON_START: 'false' });
    try {
      expectProblem(await request(withToken.baseUrl).get('/metrics'), 401);
      expectProblem(await request(withToken.baseUrl).get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789abcdeX'), 401);
      expect(sample(await scrape(withToken.baseUrl, { Authorization: `Bearer ${token}` }), 'regional_finance_data_version')).toBeGreaterThan(0);

      const [, address] = /Metrics on (http:\/\/\S+)\/metrics/.exec(withPort.output())!;
      expect(new URL(address).hostname).toBe('127.0.0.1');
      expect(sample(await scrape(address), 'regional_finance_data_version')).toBeGreaterThan(0);
      expectProblem(await request(withPort.baseUrl).get('/metrics'), 404);

      for (let i = 0; i < 3; i++) await request(limited.baseUrl).get('/v1/regions/330000');
      expect(sample(await scrape(limited.baseUrl), 'regional_finance_rate_limited_requests_total')).toBe(1);
    } finally {
      await withToken.stop();
      await withPort.stop();
      await limited.stop();
    }
  });
});
