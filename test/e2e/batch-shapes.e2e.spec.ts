import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { createApiKey } from '../support/api-keys.js';
import { expectProblem, MALFORMED } from '../support/problem.js';
import { runScript } from '../support/processes.js';
import { publishedHash, runningBatches } from '../support/published.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A figure the seed does not hold: Zhejiang's enterprises visited on a date of the test's choosing. */
const figure = (asOf: string, over: Record<string, unknown> = {}) => ({
  region: '330000',
  indicator: 'smb_outreach.enterprises_visited',
  asOf,
  asOfPrecision: 'month',
  asOfInferred: false,
  value: 6_010_000,
  valuePrinted: '601',
  unitPrinted: '万家',
  qualifier: 'exact',
  source: '002_caa4a03adb5becde',
  quote: 'batch shape test',
  ...over,
});
/** The date in China `days` from now. */
const chinaDate = (days: number) => new Date(Date.now() + (8 + 24 * days) * 3_600_000).toISOString().slice(0, 10);
const indicator = (code: string, over: Record<string, unknown> = {}) => ({
  code,
  nameZh: '测试',
  nameEn: 'Test',
  topic: 'smb_outreach',
  unit: 'count',
  measureType: 'count_at_date',
  definitionZh: '测试',
  definitionEn: 'Test',
  ...over,
});

