import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Warning = { code: string; message: string; messageEn: string; messageZh: string; cells: { region: string; indicator: string }[]; gapDays?: number };

/** One judge of comparability: compare, rankings, profiles, the pilot zones and every format give the same warnings. */
describe('comparability', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('comparability')));
  afterAll(() => t.close());

  it('warns a ranking of per-enterprise against per-business-entity figures, as compare does', async () => {
    const ranking = (await request(t.http).get('/v1/rankings/smb_outreach.loans_per_visited_entity?level=province').expect(200)).body;
    expect(ranking.entries.map((e: { region: { code: string } }) => e.region.code)).toEqual(['330000', '320000']);
    const mismatch = (ranking.warnings as Warning[]).find((w) => w.code === 'DEFINITION_MISMATCH');
    expect(mismatch?.messageEn).toContain('different counts (Enterprises visited and Business entities visited)');
    const compare = (await request(t.http).get('/v1/compare?regions=330000,320000&indicators=smb_outreach.loans_per_visited_entity').expect(200)).body;
    expect((compare.warnings as Warning[]).find((w) => w.code === 'DEFINITION_MISMATCH')?.messageEn).toBe(mismatch?.messageEn);
  });

  it('reads a profile figure against the national figure of its own date, and warns of a baseline of another date', async () => {
    const profile = (await request(t.http).get('/v1/regions/320000/profile?lang=zh').expect(200)).body;
    const figures = profile.topics.flatMap((topic: { figures: object[] }) => topic.figures) as {
      indicator: { code: string };
      observation: { asOf: string; value: number };
      nationalBaseline: { asOf: string; value: number } | null;
      baselineIndicator: string | null;
      warningCodes: string[];
    }[];
    // A figure carries its warnings' codes; the profile tells each warning once, with the cells it concerns.
    const names = (cell: { region: string; indicator: string }, region: string, indicator: string) => cell.region === region && cell.indicator === indicator;
    const warningsOf = (figure: (typeof figures)[number]) =>
      (profile.warnings as Warning[]).filter((w) =>
        w.cells.some((c) => names(c, '320000', figure.indicator.code) || (figure.nationalBaseline && names(c, 'CN', figure.baselineIndicator ?? figure.indicator.code))),
      );
    expect(new Set((profile.warnings as Warning[]).map((w) => `${w.code} ${w.messageEn}`)).size).toBe(profile.warnings.length);
    for (const figure of figures) expect(warningsOf(figure).map((w) => w.code)).toEqual(expect.arrayContaining(figure.warningCodes));
    // Jiangsu's sci-tech SME loans of end-September 2025 against the nation's 3.56万亿元 of that date, not its 4.03万亿元 of 2026,
    // and with the caveat that the provincial series is not defined as the national one (74% of the balance, 24% of the borrowers).
    const smeLoans = figures.find((f) => f.indicator.code === 'scitech_loans.scitech_sme_loan_balance_provincial')!;
    expect([smeLoans.observation.asOf, smeLoans.nationalBaseline, smeLoans.baselineIndicator]).toEqual([
      '2025-09-30',
      expect.objectContaining({ asOf: '2025-09-30', value: 3.56e12 }),
      'scitech_loans.scitech_sme_loan_balance',
    ]);
    expect(smeLoans.warningCodes).toEqual(['DEFINITION_MISMATCH']);
    expect(warningsOf(smeLoans).find((w) => w.cells.some((c) => names(c, '320000', smeLoans.indicator.code)))?.message).toContain('74%');
    const borrowers = figures.find((f) => f.indicator.code === 'scitech_loans.scitech_sme_borrowers_provincial')!;
    expect(borrowers.warningCodes).toEqual(['DEFINITION_MISMATCH']);
    // Entities visited at April 2026 against the nation's count of May 2025: warned, with the gap.
    const visited = figures.find((f) => f.indicator.code === 'smb_outreach.entities_visited')!;
    expect(visited.warningCodes).toEqual(expect.arrayContaining(['AS_OF_MISMATCH', 'INFERRED_DATE']));
    expect(warningsOf(visited).find((w) => w.code === 'AS_OF_MISMATCH')).toMatchObject({ gapDays: 334, message: expect.stringContaining('江苏省走访经营主体数') });
  });

  it('names no leader of a row only one region has a figure for', async () => {
    const compare = (await request(t.http).get('/v1/compare?regions=330000,320000&indicators=smb_outreach.entities_granted_credit').expect(200)).body;
    expect(compare.rows[0].summary.leader).toBeNull();
    expect(compare.rows[0].warningCodes).toEqual(['MISSING']);
  });

  it('speaks the request’s language, names regions and indicators by name, and says each warning once', async () => {
    const compare = (await request(t.http).get('/v1/compare?regions=330000,320000&topic=smb_outreach&lang=zh').expect(200)).body;
    const warnings = compare.warnings as Warning[];
    for (const warning of warnings) {
      expect(warning.message).toBe(warning.messageZh);
      expect(warning.message).not.toMatch(/\b(330000|320000)\b|smb_outreach\./);
    }
    expect(new Set(warnings.map((w) => `${w.code} ${w.messageEn}`)).size).toBe(warnings.length);
    const inferred = warnings.filter((w) => w.code === 'INFERRED_DATE' && w.message.startsWith('江苏省走访经营主体数'));
    expect(inferred).toHaveLength(1);
  });

  it('compares a topic with its derived indicators too', async () => {
    const compare = (await request(t.http).get('/v1/compare?regions=330000,320000&topic=smb_outreach').expect(200)).body;
    const indicators = compare.rows.map((row: { indicator: { code: string } }) => row.indicator.code);
    expect(indicators).toEqual(
      expect.arrayContaining(['smb_outreach.credit_granted_per_visited', 'smb_outreach.recommended_per_visited', 'smb_outreach.loans_per_visited_entity']),
    );
    const credit = compare.rows.find((row: { indicator: { code: string } }) => row.indicator.code === 'smb_outreach.credit_granted_per_visited');
    expect(credit.cells[0].observation.value).toBeCloseTo(24.6644295302, 8);
  });

  it('keeps every warning, and a ranking’s baseline, in CSV', async () => {
    const compare = await request(t.http).get('/v1/compare?regions=330000,320000&indicators=smb_outreach.enterprises_visited&format=csv&lang=en').expect(200);
    const [header, zhejiang, jiangsu] = compare.text.slice(1).split('\r\n');
    expect(header.split(',').at(-1)).toBe('warnings');
    expect(zhejiang).toContain('DEFINITION_MISMATCH: Zhejiang');
    expect(jiangsu).toContain('INFERRED_DATE: The date of Jiangsu');
    const ranking = await request(t.http).get('/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province&format=csv&lang=en').expect(200);
    const lines = ranking.text.slice(1).trim().split('\r\n');
    expect(lines.at(-1)).toMatch(/^national baseline,,CN,中国,China,smb_outreach\.loans_disbursed_cumulative,12600000000000,/);
    expect(lines.at(-1)).toContain('AS_OF_MISMATCH: The baseline');
  });

  it('serves the statements the documents rank and count, and ranks with 1 first', async () => {
    const zh = (
      await request(t.http).get('/v1/observations?indicator=equity_finance.bond_market_size_world_rank,scitech_enterprises.scitech_sme_count_national_rank&lang=zh').expect(200)
    ).body.data;
    // 我国债券市场…居世界第二位; 江苏…科技型中小企业…居全国第一位
    expect(zh.map((o: { region: { code: string }; value: number; display: string }) => [o.region.code, o.value, o.display])).toEqual([
      ['320000', 1, '第一位'],
      ['CN', 2, '第二位'],
    ]);
    const en = (await request(t.http).get('/v1/observations?indicator=equity_finance.bond_market_size_world_rank&lang=en').expect(200)).body.data;
    expect(en[0].display).toBe('No. 2');
    // 2024年我国智能投顾资产管理规模超190亿元: the national figure that was missing.
    const robo = (await request(t.http).get('/v1/observations?indicator=digital_finance.robo_advisory_aum').expect(200)).body.data;
    expect(robo.map((o: { value: number; qualifier: string; asOf: string }) => [o.value, o.qualifier, o.asOf])).toEqual([[19_000_000_000, 'more_than', '2024-12-31']]);
    const ranks = (
      await request(t.http)
        .get('/v1/compare?regions=320000,CN&indicators=scitech_enterprises.scitech_sme_count_national_rank,equity_finance.bond_market_size_world_rank')
        .expect(200)
    ).body;
    expect(ranks.rows.every((row: { cells: { share: number | null }[] }) => row.cells.every((c) => c.share === null))).toBe(true);
  });
});
