import request from 'supertest';
import { parse } from 'yaml';
import { expectProblem, MALFORMED } from '../support/problem.js';
import { runScript } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('health, OpenAPI and error handling', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('platform')));
  afterAll(() => t.close());

  describe('health', () => {
    it('is live without touching the database', async () => {
      const response = await request(t.http).get('/health/live').expect(200);
      expect(response.body.status).toBe('ok');
    });

    it('is ready when the database answers and no migration is pending', async () => {
      const response = await request(t.http).get('/health/ready').expect(200);
      expect(response.body.details).toMatchObject({ database: { status: 'up' }, migrations: { status: 'up', pending: false } });
    });

    it('is not ready, as a problem naming the check, while a migration is pending', async () => {
      const revert = await runScript('src/cli/migrate.js', { DATABASE_URL: t.database.url }, ['--revert']);
      expect(revert.stdout).toContain('Reverted the last migration');
      try {
        const body = expectProblem(await request(t.http).get('/health/ready'), 503) as ReturnType<typeof expectProblem> & { checks: Record<string, { status: string }> };
        expect(body.detail).toContain('migrations');
        expect(body.checks.migrations.status).toBe('down');
        expect(body.checks.database.status).toBe('up');
        const document = (await request(t.http).get('/openapi.json').expect(200)).body;
        expect(Object.keys(document.paths['/health/ready'].get.responses['503'].content)).toEqual(['application/problem+json']);
        await request(t.http).get('/health/live').expect(200);
      } finally {
        expect((await runScript('src/cli/migrate.js', { DATABASE_URL: t.database.url })).code).toBe(0);
      }
      await request(t.http).get('/health/ready').expect(200);
    });
  });

  describe('OpenAPI', () => {
    it('serves the document as JSON and YAML, with every endpoint', async () => {
      const json = await request(t.http).get('/openapi.json').expect(200);
      expect(json.body.openapi).toMatch(/^3\./);
      const paths = Object.keys(json.body.paths);
      for (const path of [
        '/v1/regions',
        '/v1/regions/{code}',
        '/v1/indicators',
        '/v1/indicators/{code}',
        '/v1/topics',
        '/v1/observations',
        '/v1/observations/{id}',
        '/v1/sources',
        '/v1/sources/{id}',
        '/v1/pilot-zones',
        '/v1/pilot-zones/{regionCode}',
        '/v1/programs',
        '/v1/programs/{id}',
        '/v1/compare',
        '/v1/region-sets',
        '/v1/region-sets/{id}',
        '/v1/rankings/{indicator}',
        '/v1/availability',
        '/v1/regions/{code}/profile',
        '/v1/pilot-zones/compare',
        '/v1/sync/batches',
        '/v1/sync/batches/{id}',
        '/v1/observations/{id}/revisions',
        '/v1/changes',
        '/health/live',
        '/health/ready',
      ]) {
        expect(paths).toContain(path);
      }
      const yaml = await request(t.http).get('/openapi.yaml').expect(200);
      expect(parse(yaml.text)).toEqual(json.body);
    });

    it('describes DTOs as schemas, with the page envelope and problem responses', async () => {
      const { body } = await request(t.http).get('/openapi.json').expect(200);
      const schemas = body.components.schemas;
      expect(schemas.ObservationDto.properties.value.type).toBe('number');
      expect(schemas.ObservationPageDto.properties.data.items.$ref).toBe('#/components/schemas/ObservationDto');
      expect(schemas.ObservationPageDto.properties.meta.$ref ?? schemas.ObservationPageDto.allOf).toBeDefined();
      const list = body.paths['/v1/observations'].get;
      expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['region', 'indicator', 'topic', 'from', 'to', 'latest', 'sort', 'page', 'pageSize']),
      );
      expect(list.responses['400'].content['application/problem+json']).toBeDefined();
    });

    it('serves Swagger UI at /docs', async () => {
      const response = await request(t.http).get('/docs').redirects(1).expect(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toContain('swagger');
    });
  });

  describe('errors', () => {
    it('answers an unknown route with a problem naming the path', async () => {
      const body = expectProblem(await request(t.http).get('/v1/nothing-here'), 404);
      expect(body.detail).toContain('/v1/nothing-here');
      expect(body.instance).toBe('/v1/nothing-here');
    });

    it('refuses URLs over 8192 characters with 414', async () => {
      const body = expectProblem(await request(t.http).get(`/v1/compare?regions=${'3'.repeat(9000)}`), 414);
      expect(body.detail).toContain('8192');
    });

    it('lets pages on other origins read, and preflights writes', async () => {
      const read = await request(t.http).get('/v1/topics').set('Origin', 'https://dashboard.example').expect(200);
      expect(read.headers['access-control-allow-origin']).toBe('*');
      expect(read.headers['access-control-expose-headers']).toContain('ETag');
      const preflight = await request(t.http)
        .options('/v1/sync/batches')
        .set('Origin', 'https://etl.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
    });

    it.each([
      ['POST', '/v1/regions'],
      ['DELETE', '/v1/regions/330000'],
      ['PUT', '/v1/sync/batches/1'],
      ['PATCH', '/v1/observations/1'],
    ])('answers %s %s with 405 and the methods it allows', async (method, path) => {
      const response = await request(t.http)[method.toLowerCase() as 'post'](path).send({ code: '330000' });
      const body = expectProblem(response, 405);
      expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(body.detail).toContain(method);
    });

    it('answers 406 when the Accept header admits nothing the endpoint serves', async () => {
      const xml = expectProblem(await request(t.http).get('/v1/regions').set('Accept', 'application/xml'), 406);
      expect(xml.detail).toContain('application/json');
      // CSV is offered where the endpoint says so, not on every read.
      expectProblem(await request(t.http).get('/v1/regions').set('Accept', 'text/csv'), 406);
      const csv = await request(t.http).get('/v1/observations?region=330000').set('Accept', 'text/csv').expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      // A browser's Accept header ends in */*.
      await request(t.http).get('/v1/regions').set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8').expect(200);
    });

    it.each([
      ['/v1/regions/%E0%A4%A', 400, MALFORMED],
      ['/v1/regions/' + 'x'.repeat(300), 414, undefined],
      ["/v1/regions/330000'%20OR%201=1--", 404, undefined],
      ['/v1/indicators/%00', 400, MALFORMED],
      ['/v1/sources/..%2F..%2Fetc%2Fpasswd', 404, undefined],
      ['/v1/pilot-zones/%F0%9F%92%A9', 404, undefined],
      ['/v1/programs/%20', 404, undefined],
      ['/v1/observations?region=%E0%A4%A', 400, undefined],
      ['/v1/observations?pageSize=-5', 400, undefined],
      ['/v1/observations?from[]=2025-01-01', 400, undefined],
      ['/v1/regions?q=' + 'y'.repeat(100), 400, undefined],
    ])('answers %s with %d', async (path, status, type) => {
      expectProblem(await request(t.http).get(path), status, type);
    });
  });
});
