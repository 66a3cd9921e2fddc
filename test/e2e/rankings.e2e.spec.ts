import pg from 'pg';
import request from 'supertest';
import { createApiKey } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

describe('/v1/rankings, /v1/availability and conditional GETs', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('rankings')));
  afterAll(() => t.close());

  it('ranks provinces by cumulative outreach lending, with the national figure alongside', async () => {
    const { body } = await request(t.http).get('/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province').expect(200);
    expect(body.entries.map((e: { rank: number; region: { code: string }; observation: { value: number } }) => [e.rank, e.region.code, e.observation.value])).toEqual([
      [1, '330000', 6.5e12],
      [2, '320000', 3.95e12],
    ]);
    expect(body.nationalBaseline.value).toBe(12.6e12);
    // The only national figure is of May 2025, eleven months before the provinces': said, not hidden.
    const baseline = body.warnings.find((w: { code: string; cells: { region: string }[] }) => w.code === 'AS_OF_MISMATCH' && w.cells.some((c) => c.region === 'CN'));
    expect(baseline).toMatchObject({ gapDays: 334 });
    expect(baseline.messageEn).toBe(
      "The baseline, China's Cumulative loans disbursed of 2025-05-31, is 334 days older than Zhejiang's Cumulative loans disbursed of 2026-04-30: no China figure of that date is held, so the two describe different moments.",
    );
    expect(body.warnings.map((w: { code: string }) => w.code).sort()).toEqual(['AS_OF_MISMATCH', 'INFERRED_DATE', 'INFERRED_DATE']);
  });

  it('flags rankings whose figures are of different dates', async () => {
    const { body } = await request(t.http).get('/v1/rankings/pilot_zones.plan_target_years?regionSet=pilot-zones').expect(200);
    expect(body.entries).toHaveLength(7);
    const mismatch = body.warnings.find((w: { code: string }) => w.code === 'AS_OF_MISMATCH');
    expect(mismatch.gapDays).toBe(730);
    expect(mismatch.cells.map((c: { region: string }) => c.region)).not.toContain('110000');
  });

  it('filters by parent (code or name) and caps dates with asOf', async () => {
    const { body } = await request(t.http)
      .get(`/v1/rankings/pilot_zones.plan_target_years?parent=${encodeURIComponent('浙江')}`)
      .expect(200);
    expect(body.entries.map((e: { region: { code: string } }) => e.region.code).sort()).toEqual(['330100', '330400']);
    const early = await request(t.http).get('/v1/rankings/pilot_zones.plan_target_years?asOf=2021-12-31').expect(200);
    expect(early.body.entries.map((e: { region: { code: string } }) => e.region.code)).toEqual(['370100']);
  });

  it('pages a ranking: ranks count every region ranked, and the links walk the pages', async () => {
    const path = '/v1/rankings/pilot_zones.plan_target_years?regionSet=pilot-zones';
    const whole = (await request(t.http).get(path).expect(200)).body;
    expect(whole.meta).toEqual({ page: 1, pageSize: 50, total: 7, totalPages: 1 });
    const pages: { entries: unknown[]; warnings: unknown[]; nationalBaseline: unknown; links: { next: string | null } }[] = [];
    for (let next: string | null = `${path}&pageSize=3`; next; next = pages.at(-1)!.links.next) pages.push((await request(t.http).get(next).expect(200)).body);
    expect(pages.map((p) => p.entries.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.entries)).toEqual(whole.entries);
    // Every page carries the warnings and national figure of the whole ranking.
    for (const p of pages) expect([p.warnings, p.nationalBaseline]).toEqual([whole.warnings, whole.nationalBaseline]);
    expect((await request(t.http).get(`${path}&page=9`).expect(200)).body.entries).toEqual([]);
    const tooBig = expectProblem(await request(t.http).get(`${path}&pageSize=5001`), 400);
    expect(tooBig.errors?.map((e) => e.name)).toEqual(['pageSize']);
  });

  it('ranks the newest figures in SQL exactly as it ranks figures chosen from the history', async () => {
    // asOf sends a ranking through the history (as compare chooses figures); a date after every
    // figure must then give the same answer as the newest-figure table.
    const cases = [
      'smb_outreach.loans_disbursed_cumulative?level=province',
      'smb_outreach.loans_disbursed_cumulative',
      'pilot_zones.plan_target_years?regionSet=pilot-zones&pageSize=4&page=2',
      `pilot_zones.plan_target_years?parent=${encodeURIComponent('浙江')}`,
      'inclusive_finance.smb_loan_balance?level=nation',
      'inclusive_finance.smb_loan_balance',
    ];
    for (const path of cases) {
      const newest = (await request(t.http).get(`/v1/rankings/${path}`).expect(200)).body;
      const fromHistory = (
        await request(t.http)
          .get(`/v1/rankings/${path}${path.includes('?') ? '&' : '?'}asOf=2100-01-01`)
          .expect(200)
      ).body;
      expect({ ...fromHistory, asOf: null, links: null }).toEqual({ ...newest, links: null });
    }
  });

  it('answers unknown indicators with 404 and bad filters with 400', async () => {
    expectProblem(await request(t.http).get('/v1/rankings/smb_outreach.nope'), 404);
    const bad = expectProblem(await request(t.http).get('/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=county&asOf=2026-13-01'), 400);
    expect(bad.errors?.map((e) => e.name).sort()).toEqual(['asOf', 'level']);
    // A query value that names nothing is the request's mistake: 400, with the closest matches.
    expectProblem(await request(t.http).get('/v1/rankings/smb_outreach.loans_disbursed_cumulative?parent=Atlantis'), 400);
  });

  it('says which region and indicator pairs have regional totals', async () => {
    const { body } = await request(t.http).get('/v1/availability?region=330000,320000&topic=smb_outreach').expect(200);
    const pairs = body.data.map((e: { region: string; indicator: string }) => `${e.region} ${e.indicator}`);
    expect(pairs).toContain('330000 smb_outreach.enterprises_visited');
    expect(pairs).toContain('320000 smb_outreach.entities_visited');
    expect(pairs).not.toContain('320000 smb_outreach.enterprises_visited');
    const cn = await request(t.http).get('/v1/availability?region=CN&indicator=inclusive_finance.smb_loan_balance').expect(200);
    expect(cn.body.data).toEqual([
      { region: 'CN', indicator: 'inclusive_finance.smb_loan_balance', topic: 'inclusive_finance', count: 2, firstAsOf: '2025-03-31', lastAsOf: '2026-03-31' },
    ]);
    const zones = await request(t.http).get('/v1/availability?regionSet=pilot-zones&indicator=pilot_zones.plan_target_years').expect(200);
    expect(zones.body.data).toHaveLength(7);
    const unknown = expectProblem(await request(t.http).get('/v1/availability?indicator=x.y&topic=astrology'), 400);
    expect(unknown.errors?.map((e) => e.name).sort()).toEqual(['indicator', 'topic']);
  });

  it('tags every read with an ETag, answers If-None-Match with 304, and changes the tag when a figure changes', async () => {
    const path = '/v1/compare?regions=330000,320000&indicators=smb_outreach.loans_disbursed_cumulative';
    const first = await request(t.http).get(path).expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const notModified = await request(t.http).get(path).set('If-None-Match', etag).expect(304);
    expect(notModified.text).toBe('');

    const client = new pg.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      await client.query(`UPDATE observations SET quote = quote || ' ' WHERE region_code = '330000' AND indicator_code = 'smb_outreach.loans_disbursed_cumulative'`);
      // A write from outside the app reaches it by NOTIFY (or the poll), as it reaches any instance.
      const changed = await until('the changed figure is served', async () => {
        const response = await request(t.http).get(path).set('If-None-Match', etag);
        return response.status === 304 ? undefined : response;
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    } finally {
      await client.query(`UPDATE observations SET quote = rtrim(quote) WHERE region_code = '330000' AND indicator_code = 'smb_outreach.loans_disbursed_cumulative'`);
      await client.end();
    }
    for (const read of ['/v1/regions', '/v1/observations?pageSize=1', '/v1/rankings/smb_outreach.loans_disbursed_cumulative']) {
      expect((await request(t.http).get(read).expect(200)).headers.etag).toBeDefined();
    }
    const health = await request(t.http).get('/health/live').expect(200);
    expect(health.headers['cache-control']).toBe('no-store');
    expect(health.headers.etag).toBeUndefined();
  });

  it('keeps the ranks of a whole level in step with the figures written and the levels of regions', async () => {
    const indicator = 'smb_outreach.loans_disbursed_cumulative';
    const ranking = async (query: string) => {
      const newest = (await request(t.http).get(`/v1/rankings/${indicator}?${query}`).expect(200)).body;
      // The ranks a level keeps must say what ranking its figures on the spot says.
      const fromHistory = (await request(t.http).get(`/v1/rankings/${indicator}?${query}&asOf=2100-01-01`).expect(200)).body;
      expect({ ...fromHistory, asOf: null, links: null }).toEqual({ ...newest, links: null });
      return newest.entries.map((e: { rank: number; region: { code: string } }) => `${e.rank} ${e.region.code}`);
    };
    const key = await createApiKey(t.database.url, 'rankings');
    const row = (region: string, printed: number) => ({
      region,
      indicator,
      asOf: '2026-04-30',
      asOfPrecision: 'month',
      asOfInferred: false,
      value: printed * 1e12,
      valuePrinted: String(printed),
      unitPrinted: '万亿元',
      qualifier: 'exact',
      source: '002_caa4a03adb5becde',
      quote: 'test: a figure written to move the ranks',
    });
    // Shanghai enters above both provinces, then Anhui ties with Zhejiang: ties share a rank, ordered by code.
    await request(t.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [row('310000', 7)] })
      .expect(201);
    expect(await ranking('level=province')).toEqual(['1 310000', '2 330000', '3 320000']);
    await request(t.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [row('340000', 6.5)] })
      .expect(201);
    expect(await ranking('level=province')).toEqual(['1 310000', '2 330000', '2 340000', '4 320000']);
    expect(await ranking('level=province&pageSize=2&page=2')).toEqual(['2 340000', '4 320000']);
    // A region the standard moves to another level is ranked there from the same write on.
    const client = new pg.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      await client.query(`UPDATE regions SET level = 'city' WHERE code = '310000'`);
      await until('the instance has heard of the write', async () => (await request(t.http).get('/v1/regions/310000').expect(200)).body.level === 'city');
      expect(await ranking('level=province')).toEqual(['1 330000', '1 340000', '3 320000']);
      expect(await ranking('level=city')).toContain('1 310000');
    } finally {
      await client.query(`UPDATE regions SET level = 'province' WHERE code = '310000'`);
      await client.end();
    }
  });
});
