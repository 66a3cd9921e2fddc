import request from 'supertest';
import { createApiKey } from '../support/api-keys.js';
import { Contract } from '../support/contract.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The day the seed is published on (it is loaded as the tests start), whose snapshot exists. */
const TODAY_IN_CHINA = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

// Requests covering every operation, successes and errors; each live response must match the document.
const READS = [
  '/v1/regions?level=province&pageSize=3',
  '/v1/regions?colour=red',
  '/v1/regions/330000',
  '/v1/regions/nowhere',
  '/v1/regions/Zhejiang/profile',
  '/v1/regions/330400/profile',
  '/v1/topics',
  '/v1/indicators?topic=smb_outreach',
  '/v1/indicators?topic=astrology',
  '/v1/indicators/smb_outreach.credit_granted_per_visited',
  '/v1/indicators/smb_outreach.enterprises_visited',
  '/v1/indicators/x.y',
  '/v1/observations?pageSize=200',
  '/v1/observations?region=330000&latest=true&lang=zh&normalizeTo=%E4%BA%BF%E5%85%83',
  '/v1/observations?from=2025-02-30',
  '/v1/observations/1',
  '/v1/observations/abc',
  '/v1/observations/999999',
  '/v1/observations/1/revisions',
  '/v1/sources',
  '/v1/sources/002_caa4a03adb5becde',
  '/v1/sources/none',
  '/v1/pilot-zones',
  '/v1/pilot-zones/370100',
  '/v1/pilot-zones/320000',
  '/v1/pilot-zones/compare',
  '/v1/pilot-zones/compare?zones=320000',
  '/v1/programs?pageSize=200',
  '/v1/programs/zheke-joint-loan',
  '/v1/programs/none',
  '/v1/compare?regions=330000,320000&topic=smb_outreach',
  '/v1/compare?regionSet=pilot-zones',
  '/v1/compare?regions=330000,320000&indicators=smb_outreach.loans_per_visited_entity,smb_outreach.credit_granted_per_visited',
  '/v1/compare?regions=Atlantis',
  '/v1/compare?asof=2026-01-01&regions=330000',
  '/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province',
  '/v1/rankings/smb_outreach.loans_per_visited_entity',
  '/v1/rankings/x.y',
  '/v1/availability?region=330000',
  '/v1/availability?topic=astrology',
  '/v1/region-sets',
  '/v1/region-sets/pilot-zones',
  '/v1/region-sets/g7',
  '/v1/changes?limit=5',
  '/v1/changes?since=abc',
  '/v1/sync/batches',
  '/v1/sync/batches/1',
  '/v1/sync/batches/999',
  '/v1/snapshots',
  '/v1/snapshots?page=0',
  '/v1/snapshots/latest',
  '/v1/snapshots/2999-01-01',
  '/v1/snapshots/latest/datapackage.json',
  '/v1/snapshots/latest/none.csv',
  `/v1/snapshots/${TODAY_IN_CHINA}/datapackage.json`,
  `/v1/snapshots/${TODAY_IN_CHINA}/observations.csv`,
  '/v1/snapshots/2026-02-30/observations.csv',
  '/v1/snapshots/2026-02-30/datapackage.json',
  '/health/live',
  '/health/ready',
];

describe('live responses match the OpenAPI document', () => {
  let t: TestApp;
  let contract: Contract;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp('contract');
    key = await createApiKey(t.database.url, 'contract');
    contract = new Contract((await request(t.http).get('/openapi.json').expect(200)).body);
  });
  afterAll(() => t.close());

  const checked = new Set<string>();
  const expectDocumented = (method: string, path: string, response: request.Response) => {
    checked.add(`${method} ${contract.template(path)}`);
    const body = response.headers['content-type']?.includes('json') ? JSON.parse(response.text) : response.text;
    expect(contract.check(method, path, response.status, response.headers['content-type'] ?? '', body)).toEqual([]);
  };

  it('for sync writes: created, dry run, rejected, unauthorized, forbidden', async () => {
    const row = {
      region: '330000',
      indicator: 'smb_outreach.enterprises_visited',
      asOf: '2026-05-31',
      asOfPrecision: 'month',
      asOfInferred: false,
      value: 6010000,
      valuePrinted: '601',
      unitPrinted: '万家',
      qualifier: 'exact',
      source: '002_caa4a03adb5becde',
      quote: 'contract',
    };
    const post = (body: object, query = '', auth = `Bearer ${key}`) => request(t.http).post(`/v1/sync/batches${query}`).set('Authorization', auth).send(body);
    expectDocumented('POST', '/v1/sync/batches', await post({ observations: [row] }));
    expectDocumented('POST', '/v1/sync/batches', await post({ observations: [{ ...row, valuePrinted: '602' }] }, '?dryRun=true'));
    expectDocumented('POST', '/v1/sync/batches', await post({ observations: [{ ...row, value: 1 }] }));
    expectDocumented('POST', '/v1/sync/batches', await post({ observations: [] }, '', 'Bearer nope'));
    const reader = await createApiKey(t.database.url, 'contract-reader', 'sync:read');
    expectDocumented('POST', '/v1/sync/batches', await post({ observations: [] }, '', `Bearer ${reader}`));
  });

  it.each(READS)('GET %s', async (path) => {
    expectDocumented('GET', path, await request(t.http).get(path));
  });

  it('covered every operation of the document', async () => {
    const document = (await request(t.http).get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.filter((op) => !checked.has(op))).toEqual([]);
  });
});
