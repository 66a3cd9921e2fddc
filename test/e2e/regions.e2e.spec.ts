import request from 'supertest';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const catalog = readSeedCatalog();

describe('/v1/regions', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('regions')));
  afterAll(() => t.close());

  it('lists every seeded region, nation first, with paging metadata', async () => {
    const response = await request(t.http).get('/v1/regions?pageSize=200').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.meta).toEqual({ page: 1, pageSize: 200, total: catalog.regions.length, totalPages: 1 });
    expect(response.body.data).toHaveLength(catalog.regions.length);
    expect(response.body.data[0]).toEqual({ code: 'CN', nameZh: '中国', nameEn: 'China', name: 'China', level: 'nation', parentCode: null });
  });

  it('holds the 22 regions the figures name (expected values written out by hand)', async () => {
    expect((await request(t.http).get('/v1/regions?pageSize=200').expect(200)).body.meta.total).toBe(22);
    expect((await request(t.http).get('/v1/regions?level=city&pageSize=200').expect(200)).body.meta.total).toBe(11);
    expect((await request(t.http).get('/v1/regions/330000').expect(200)).body.observationCount).toBe(18);
    expect((await request(t.http).get('/v1/regions/330326').expect(200)).body).toMatchObject({ nameZh: '平阳县', level: 'district', parentCode: '330300' });
  });

  it('pages with links that keep the filters', async () => {
    const first = await request(t.http).get('/v1/regions?level=city&pageSize=2').expect(200);
    const cities = catalog.regions.filter((r) => r.level === 'city').length;
    expect(first.body.meta).toEqual({ page: 1, pageSize: 2, total: cities, totalPages: Math.ceil(cities / 2) });
    expect(first.body.links.prev).toBeNull();
    expect(first.body.links.next).toBe('/v1/regions?level=city&pageSize=2&page=2');
    const second = await request(t.http).get(first.body.links.next).expect(200);
    expect(second.body.data.map((r: { code: string }) => r.code)).not.toEqual(first.body.data.map((r: { code: string }) => r.code));
    expect(second.body.links.prev).toBe('/v1/regions?level=city&pageSize=2&page=1');
  });

  it('filters by level', async () => {
    const response = await request(t.http).get('/v1/regions?level=province&pageSize=200').expect(200);
    expect(response.body.data.length).toBeGreaterThan(3);
    for (const region of response.body.data) expect(region).toMatchObject({ level: 'province', parentCode: 'CN' });
  });

  it('filters by parent', async () => {
    const response = await request(t.http).get('/v1/regions?parent=320000').expect(200);
    const codes = response.body.data.map((r: { code: string }) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['320100', '320500']));
    for (const region of response.body.data) expect(region.parentCode).toBe('320000');
  });

  it('matches q against Chinese and English names, case-insensitively', async () => {
    const zh = await request(t.http).get('/v1/regions?q=杭州').expect(200);
    expect(zh.body.data.map((r: { code: string }) => r.code)).toEqual(['330100']);
    const en = await request(t.http).get('/v1/regions?q=hangZHOU').expect(200);
    expect(en.body.data.map((r: { code: string }) => r.code)).toEqual(['330100']);
    const none = await request(t.http).get('/v1/regions?q=%25').expect(200);
    expect(none.body.meta.total).toBe(0);
  });

  it('returns one region with its parent, children and pilot-zone status', async () => {
    const province = await request(t.http).get('/v1/regions/330000').expect(200);
    expect(province.body).toMatchObject({ code: '330000', nameZh: '浙江省', nameEn: 'Zhejiang', level: 'province', parentCode: 'CN', pilotZone: null });
    expect(province.body.parent).toEqual({ code: 'CN', nameZh: '中国', nameEn: 'China', name: 'China', level: 'nation' });
    expect(province.body.children.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['330100', '330400']));
    expect(province.body.observationCount).toBe(catalog.observations.filter((o) => o.region === '330000').length);

    const hangzhou = await request(t.http).get('/v1/regions/330100').expect(200);
    expect(hangzhou.body.pilotZone).toMatchObject({ approvalYear: 2022 });
    expect(hangzhou.body.parent.code).toBe('330000');
  });

  it('answers 404 naming the unknown code', async () => {
    const body = expectProblem(await request(t.http).get('/v1/regions/999999'), 404);
    expect(body.detail).toContain('999999');
    expect(body.type).toBe('urn:problem:not-found');
  });

  it('rejects bad filters with 400 listing each problem', async () => {
    const body = expectProblem(await request(t.http).get('/v1/regions?level=county&parent=abc&pageSize=500&colour=red'), 400);
    expect(body.errors?.map((e) => e.name).sort()).toEqual(['colour', 'level', 'pageSize', 'parent']);
    for (const error of body.errors ?? []) expect(error.location).toBe('query');
  });
});
