import pg from 'pg';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Observation = { id: number | null; value: number; source: unknown; quote: string | null; inputs?: { id: number; value: number; quote: string }[] };

describe('derived indicators', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('derived')));
  afterAll(() => t.close());

  it('are listed with kind and formula', async () => {
    const { body } = await request(t.http).get('/v1/indicators/smb_outreach.credit_granted_per_visited').expect(200);
    expect(body).toMatchObject({
      kind: 'derived',
      unit: 'percent',
      formula: {
        numerator: 'smb_outreach.entities_granted_credit',
        denominator: 'smb_outreach.enterprises_visited',
        expression: 'smb_outreach.entities_granted_credit / smb_outreach.enterprises_visited × 100',
      },
    });
    const measured = await request(t.http).get('/v1/indicators/smb_outreach.enterprises_visited').expect(200);
    expect(measured.body).toMatchObject({ kind: 'measured', formula: null });
  });

  it('compute the outreach funnel in compare, citing both inputs', async () => {
    const { body } = await request(t.http)
      .get('/v1/compare?regions=330000,320000&indicators=smb_outreach.credit_granted_per_visited,smb_outreach.recommended_per_visited,smb_outreach.loans_per_visited_entity')
      .expect(200);
    const rows = Object.fromEntries(body.rows.map((r: { indicator: { code: string } }) => [r.indicator.code, r])) as Record<
      string,
      { cells: { observation: Observation | null }[]; warningCodes: string[]; summary: { ratio: number } }
    >;

    const credit = rows['smb_outreach.credit_granted_per_visited'];
    const zj = credit.cells[0].observation!;
    expect(zj.value).toBeCloseTo((147 / 596) * 100, 8);
    expect(zj).toMatchObject({ id: null, source: null, quote: null });
    expect(zj.inputs!.map((i) => i.value)).toEqual([1_470_000, 5_960_000]);
    for (const input of zj.inputs!) expect(input.quote).toContain('截至2026年4月末');
    // Jiangsu publishes no credit-granted count: the derived value is missing, not an error.
    expect(credit.cells[1].observation).toBeNull();
    expect(credit.warningCodes).toEqual(['MISSING']);

    expect(rows['smb_outreach.recommended_per_visited'].cells[0].observation!.value).toBeCloseTo((172 / 596) * 100, 8);

    // Jiangsu's loans per business entity visited stands against Zhejiang's per enterprise visited, with the caveat.
    const perVisit = rows['smb_outreach.loans_per_visited_entity'];
    expect(perVisit.cells.map((c) => c.observation!.value)).toEqual([expect.closeTo(6.5e12 / 5.96e6, 3), expect.closeTo(3.95e12 / 4.94e6, 3)]);
    expect(perVisit.warningCodes).toContain('DEFINITION_MISMATCH');
    const mismatch = body.warnings.find((w: { code: string; messageEn: string }) => w.code === 'DEFINITION_MISMATCH' && w.messageEn.includes('divide'));
    expect(mismatch.messageEn).toMatch(/sole proprietors/);
    expect(perVisit.summary.ratio).toBeCloseTo(6.5e12 / 5.96e6 / (3.95e12 / 4.94e6), 8);
  });

  it('rank like any indicator, with the national value alongside', async () => {
    const { body } = await request(t.http).get('/v1/rankings/smb_outreach.loans_per_visited_entity?level=province').expect(200);
    expect(body.entries.map((e: { region: { code: string } }) => e.region.code)).toEqual(['330000', '320000']);
    expect(body.nationalBaseline.value).toBeCloseTo(12.6e12 / 6.7e7, 3);
    expect(body.nationalBaseline.qualifier).toBe('about');
  });

  it('give loans per firm for a programme from its own figures', async () => {
    const { body } = await request(t.http).get('/v1/programs/zheke-joint-loan').expect(200);
    const [perFirm] = body.derivedFigures;
    expect(perFirm).toMatchObject({ indicator: { code: 'scitech_programs.loans_per_enterprise' }, unit: 'CNY', asOf: '2025-12-31', asOfInferred: true });
    expect(perFirm.value).toBeCloseTo(108.7e8 / 197, 3);
    expect(perFirm.inputs.map((i: { valuePrinted: string }) => i.valuePrinted)).toEqual(['108.7', '197']);
  });

  it('never hold stored figures', async () => {
    const client = new pg.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      await expect(
        client.query(
          `INSERT INTO observations (region_code, indicator_code, as_of, as_of_precision, as_of_inferred, value, value_printed, unit_printed, qualifier, source_id, quote)
           VALUES ('330000', 'smb_outreach.credit_granted_per_visited', '2026-04-30', 'month', false, 25, '25', '%', 'exact', '002_caa4a03adb5becde', 'x')`,
        ),
      ).rejects.toThrow(/is derived/);
    } finally {
      await client.end();
    }
  });
});
