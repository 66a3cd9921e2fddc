import request from 'supertest';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('ratelimit', { RATE_LIMIT_PER_MINUTE: '5' })));
  afterAll(() => t.close());

  it('counts down in headers, then answers 429 problem+json with Retry-After; health checks are never limited', async () => {
    const first = await request(t.http).get('/v1/topics').expect(200);
    expect(first.headers['x-ratelimit-limit']).toBe('5');
    expect(first.headers['x-ratelimit-remaining']).toBe('4');
    // After the first, these are answered from the response cache: they count all the same.
    for (let i = 0; i < 4; i++) await request(t.http).get('/v1/regions/330000').expect(200);
    expectProblem(await request(t.http).get('/v1/regions/330000'), 429);
    const limited = await request(t.http).get('/v1/topics');
    const body = expectProblem(limited, 429);
    expect(body.title).toBe('Too Many Requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) await request(t.http).get('/health/live').expect(200);
  });
});
