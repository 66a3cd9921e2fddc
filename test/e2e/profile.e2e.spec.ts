import request from 'supertest';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createApiKey } from '../support/api-keys.js';

type Figure = {
  indicator: { code: string };
  observation: { value: number };
  nationalBaseline: { value: number } | null;
  baselineIndicator: string | null;
  baselineCaveatEn: string | null;
};

describe('/v1/regions/{code}/profile and /v1/pilot-zones/compare', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('profile')));
  afterAll(() => t.close());

  it('profiles Zhejiang by topic with national baselines, institutions and programs', async () => {
    const { body } = await request(t.http).get('/v1/regions/Zhejiang/profile').expect(200);
    expect(body.region.code).toBe('330000');
    const outreach = body.topics.find((topic: { code: string }) => topic.code === 'smb_outreach').figures as Figure[];
    const visits = outreach.find((f) => f.indicator.code === 'smb_outreach.enterprises_visited')!;
    expect(visits.observation.value).toBe(5_960_000);
    // The nation counts business entities, so the baseline is the comparable indicator, with its caveat.
    expect(visits).toMatchObject({
      nationalBaseline: { value: 67_000_000 },
      baselineIndicator: 'smb_outreach.entities_visited',
      baselineCaveatEn: expect.stringMatching(/sole proprietors/),
    });
    const loans = outreach.find((f) => f.indicator.code === 'smb_outreach.loans_disbursed_cumulative')!;
    expect(loans).toMatchObject({ observation: { value: 6.5e12 }, nationalBaseline: { value: 12.6e12 }, baselineIndicator: null });
    // A bank's or programme's own figure is listed apart, never as the province's.
    expect(body.institutionFigures.map((f: { reporter: string }) => f.reporter)).toContain('浙科联合贷');
    for (const topic of body.topics) for (const f of topic.figures as Figure[]) expect(f.indicator.code.startsWith('scitech_programs.')).toBe(false);
    expect(body.programs.map((p: { id: string }) => p.id)).toContain('zheke-joint-loan');
    expect(body.pilotZone).toBeNull();
  });

  it('includes the pilot-zone record of a zone city', async () => {
    const { body } = await request(t.http)
      .get(`/v1/regions/${encodeURIComponent('嘉兴')}/profile`)
      .expect(200);
    expect(body.pilotZone).toMatchObject({ approvalYear: 2022, batch: 2 });
    expect(body.pilotZone.distinctions.length).toBe(3);
  });

  it('answers 404 with the closest names for an unknown region', async () => {
    const body = expectProblem(await request(t.http).get('/v1/regions/Hangzou/profile'), 404);
    expect(body.detail).toContain('Hangzhou');
  });

  it('sets the pilot zones side by side', async () => {
    const { body } = await request(t.http).get('/v1/pilot-zones/compare?zones=370100,340100,330400').expect(200);
    expect(body.zones.map((z: { regionCode: string; approvalYear: number }) => [z.regionCode, z.approvalYear])).toEqual([
      ['370100', 2021],
      ['340100', 2022],
      ['330400', 2022],
    ]);
    const rows = body.comparison.rows as { indicator: { code: string }; cells: { observation: { value: number } | null }[]; warningCodes: string[] }[];
    const capital = rows.find((r) => r.indicator.code === 'pilot_zones.state_capital_injected_cumulative')!;
    expect(capital.cells.map((c) => c.observation?.value ?? null)).toEqual([null, 2.2e11, null]);
    expect(capital.warningCodes).toEqual(expect.arrayContaining(['MISSING', 'APPROXIMATE']));
    const all = await request(t.http).get('/v1/pilot-zones/compare').expect(200);
    expect(all.body.zones).toHaveLength(7);
  });

  it('refuses regions that host no pilot zone', async () => {
    const body = expectProblem(await request(t.http).get('/v1/pilot-zones/compare?zones=370100,320000'), 400);
    expect(body.errors?.[0]).toMatchObject({ name: 'zones', message: expect.stringContaining('320000 is not a pilot zone') });
  });
});

describe('the nation kept per data version', () => {
  let t: TestApp;
  let key: string;
  // Without the response cache, so only the kept national series could serve a stale baseline.
  beforeAll(async () => {
    t = await startTestApp('profile_national', { RESPONSE_CACHE: 'false' });
    key = await createApiKey(t.database.url, 'profile');
  });
  afterAll(() => t.close());

  const loansOf = async () => {
    const { body } = await request(t.http).get('/v1/regions/330000/profile').expect(200);
    const outreach = body.topics.find((topic: { code: string }) => topic.code === 'smb_outreach').figures as (Figure & { nationalBaseline: { asOf: string } | null })[];
    return outreach.find((f) => f.indicator.code === 'smb_outreach.loans_disbursed_cumulative')!;
  };

  it('reads a baseline again after a write retracts it', async () => {
    const before = await loansOf();
    expect(before.nationalBaseline).toMatchObject({ value: 12.6e12 });
    const retraction = { region: 'CN', indicator: 'smb_outreach.loans_disbursed_cumulative', asOf: before.nationalBaseline!.asOf, retract: true };
    await request(t.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [retraction] })
      .expect(201);
    const after = await loansOf();
    expect(after.nationalBaseline?.value ?? null).not.toBe(12.6e12);
    const ranking = await request(t.http).get('/v1/rankings/smb_outreach.loans_disbursed_cumulative').expect(200);
    expect(ranking.body.nationalBaseline?.value ?? null).not.toBe(12.6e12);
  });
});