/** The batch shapes as written by hand from the reports: each once answered 500, left its batch running, or was described wrongly. */
describe('batch shapes: one schema for validation, types, the document and CSV', () => {
  let t: TestApp;
  let key: string;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('shapes');
    key = await createApiKey(t.database.url, 'shapes');
    db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}, query = '') => {
    const req = request(t.http).post(`/v1/sync/batches${query}`).set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req.send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const published = () => publishedHash(db);
  const running = () => runningBatches(db);

  it.each([
    [
      'an indicator whose comparableWith is a number',
      { indicators: [indicator('smb_outreach.shape_a', { comparableWith: 5 })] },
      '/indicators/0/comparableWith',
      'must be an array',
    ],
    ['asOf 0000-01-01', { observations: [figure('0000-01-01')] }, '/observations/0/asOf', 'a calendar date from 0001-01-01'],
    ['a NUL byte in a quote', { observations: [figure('2011-01-31', { quote: 'a\u0000b' })] }, '/observations/0/quote', 'without NUL'],
    // A name from the request is echoed with NUL spelt out: PostgreSQL cannot store the character, even in the batch log.
    ['a NUL byte in a field name', { observations: [{ ...figure('2011-02-28'), 'col\u0000our': 'red' }] }, '/observations/0/col\\u0000our', '"col\\u0000our" is not a known field'],
    ['a lone surrogate in a note', { observations: [figure('2011-03-31', { note: 'x\uD800y' })] }, '/observations/0/note', 'unpaired surrogates'],
    [
      'a topic named twice',
      {
        topics: [
          { code: 'shape_t', nameZh: '甲', nameEn: 'A' },
          { code: 'shape_t', nameZh: '乙', nameEn: 'B' },
        ],
      },
      '/topics/1',
      'repeats shape_t, named at /topics/0',
    ],
    [
      'a source named twice',
      {
        sources: [0, 1].map(() => ({
          id: 'shape-s',
          fileName: 's.txt',
          headline: 'h',
          publisher: 'p',
          publishedOn: '2011-01-31',
          publishedPrecision: 'month',
          publishedInferred: false,
        })),
      },
      '/sources/1',
      'repeats shape-s, named at /sources/0',
    ],
    [
      'a source with a stored source’s file name',
      {
        sources: [
          { id: 'shape-s2', fileName: '002_caa4a03adb5becde.txt', headline: 'h', publisher: 'p', publishedOn: '2011-01-31', publishedPrecision: 'month', publishedInferred: false },
        ],
      },
      '/sources/0',
      'which a stored row already has',
    ],
    ['a district whose city is neither stored nor sent', { regions: [{ code: '330281', nameEn: 'Yuyao' }] }, '/regions/0/code', 'its parent 330200'],
    [
      'a program launched without a precision',
      {
        programs: [
          {
            id: 'shape-p2',
            nameZh: '甲',
            nameEn: 'A',
            region: '330000',
            kind: 'platform',
            launchedOn: '2025-07-01',
            descriptionZh: '甲',
            descriptionEn: 'A',
            source: '002_caa4a03adb5becde',
            quote: 'q',
          },
        ],
      },
      '/programs/0/launchPrecision',
      'given together',
    ],
    [
      'a region named twice',
      {
        regions: [
          { code: '330102', nameEn: 'Shangcheng' },
          { code: '330102', nameEn: 'Shang Cheng' },
        ],
      },
      '/regions/1',
      'repeats 330102',
    ],
    [
      'a program named twice',
      {
        programs: [0, 1].map(() => ({
          id: 'shape-p',
          nameZh: '甲',
          nameEn: 'A',
          region: '330000',
          kind: 'platform',
          descriptionZh: '甲',
          descriptionEn: 'A',
          source: '002_caa4a03adb5becde',
          quote: 'q',
        })),
      },
      '/programs/1',
      'repeats shape-p',
    ],
    [
      'a figure named twice',
      { observations: [figure('2011-04-30'), figure('2011-04-30', { valuePrinted: '602', value: 6_020_000 })] },
      '/observations/1',
      'repeats 330000 smb_outreach.enterprises_visited 2011-04-30',
    ],
    // 9999-12-31 once became every read's newest figure; two days ahead stays ahead while the test runs.
    ['asOf 9999-12-31', { observations: [figure('9999-12-31')] }, '/observations/0/asOf', 'lies beyond'],
    ['asOf two days ahead in China', { observations: [figure(chinaDate(2))] }, '/observations/0/asOf', 'today in China'],
    [
      'a source published two days ahead',
      { sources: [{ id: 'shape-s3', fileName: 's3.txt', headline: 'h', publisher: 'p', publishedOn: chinaDate(2), publishedPrecision: 'day', publishedInferred: false }] },
      '/sources/0/publishedOn',
      'lies beyond',
    ],
    ['a figure without asOfPrecision', { observations: [{ ...figure('2011-05-31'), asOfPrecision: undefined }] }, '/observations/0/asOfPrecision', 'is required'],
  ])('answers %s with 422 naming it by JSON Pointer, writes nothing and leaves no batch running', async (what, body, pointer, message) => {
    const before = await published();
    for (const headers of [{}, { 'Idempotency-Key': `shape-${what}`.replace(/[^\x21-\x7e]/g, '_') }] as Record<string, string>[]) {
      const response = await post(body, headers);
      const problem = expectProblem(response, 422) as unknown as { errors: { pointer: string; message: string }[] };
      const error = problem.errors.find((e) => e.pointer === pointer);
      expect(error?.message).toContain(message);
    }
    expect(await published()).toBe(before);
    expect(await running()).toBe(0);
  });

  it('accepts a figure as of today in China, the horizon', async () => {
    const { body } = await post({ observations: [figure(chinaDate(0))] }, {}, '?dryRun=true').expect(200);
    expect(body.counts.observations).toMatchObject({ created: 1 });
  });

  it('refuses a body nested 100,000 deep with 400 before parsing it, with or without an Idempotency-Key', async () => {
    const deep = `{"observations":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    for (const headers of [{}, { 'Idempotency-Key': 'deep-1' }] as Record<string, string>[]) {
      const body = expectProblem(await post(deep, headers), 400, MALFORMED);
      expect(body.detail).toContain('deeper than 32');
    }
    expect(await running()).toBe(0);
  });

  it('answers a dry run that would change a figure, whatever its text, with its diff', async () => {
    await post({ observations: [figure('2012-01-31')] }).expect(201);
    const { body } = await post({ observations: [figure('2012-01-31', { quote: '新的 引文 🀄️ with "quotes"' })] }, {}, '?dryRun=true').expect(200);
    expect(body.updates).toEqual([
      {
        index: 0,
        key: { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2012-01-31', reporter: null },
        before: { quote: 'batch shape test' },
        after: { quote: '新的 引文 🀄️ with "quotes"' },
      },
    ]);
    const lone = expectProblem(await post({ observations: [figure('2012-01-31', { quote: 'half \uDC00 a pair' })] }, {}, '?dryRun=true'), 422);
    expect(lone.errors?.[0]).toMatchObject({ name: 'quote' });
    expect(await running()).toBe(0);
  });

  it('documents a batch exactly as it validates one: the same required fields and limits, with a real example', async () => {
    const document = (await request(t.http).get('/openapi.json').expect(200)).body;
    const row = document.components.schemas.ObservationRow;
    expect(row.required).toEqual(['region', 'indicator', 'asOf', 'asOfPrecision', 'asOfInferred', 'value', 'valuePrinted', 'unitPrinted', 'qualifier', 'source', 'quote']);
    expect(row.additionalProperties).toBe(false);
    expect(row.properties.quote.maxLength).toBe(5000);
    expect(document.components.schemas.Batch.properties.observations.maxItems).toBe(50_000);
    const body = document.paths['/v1/sync/batches'].post.requestBody.content['application/json'];
    expect(body.schema).toEqual({ $ref: '#/components/schemas/Batch' });
    // The example Swagger UI fills in (the media type's, not JSON Schema's) is a batch the server accepts.
    const { example } = body;
    expect(example).toEqual(document.components.schemas.Batch.examples[0]);
    const dry = await post(example, {}, '?dryRun=true').expect(200);
    expect(dry.body.counts.observations).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('names the line of each bad CSV row', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-shapes-'));
    try {
      const file = path.join(dir, 'bad.csv');
      const header = 'region,indicator,asOf,asOfPrecision,asOfInferred,value,valuePrinted,unitPrinted,qualifier,source,quote';
      const good = '330000,smb_outreach.enterprises_visited,2013-01-31,month,false,6010000,601,万家,exact,002_caa4a03adb5becde,csv line test';
      writeFileSync(file, `${header}\n${good}\n"330000","smb_outreach.enterprises_visited","2013-02-30",month,false,6010000,601,万家,exact,002_caa4a03adb5becde,"two\nlines"\n`);
      const result = await runScript('src/cli/sync.js', { DATABASE_URL: t.database.url }, ['--file', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('line 4, asOf: must be a calendar date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('syncs an export back: every figure of /v1/observations?format=csv is unchanged', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-roundtrip-'));
    try {
      const exported = await request(t.http).get('/v1/observations?format=csv&lang=zh').expect(200);
      expect(exported.text.split('\r\n')[0]).toMatch(
        /^\uFEFFregion,indicator,asOf,reporter,asOfPrecision,asOfInferred,periodStart,value,valuePrinted,unitPrinted,qualifier,program,source,quote,note,id,/,
      );
      const total = (await request(t.http).get('/v1/observations?pageSize=1').expect(200)).body.meta.total;
      const file = path.join(dir, 'export.csv');
      writeFileSync(file, exported.text);
      const before = await published();
      const result = await runScript('src/cli/sync.js', { DATABASE_URL: t.database.url }, ['--file', file]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`observations: 0 created, 0 updated, ${total} unchanged`);
      expect(await published()).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
