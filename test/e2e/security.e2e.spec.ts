import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { projectRoot } from '../../src/config/paths.js';
import { createApiKey, secretOf } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Operation = { security?: unknown[]; operationId: string };
const document = JSON.parse(readFileSync(path.join(projectRoot, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
const writes = Object.entries(document.paths).flatMap(([route, operations]) =>
  Object.entries(operations)
    .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, operation]) => ({ method: method as 'post' | 'put' | 'patch' | 'delete', route, operation })),
);

describe('access and headers', () => {
  let t: TestApp;
  let db: pg.Client;
  const secrets: string[] = [];
  beforeAll(async () => {
    t = await startTestApp('security', { LOG_LEVEL: 'verbose' });
    db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('finds the write operations in the OpenAPI document, each declaring the bearer scheme', () => {
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(write.operation.security).toEqual([{ bearer: [] }]);
  });

  it('refuses every write without a key, with a wrong or revoked key (401), and with a key lacking the scope (403); none is recorded', async () => {
    const writer = await createApiKey(t.database.url, 'security-writer');
    const revoked = await createApiKey(t.database.url, 'security-revoked');
    await db.query(`UPDATE api_keys SET revoked_at = now() WHERE name = 'security-revoked'`);
    const reader = await createApiKey(t.database.url, 'security-reader', 'sync:read');
    const wrong = `${writer.slice(0, -4)}${writer.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    secrets.push(writer, revoked, reader, wrong);
    const batchesBefore = (await db.query(`SELECT count(*) FROM sync_batches`)).rows[0].count;
    for (const { method, route } of writes) {
      const send = (authorization?: string) => {
        const req = request(t.http)[method](route);
        if (authorization) req.set('Authorization', authorization);
        return req.send({ observations: [] });
      };
      const missing = expectProblem(await send(), 401);
      expect(missing.detail).toBeTruthy();
      expect((await send()).headers['www-authenticate']).toContain('Bearer');
      expectProblem(await send(`Bearer ${wrong}`), 401);
      expectProblem(await send(`Bearer ${revoked}`), 401);
      expectProblem(await send(`Basic ${Buffer.from(`user:${writer}`).toString('base64')}`), 401);
      expectProblem(await send(`Bearer ${reader}`), 403);
    }
    expect((await db.query(`SELECT count(*) FROM sync_batches`)).rows[0].count).toBe(batchesBefore);
    // And the real key works, so the refusals above are about the keys, not the requests.
    await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${writer}`).send({ observations: [] }).expect(201);
  });

  it('stores keys hashed: no secret appears in the api_keys table', async () => {
    const stored = JSON.stringify((await db.query(`SELECT * FROM api_keys`)).rows);
    for (const secret of secrets) expect(stored).not.toContain(secretOf(secret));
  });

  it('sends security headers on data, problems, cached answers and the docs, with a CSP Swagger UI works under', async () => {
    for (const url of ['/v1/regions/330000', '/v1/regions/330000', '/v1/nowhere', '/v1/regions/33%000', '/docs', '/openapi.json']) {
      const response = await request(t.http).get(url);
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    }
    const cors = await request(t.http).get('/v1/regions/330000').set('Origin', 'https://dashboard.example');
    expect(cors.headers['access-control-allow-origin']).toBe('*');
  });

  it('never writes a key to the log, even at verbose level', () => {
    const log = t.process.output();
    expect(log).toContain('Listening on');
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secretOf(secret));
    }
    expect(log).not.toMatch(/authorization/i);
  });
});
