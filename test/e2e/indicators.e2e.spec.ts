import request from 'supertest';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const catalog = readSeedCatalog();

describe('/v1/indicators and /v1/topics', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('indicators')));
  afterAll(() => t.close());

  it('lists every indicator with its unit, measure type, definitions and counts', async () => {
    const response = await request(t.http).get('/v1/indicators?pageSize=200').expect(200);
    expect(response.body.meta.total).toBe(catalog.indicators.length);
    for (const indicator of response.body.data) {
      const seeded = catalog.indicators.find((i) => i.code === indicator.code)!;
      expect(indicator).toMatchObject({ nameZh: seeded.nameZh, nameEn: seeded.nameEn, topic: seeded.topic, unit: seeded.unit, measureType: seeded.measureType });
      expect(indicator.observationCount).toBe(catalog.observations.filter((o) => o.indicator === indicator.code).length);
      expect(indicator.regionCount).toBe(new Set(catalog.observations.filter((o) => o.indicator === indicator.code).map((o) => o.region)).size);
    }
  });

  it('holds 79 measured and 4 derived indicators in 13 topics (expected values written out by hand)', async () => {
    const all = (await request(t.http).get('/v1/indicators?pageSize=200').expect(200)).body;
    expect(all.meta.total).toBe(83);
    expect(
      all.data
        .filter((i: { kind: string }) => i.kind === 'derived')
        .map((i: { code: string }) => i.code)
        .sort(),
    ).toEqual([
      'scitech_programs.loans_per_enterprise',
      'smb_outreach.credit_granted_per_visited',
      'smb_outreach.loans_per_visited_entity',
      'smb_outreach.recommended_per_visited',
    ]);
    const topics = (await request(t.http).get('/v1/topics').expect(200)).body.data;
    expect(topics).toHaveLength(13);
    expect(topics.find((topic: { code: string }) => topic.code === 'smb_outreach').indicatorCount).toBe(12);
    expect((await request(t.http).get('/v1/indicators/smb_outreach.enterprises_visited').expect(200)).body).toMatchObject({
      unit: 'count',
      measureType: 'cumulative',
      observationCount: 1,
      regionCount: 1,
    });
  });

  it('filters by topic', async () => {
    const response = await request(t.http).get('/v1/indicators?topic=smb_outreach&pageSize=200').expect(200);
    expect(response.body.meta.total).toBe(catalog.indicators.filter((i) => i.topic === 'smb_outreach').length);
    for (const indicator of response.body.data) expect(indicator.topic).toBe('smb_outreach');
  });

  it('rejects an unknown topic by name and a malformed one by rule', async () => {
    const unknown = expectProblem(await request(t.http).get('/v1/indicators?topic=astrology'), 400);
    expect(unknown.errors?.[0]).toMatchObject({ location: 'query', name: 'topic' });
    expect(unknown.errors?.[0].message).toContain('astrology');
    const malformed = expectProblem(await request(t.http).get('/v1/indicators?topic=Not%20A%20Topic'), 400);
    expect(malformed.errors?.[0].name).toBe('topic');
  });

  it('links enterprises visited and entities visited both ways, with the caveat', async () => {
    const zhejiang = await request(t.http).get('/v1/indicators/smb_outreach.enterprises_visited').expect(200);
    expect(zhejiang.body.unit).toBe('count');
    const link = zhejiang.body.comparableWith.find((c: { code: string }) => c.code === 'smb_outreach.entities_visited');
    expect(link.caveatEn).toMatch(/sole proprietor/i);
    expect(link.caveatZh).toContain('个体工商户');
    const jiangsu = await request(t.http).get('/v1/indicators/smb_outreach.entities_visited').expect(200);
    expect(jiangsu.body.comparableWith.map((c: { code: string }) => c.code)).toContain('smb_outreach.enterprises_visited');
  });

  it('answers 404 naming the unknown indicator', async () => {
    const body = expectProblem(await request(t.http).get('/v1/indicators/smb_outreach.nothing'), 404);
    expect(body.detail).toContain('smb_outreach.nothing');
  });

  it('lists the topics with their indicator counts', async () => {
    const response = await request(t.http).get('/v1/topics').expect(200);
    expect(response.body.data.map((topic: { code: string }) => topic.code).sort()).toEqual(catalog.topics.map((topic) => topic.code).sort());
    for (const topic of response.body.data) {
      expect(topic.indicatorCount).toBe(catalog.indicators.filter((i) => i.topic === topic.code).length);
    }
  });
});
