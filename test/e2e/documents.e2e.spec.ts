import request from 'supertest';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const catalog = readSeedCatalog();

describe('/v1/sources, /v1/programs and /v1/pilot-zones', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('documents')));
  afterAll(() => t.close());

  it('serves the documents and their schemes as printed (expected values written out by hand)', async () => {
    const sources = (await request(t.http).get('/v1/sources').expect(200)).body.data;
    expect(sources.map((s: { id: string; observationCount: number }) => [s.id, s.observationCount])).toEqual([
      ['000_a8cff451ae9098ff', 11],
      ['001_5ecbe001600a554c', 31],
      ['002_caa4a03adb5becde', 22],
      ['003_e7cc058221890615', 16],
      ['004_b44d97a985fe080b', 23],
    ]);
    expect(sources[2]).toMatchObject({ headline: '金融业服务小微如何提质', publishedOn: '2026-05-31', publishedInferred: true });
    expect((await request(t.http).get('/v1/programs?pageSize=200').expect(200)).body.meta.total).toBe(41);
    // 浙江省共有27家银行参与“浙科联合贷”，累计为197家企业发放贷款108.7亿元 … 授信上限提升至5000万元以上，明星项目最高可达2亿元
    const zheke = (await request(t.http).get('/v1/programs/zheke-joint-loan').expect(200)).body;
    expect(zheke.nameZh).toBe('浙科联合贷');
    expect(zheke.observations.map((o: { value: number; qualifier: string }) => [o.value, o.qualifier]).sort((a: number[], b: number[]) => a[0] - b[0])).toEqual([
      // 三个阶段, 3个创新点
      [3, 'exact'],
      [3, 'exact'],
      [27, 'exact'],
      [197, 'exact'],
      [50_000_000, 'at_least'],
      [200_000_000, 'up_to'],
      [10_870_000_000, 'exact'],
    ]);
  });

  describe('sources', () => {
    it('lists the five documents with publication dates and whether they were inferred', async () => {
      const response = await request(t.http).get('/v1/sources').expect(200);
      expect(response.body.meta.total).toBe(5);
      for (const source of response.body.data) {
        const seeded = catalog.sources.find((s) => s.id === source.id)!;
        expect(source).toMatchObject({ fileName: seeded.fileName, publishedOn: seeded.publishedOn, publishedInferred: seeded.publishedInferred });
        expect(source.observationCount).toBe(catalog.observations.filter((o) => o.source === source.id).length);
      }
    });

    it('finds one by id or by file name', async () => {
      const [seeded] = catalog.sources;
      const byId = await request(t.http).get(`/v1/sources/${seeded.id}`).expect(200);
      const byFile = await request(t.http).get(`/v1/sources/${seeded.fileName}`).expect(200);
      expect(byFile.body).toEqual(byId.body);
      expectProblem(await request(t.http).get('/v1/sources/005_missing.txt'), 404);
    });
  });

  describe('programs', () => {
    it('lists every program, filterable by region and kind', async () => {
      const all = await request(t.http).get('/v1/programs?pageSize=200').expect(200);
      expect(all.body.meta.total).toBe(catalog.programs.length);
      const zhejiang = await request(t.http).get('/v1/programs?region=330000&pageSize=200').expect(200);
      expect(zhejiang.body.meta.total).toBe(catalog.programs.filter((p) => p.region === '330000').length);
      expect(zhejiang.body.data.map((p: { nameZh: string }) => p.nameZh)).toContain('浙科联合贷');
      const platforms = await request(t.http).get('/v1/programs?kind=platform&pageSize=200').expect(200);
      expect(platforms.body.meta.total).toBe(catalog.programs.filter((p) => p.kind === 'platform').length);
    });

    it('returns one program with its own figures', async () => {
      const withFigures = catalog.programs.find((p) => catalog.observations.some((o) => o.program === p.id))!;
      const response = await request(t.http).get(`/v1/programs/${withFigures.id}`).expect(200);
      const expected = catalog.observations.filter((o) => o.program === withFigures.id);
      expect(response.body.observationCount).toBe(expected.length);
      expect(response.body.observations).toHaveLength(expected.length);
      for (const o of response.body.observations) expect(o).toMatchObject({ scope: 'program', program: { id: withFigures.id } });
    });

    it('answers 404 for an unknown program and 400 for bad filters', async () => {
      expectProblem(await request(t.http).get('/v1/programs/no-such-scheme'), 404);
      const body = expectProblem(await request(t.http).get('/v1/programs?kind=casino&region=x'), 400);
      expect(body.errors?.map((e) => e.name).sort()).toEqual(['kind', 'region']);
    });
  });

  describe('pilot zones', () => {
    it('lists the seven zones in approval order', async () => {
      const response = await request(t.http).get('/v1/pilot-zones').expect(200);
      const zones = response.body.data as { regionCode: string; approvalYear: number; distinctions: unknown[] }[];
      expect(zones.map((z) => [z.regionCode, z.approvalYear])).toEqual(
        [['370100', 2021], ...['310000', '320100', '330100', '330400', '340100'].map((code) => [code, 2022]).sort(), ['110000', 2023]].sort(
          (a, b) => (a[1] as number) - (b[1] as number) || String(a[0]).localeCompare(String(b[0])),
        ),
      );
      expect(zones.reduce((n, z) => n + z.distinctions.length, 0)).toBe(catalog.pilotZones.reduce((n, z) => n + z.distinctions.length, 0));
    });

    it('returns one zone with its cited distinctions', async () => {
      const response = await request(t.http).get('/v1/pilot-zones/370100').expect(200);
      expect(response.body).toMatchObject({ regionCode: '370100', approvalYear: 2021, batch: 1, region: { code: '370100', nameZh: '济南市' } });
      for (const distinction of response.body.distinctions) expect(distinction.quote.length).toBeGreaterThan(4);
    });

    it('answers 404 for a region without a zone', async () => {
      const body = expectProblem(await request(t.http).get('/v1/pilot-zones/320500'), 404);
      expect(body.detail).toContain('320500');
    });
  });
});
