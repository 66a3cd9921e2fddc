import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('languages, display forms, rescaling and CSV', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('representation')));
  afterAll(() => t.close());

  const outreach = '/v1/compare?regions=330000,320000&indicators=smb_outreach.loans_disbursed_cumulative';

  it('names things and displays figures in the language asked for', async () => {
    const zh = await request(t.http).get(`${outreach}&lang=zh`).expect(200);
    expect(zh.headers['content-language']).toBe('zh');
    expect(zh.body.regions[0].name).toBe('浙江省');
    expect(zh.body.rows[0].indicator.name).toBe('累计发放贷款');
    expect(zh.body.rows[0].cells.map((c: { observation: { display: string } }) => c.observation.display)).toEqual(['6.5万亿元', '3.95万亿元']);

    const en = await request(t.http).get(outreach).set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(en.body.regions[0].name).toBe('Zhejiang');
    expect(en.body.rows[0].cells[0].observation.display).toBe('6.5 trillion yuan');
    const fromHeader = await request(t.http).get(outreach).set('Accept-Language', 'zh-CN').expect(200);
    expect(fromHeader.body.rows[0].cells[0].observation.display).toBe('6.5万亿元');

    const qualified = await request(t.http).get('/v1/compare?regions=CN&indicators=smb_outreach.entities_visited&lang=zh').expect(200);
    expect(qualified.body.rows[0].cells[0].observation.display).toBe('超6700万户');
  });

  it('rescales values to the unit asked for, beside the base value', async () => {
    const { body } = await request(t.http)
      .get(`${outreach}&normalizeTo=${encodeURIComponent('亿元')}`)
      .expect(200);
    const [zhejiang] = body.rows[0].cells;
    expect(zhejiang.observation.value).toBe(6.5e12);
    expect(zhejiang.observation.scaled).toEqual({ value: 65000, unit: '亿元' });
    const counts = await request(t.http).get('/v1/observations?region=330000&indicator=smb_outreach.enterprises_visited&normalizeTo=ten-thousand').expect(200);
    expect(counts.body.data[0].scaled).toEqual({ value: 596, unit: '10 thousand' });
    const other = await request(t.http).get('/v1/observations?region=330000&indicator=smb_outreach.enterprises_visited&normalizeTo=trillion-yuan').expect(200);
    expect(other.body.data[0].scaled).toBeUndefined();
  });

  it('serves observations, comparisons and rankings as CSV with a byte-order mark', async () => {
    const compare = await request(t.http).get(`${outreach}&format=csv&lang=zh`).expect(200);
    expect(compare.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(compare.headers['content-disposition']).toBe('attachment; filename="compare.csv"');
    expect(compare.text.charCodeAt(0)).toBe(0xfeff);
    const lines = compare.text.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].split(',').slice(0, 4)).toEqual(['indicator_code', 'indicator_name_zh', 'indicator_name_en', 'region_code']);
    expect(lines[1]).toContain('浙江省');
    expect(lines[1]).toContain(',6500000000000,CNY,6.5万亿元,');

    const observations = await request(t.http).get('/v1/observations?region=330000').set('Accept', 'text/csv').expect(200);
    expect(observations.text.slice(1).trim().split('\r\n')).toHaveLength(1 + 18);
    // A quote with a comma is quoted, so the column count holds.
    expect(observations.text).toMatch(/"[^"]*，?[^"]*,[^"]*"/);

    const ranking = await request(t.http).get('/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province&format=csv').expect(200);
    expect(ranking.text.slice(1).split('\r\n')[1]).toMatch(/^ranked,1,330000,浙江省,Zhejiang,/);
  });

  it('answers HEAD with the headers GET gives, and gives CSV only to an Accept that admits it', async () => {
    for (const [path, accept] of [
      ['/v1/observations?region=330000&format=csv', undefined],
      ['/v1/observations?region=330000', 'text/csv'],
      ['/v1/compare?regions=330000,320000&topic=smb_outreach', 'text/csv, application/json;q=0.5'],
    ] as const) {
      // The same request headers for both (superagent asks for gzip on GET only).
      const headers = { 'Accept-Encoding': 'gzip', ...(accept ? { Accept: accept } : {}) };
      const got = await request(t.http).get(path).set(headers);
      const headed = await request(t.http).head(path).set(headers);
      expect(got.status).toBe(200);
      expect(headed.status).toBe(200);
      for (const name of ['content-type', 'content-disposition', 'content-language', 'content-length', 'etag', 'vary'])
        expect([name, headed.headers[name]]).toEqual([name, got.headers[name]]);
      expect(got.headers['content-type']).toBe('text/csv; charset=utf-8');
    }
    // q=0 is "not acceptable": never CSV, whatever else the header says.
    const refused = await request(t.http).get('/v1/observations?region=330000').set('Accept', 'text/csv;q=0, application/json;q=0.5').expect(200);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expectProblem(await request(t.http).get('/v1/observations?region=330000').set('Accept', 'text/csv;q=0'), 406);
  });

  it('rejects unknown languages, units and formats', async () => {
    expectProblem(await request(t.http).get(`${outreach}&lang=fr`), 400);
    expectProblem(await request(t.http).get(`${outreach}&normalizeTo=gallons`), 400);
    expectProblem(await request(t.http).get(`${outreach}&format=xml`), 400);
    expectProblem(await request(t.http).get('/v1/regions?format=csv'), 400);
    expectProblem(await request(t.http).get('/v1/observations/1?lang=fr'), 400);
  });

  it('rejects unknown parameters on endpoints without filters, suggesting the right one', async () => {
    const body = expectProblem(await request(t.http).get('/v1/regions/330000?lnag=zh'), 400);
    expect(body.errors?.[0]).toMatchObject({ location: 'query', name: 'lnag', message: expect.stringContaining('did you mean "lang"') });
    expectProblem(await request(t.http).get('/v1/pilot-zones?asof=2025-01-01'), 400);
    expectProblem(await request(t.http).get('/v1/topics?page=2'), 400);
    await request(t.http).get('/v1/regions/330000?lang=zh').expect(200);
  });

  it('lays a comparison out wide for spreadsheets: a line per region, columns per indicator, the warnings beside', async () => {
    const url = '/v1/compare?regions=330000,320000&indicators=smb_outreach.enterprises_visited,smb_outreach.loans_disbursed_cumulative&lang=zh';
    const wide = await request(t.http).get(`${url}&format=csv&shape=wide`).expect(200);
    const lines: Record<string, string>[] = parse(wide.text.replace(/^\uFEFF/, ''), { columns: true });
    expect(lines.map((line) => [line.region_code, line.region_name_zh])).toEqual([
      ['330000', '浙江省'],
      ['320000', '江苏省'],
    ]);
    // Written from the documents: 596万家 enterprises and 6.5万亿元 in Zhejiang; Jiangsu's 494万户 entities fill its cell.
    expect(lines[0]).toMatchObject({ 'smb_outreach.enterprises_visited': '5960000', 'smb_outreach.loans_disbursed_cumulative': '6500000000000' });
    expect(lines[1]).toMatchObject({ 'smb_outreach.enterprises_visited': '4940000', 'smb_outreach.enterprises_visited figure_indicator': 'smb_outreach.entities_visited' });
    expect(lines[1].warnings).toContain('smb_outreach.enterprises_visited: DEFINITION_MISMATCH');
    expectProblem(await request(t.http).get(`${url}&shape=wide`), 400);
  });
});
