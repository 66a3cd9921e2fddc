import request from 'supertest';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** One query vocabulary: every endpoint names regions, topics, indicators and languages the same way. */
describe('the query vocabulary', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('vocabulary')));
  afterAll(() => t.close());
  const get = (path: string) => request(t.http).get(encodeURI(path));
  const codes = (items: { code?: string; region?: { code: string } | string }[]) => items.map((i) => i.code ?? (typeof i.region === 'string' ? i.region : i.region?.code));

  it.each([
    ['/v1/observations?region=浙江&indicator=smb_outreach.enterprises_visited', (b: { data: { region: { code: string } }[] }) => b.data.map((o) => o.region.code), ['330000']],
    ['/v1/programs?region=浙江&kind=loan_product', (b: { data: { region: { code: string } }[] }) => [...new Set(b.data.map((p) => p.region.code))], ['330000']],
    ['/v1/regions?parent=浙江省', (b: { data: { code: string }[] }) => b.data.map((r) => r.code), ['330100', '330300', '330400', '330600']],
    ['/v1/availability?region=Zhejiang&indicator=smb_outreach.enterprises_visited', (b: { data: { region: string }[] }) => b.data.map((e) => e.region), ['330000']],
    ['/v1/rankings/pilot_zones.plan_target_years?parent=江苏', (b: { entries: { region: { code: string } }[] }) => b.entries.map((e) => e.region.code), ['320100']],
    [
      '/v1/compare?regions=浙江省,Jiangsu&indicators=smb_outreach.loans_disbursed_cumulative',
      (b: { regions: { code: string }[] }) => b.regions.map((r) => r.code),
      ['330000', '320000'],
    ],
    [
      '/v1/observations?region=yangtze-river-delta&indicator=smb_outreach.loans_disbursed_cumulative',
      (b: { data: { region: { code: string } }[] }) => b.data.map((o) => o.region.code).sort(),
      ['320000', '330000'],
    ],
    ['/v1/regions/浙江/profile', (b: { region: { code: string } }) => [b.region.code], ['330000']],
    ['/v1/pilot-zones/济南', (b: { regionCode: string }) => [b.regionCode], ['370100']],
  ])('takes a region by code or name on %s', async (path, read, expected) => {
    expect(read((await get(path).expect(200)).body as never)).toEqual(expected);
  });

  it('suggests the place a name belongs to, and the regions a code sits in', async () => {
    const zhongguancun = expectProblem(await get('/v1/compare?regions=中关村'), 400);
    expect(zhongguancun.errors?.[0]).toMatchObject({ name: 'regions', message: 'no region matches "中关村"; closest: 110000 北京市 (Beijing)' });
    // 110100 is no GB/T 2260 code of a region with figures: the municipality it belongs to, not Zhengzhou or Chengdu.
    const beijingCity = expectProblem(await get('/v1/regions/110100'), 404);
    expect(beijingCity.detail).toBe('No region matches "110100"; closest: 110000 北京市 (Beijing).');
    const suzhouDistrict = expectProblem(await get('/v1/regions/320506/profile'), 404);
    expect(suzhouDistrict.detail).toContain('closest: 320500 苏州市 (Suzhou), 320000 江苏省 (Jiangsu)');
  });

  it('answers a path naming nothing with 404 and a query value naming nothing with 400, the same everywhere', async () => {
    for (const path of ['/v1/indicators/smb_outreach.nope', '/v1/rankings/smb_outreach.nope', '/v1/regions/Atlantis', '/v1/sources/009_missing', '/v1/pilot-zones/Atlantis']) {
      expectProblem(await get(path), 404);
    }
    for (const path of [
      '/v1/indicators?topic=smb_outreac',
      '/v1/observations?topic=smb_outreac',
      '/v1/compare?regions=330000&topic=smb_outreac',
      '/v1/availability?topic=smb_outreac',
    ]) {
      const body = expectProblem(await get(path), 400);
      expect(body.errors).toEqual([{ location: 'query', name: 'topic', message: 'no topic "smb_outreac"; closest: smb_outreach' }]);
    }
  });

  it('reports every bad parameter of a request in one response, each with its own message', async () => {
    const body = expectProblem(await get('/v1/observations?lang=xx&sort=bad&latest=yes&pageSize=abc&region=Atlantis&toString=1&constructor=1'), 400);
    const byName = new Map((body.errors ?? []).map((e) => [e.name, e.message]));
    expect([...byName.keys()].sort()).toEqual(['constructor', 'lang', 'latest', 'pageSize', 'region', 'sort', 'toString']);
    expect(byName.get('pageSize')).toBe('pageSize must be a whole number from 1 to 200');
    expect(byName.get('lang')).toContain('zh or en');
    expect(byName.get('toString')).toContain('"toString" is not a known parameter');
    expect(byName.get('region')).toContain('no region matches "Atlantis"');
  });

  it('speaks the language asked for on every read: lang as any tag of zh or en, else Accept-Language by its q-values', async () => {
    for (const lang of ['zh', 'zh-CN', 'zh-Hans', 'ZH_hant']) {
      const response = await get(`/v1/regions/330000?lang=${lang}`).expect(200);
      expect([response.headers['content-language'], response.body.name]).toEqual(['zh', '浙江省']);
    }
    const weighted = await request(t.http).get('/v1/regions/330000').set('Accept-Language', 'en;q=0.1, zh').expect(200);
    expect([weighted.headers['content-language'], weighted.body.name]).toEqual(['zh', '浙江省']);
    for (const path of [
      '/v1/changes?lang=zh&limit=1',
      '/v1/topics?lang=en',
      '/v1/region-sets?lang=zh',
      '/v1/observations/1/revisions?lang=zh',
      '/v1/sources/002_caa4a03adb5becde?lang=en',
    ]) {
      await get(path).expect(200);
    }
    expect(codes((await get('/v1/topics?lang=zh').expect(200)).body.data)).toContain('smb_outreach');
  });
});
