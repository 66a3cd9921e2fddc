import pg from 'pg';
import request from 'supertest';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Cell = {
  region: string;
  indicator: string;
  observation: { value: number; asOf: string; unitPrinted: string; quote: string; source: { fileName: string } } | null;
  rank: number | null;
  share: number | null;
};
type Row = {
  indicator: { code: string };
  pairedWith: { code: string; caveatEn: string }[];
  cells: Cell[];
  summary: { leader: string | null; difference: number | null; ratio: number | null; differenceUnit: string | null };
  warningCodes: string[];
};
type Warning = { code: string; messageEn: string; messageZh: string; cells: { region: string; indicator: string }[]; gapDays?: number };

describe('/v1/compare and /v1/region-sets', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('compare')));
  afterAll(() => t.close());

  const compare = async (query: string) =>
    (await request(t.http).get(`/v1/compare?${query}`).expect(200)).body as { align: string; regions: { code: string; input: string }[]; rows: Row[]; warnings: Warning[] };
  const row = (rows: Row[], code: string) => rows.find((r) => r.indicator.code === code)!;

  it('sets Zhejiang and Jiangsu outreach side by side, pairing enterprises with business entities', async () => {
    const body = await compare('regions=330000,320000&topic=smb_outreach');
    expect(body.align).toBe('latest-each');
    const visits = row(body.rows, 'smb_outreach.enterprises_visited');
    expect(visits.cells.map((c) => [c.region, c.indicator, c.observation?.value, c.observation?.unitPrinted])).toEqual([
      ['330000', 'smb_outreach.enterprises_visited', 5_960_000, '万家'],
      ['320000', 'smb_outreach.entities_visited', 4_940_000, '万户'],
    ]);
    expect(visits.pairedWith[0].caveatEn).toMatch(/sole proprietors/);
    expect(visits.summary).toEqual({ leader: '330000', difference: 1_020_000, differenceUnit: 'count', ratio: expect.closeTo(1.2065, 4) });
    expect(visits.warningCodes).toEqual(expect.arrayContaining(['DEFINITION_MISMATCH', 'INFERRED_DATE']));
    // The paired indicator gets no row of its own.
    expect(body.rows.map((r) => r.indicator.code)).not.toContain('smb_outreach.entities_visited');

    const loans = row(body.rows, 'smb_outreach.loans_disbursed_cumulative');
    expect(loans.cells.map((c) => c.observation?.value)).toEqual([6.5e12, 3.95e12]);
    expect(loans.summary.ratio).toBeCloseTo(6.5 / 3.95, 8);

    const credit = row(body.rows, 'smb_outreach.entities_granted_credit');
    expect(credit.cells[1].observation).toBeNull();
    const missing = body.warnings.find((w) => w.code === 'MISSING' && w.cells[0].indicator === 'smb_outreach.entities_granted_credit')!;
    expect(missing.cells).toEqual([{ region: '320000', indicator: 'smb_outreach.entities_granted_credit' }]);
    expect(missing.messageZh).toBe('江苏省没有获得授信户数数据。');
    for (const cell of visits.cells) expect(cell.observation!.quote).toContain(String(cell.observation!.value / 1e4));
  });

  it('accepts names as typed and echoes them back', async () => {
    const body = await compare(`regions=${encodeURIComponent('浙江')},jiangsu,${encodeURIComponent('杭州市')}&indicators=smb_outreach.loans_disbursed_cumulative`);
    expect(body.regions.map((r) => [r.code, r.input])).toEqual([
      ['330000', '浙江'],
      ['320000', 'jiangsu'],
      ['330100', '杭州市'],
    ]);
  });

  it('ranks and shares three or more regions, and warns about dates far apart and approximate figures', async () => {
    const body = await compare('regionSet=pilot-zones&indicators=pilot_zones.plan_target_years');
    expect(body.regions).toHaveLength(7);
    const years = body.rows[0];
    expect(years.cells.every((c) => c.rank === 1 && c.share === null)).toBe(true);
    expect(years.summary.leader).toBeNull();
    const gap = body.warnings.find((w) => w.code === 'AS_OF_MISMATCH')!;
    expect(gap.gapDays).toBe(730);
    expect(body.warnings.filter((w) => w.code === 'APPROXIMATE')).toHaveLength(6);
  });

  it('shares add up for amounts across three regions', async () => {
    const body = await compare('regions=CN,330000,320000&indicators=smb_outreach.loans_disbursed_cumulative');
    const cells = body.rows[0].cells;
    expect(cells.map((c) => c.rank)).toEqual([1, 2, 3]);
    expect(cells.reduce((sum, c) => sum + c.share!, 0)).toBeCloseTo(1, 10);
    expect(cells[0].share).toBeCloseTo(12.6 / (12.6 + 6.5 + 3.95), 10);
  });

  it('common-latest uses the newest shared date, and says so when there is none', async () => {
    const shared = await compare('regions=CN,320000&indicators=scitech_loans.scitech_sme_loan_balance&align=common-latest');
    expect(shared.rows[0].cells.map((c) => c.observation?.asOf)).toEqual(['2025-09-30', '2025-09-30']);
    // Jiangsu's provincial series stands in for the national one, with the caveat that they are not defined alike.
    expect(shared.rows[0].cells.map((c) => c.indicator)).toEqual(['scitech_loans.scitech_sme_loan_balance', 'scitech_loans.scitech_sme_loan_balance_provincial']);
    expect(shared.rows[0].warningCodes).toContain('DEFINITION_MISMATCH');
    const latest = await compare('regions=CN,320000&indicators=scitech_loans.scitech_sme_loan_balance');
    expect(latest.rows[0].cells.map((c) => c.observation?.asOf)).toEqual(['2026-03-31', '2025-09-30']);
    expect(latest.rows[0].warningCodes).toContain('AS_OF_MISMATCH');

    const none = await compare('regions=370100,110000&indicators=pilot_zones.plan_target_years&align=common-latest');
    expect(none.warnings.map((w) => w.code)).toContain('NO_COMMON_DATE');
    expect(none.rows[0].cells.every((c) => c.observation)).toBe(true);
  });

  it('exact uses only figures at asOf, and asOf caps the latest modes', async () => {
    const exact = await compare('regions=CN&indicators=inclusive_finance.smb_loan_balance&align=exact&asOf=2025-03-31');
    expect(exact.rows[0].cells[0].observation?.value).toBe(35.3e12);
    const capped = await compare('regions=CN&indicators=inclusive_finance.smb_loan_balance&asOf=2025-12-31');
    expect(capped.rows[0].cells[0].observation?.asOf).toBe('2025-03-31');
    const none = await compare('regions=CN&indicators=inclusive_finance.smb_loan_balance&align=exact&asOf=2025-04-01');
    expect(none.rows[0].warningCodes).toEqual(['MISSING']);
  });

  it('warns when running totals start at different dates (data the test inserts)', async () => {
    const client = new pg.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO observations (region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value, value_printed, unit_printed, qualifier, source_id, quote)
         VALUES ('310000', 'smb_outreach.loans_disbursed_cumulative', '2026-04-30', 'period', false, '2025-01-01', 1e12, '1', '万亿元', 'exact', '002_caa4a03adb5becde', 'test figure')`,
      );
      const body = await compare('regions=330000,310000&indicators=smb_outreach.loans_disbursed_cumulative');
      const scope = body.warnings.find((w) => w.code === 'SCOPE_MISMATCH')!;
      expect(scope.messageEn).toContain('2025-01-01');
      expect(scope.cells.map((c) => c.region)).toEqual(['330000', '310000']);
    } finally {
      await client.query(`UPDATE observations SET retracted_at = now() WHERE quote = 'test figure'`);
      await client.end();
    }
  });

  it('never uses a bank’s own figure as a regional total', async () => {
    const body = await compare('regions=330100&indicators=inclusive_finance.smb_loan_balance_yoy');
    expect(body.rows[0].cells[0].observation).toBeNull();
  });

  it('reads each region’s newest figures from the newest-figure table exactly as it picks them from the history', async () => {
    // asOf after every figure sends latest-each through the history; the answer must not change.
    const cases = [
      'regions=330000,320000',
      'regions=330000,320000&topic=smb_outreach',
      'regionSet=pilot-zones',
      'regions=330000,320000,CN&indicators=smb_outreach.credit_granted_per_visited,smb_outreach.loans_per_visited_entity,smb_outreach.enterprises_visited',
      'regions=浙江,江苏,苏州',
    ];
    for (const query of cases) {
      const newest = (
        await request(t.http)
          .get(`/v1/compare?${encodeURI(query)}`)
          .expect(200)
      ).body;
      const fromHistory = (
        await request(t.http)
          .get(`/v1/compare?${encodeURI(query)}&asOf=2100-01-01`)
          .expect(200)
      ).body;
      expect({ ...fromHistory, asOf: null }).toEqual(newest);
    }
  });

  it('rejects bad requests with problems naming what is wrong', async () => {
    expectProblem(await request(t.http).get('/v1/compare?indicators=smb_outreach.enterprises_visited'), 400);
    const unknownRegions = expectProblem(await request(t.http).get('/v1/compare?regions=Zhejang,999999'), 400);
    expect(unknownRegions.errors?.map((e) => e.message)).toEqual([expect.stringContaining('"Zhejang"; closest: 330000 浙江省 (Zhejiang)'), expect.stringContaining('"999999"')]);
    const unknownIndicators = expectProblem(await request(t.http).get('/v1/compare?regions=330000&indicators=smb_outreach.nope,smb_outreach.never'), 400);
    expect(unknownIndicators.errors?.map((e) => e.message)).toEqual([expect.stringContaining('"smb_outreach.nope"'), expect.stringContaining('"smb_outreach.never"')]);
    const misspelt = expectProblem(await request(t.http).get('/v1/compare?regions=330000&asof=2026-01-01'), 400);
    expect(misspelt.errors?.[0].message).toContain('did you mean "asOf"');
    expectProblem(await request(t.http).get('/v1/compare?regions=330000&asOf=2026-02-30'), 400);
    expectProblem(await request(t.http).get('/v1/compare?regions=330000&align=exact'), 400);
    expectProblem(await request(t.http).get('/v1/compare?regions=330000&align=closest'), 400);
    expectProblem(await request(t.http).get('/v1/compare?regionSet=g7'), 400);
    const many = Array.from({ length: 51 }, (_, i) => String(110101 + i)).join(',');
    expectProblem(await request(t.http).get(`/v1/compare?regions=${many}`), 400);
    expectProblem(await request(t.http).get('/v1/compare?regions=330000&topic=astrology'), 400);
  });

  describe('region sets', () => {
    it('lists the peer groups with their members', async () => {
      const { body } = await request(t.http).get('/v1/region-sets').expect(200);
      const sets = Object.fromEntries(body.data.map((s: { id: string; regions: { code: string }[] }) => [s.id, s.regions.map((r) => r.code)]));
      expect(sets['pilot-zones']).toEqual(['110000', '310000', '320100', '330100', '330400', '340100', '370100']);
      expect(sets['yangtze-river-delta']).toEqual(['310000', '320000', '330000', '340000']);
      expect(sets.provinces).toEqual(expect.arrayContaining(['110000', '320000', '330000']));
      expect(sets.provinces).not.toContain('410000');
    });

    it('returns one set, or 404 naming the known ones', async () => {
      await request(t.http).get('/v1/region-sets/yangtze-river-delta').expect(200);
      const body = expectProblem(await request(t.http).get('/v1/region-sets/g7'), 404);
      expect(body.detail).toContain('pilot-zones');
    });
  });

  describe('region lookup by name', () => {
    it.each(['330000', '浙江', '浙江省', 'Zhejiang', 'zhejiang'])('/v1/regions/%s is Zhejiang', async (name) => {
      const { body } = await request(t.http)
        .get(`/v1/regions/${encodeURIComponent(name)}`)
        .expect(200);
      expect(body.code).toBe('330000');
    });
  });
});
