import { availabilityChart, MAX_CHARTED_REGIONS } from '../../src/availability/availability.chart.js';
import { wrap } from '../../src/charts/chart-parts.js';
import { rankingChart } from '../../src/rankings/rankings.chart.js';
import type { RankingDto } from '../../src/rankings/ranking.dto.js';
import type { AvailabilityDto } from '../../src/availability/availability.dto.js';

const figure = (value: number, display: string) => ({
  id: 1,
  value,
  unit: 'percent',
  valuePrinted: String(value),
  unitPrinted: '%',
  qualifier: 'exact',
  asOf: '2026-04-30',
  asOfPrecision: 'month',
  asOfInferred: false,
  periodStart: null,
  source: { id: 's', fileName: 's.txt' },
  quote: `quote ${display}`,
  display,
});
const ranking = (baseline: number): RankingDto =>
  ({
    indicator: { code: 'x.rate', name: 'Rate' },
    asOf: null,
    entries: [
      { rank: 1, region: { code: '330000', name: 'Zhejiang' }, observation: figure(20, '20%') },
      { rank: 2, region: { code: '320000', name: 'Jiangsu' }, observation: figure(10, '10%') },
    ],
    nationalBaseline: figure(baseline, `${baseline}%`),
    warnings: [],
    meta: { page: 1, pageSize: 50, total: 2, totalPages: 1 },
  }) as unknown as RankingDto;
const json = (value: unknown) => JSON.stringify(value);

describe('chart specs', () => {
  it('wraps warnings to a width, counting a Chinese character twice and keeping closing punctuation on its line', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('浙江省江苏省', 6)).toEqual(['浙江省', '江苏省']);
    expect(wrap('浙江省。江苏', 6)).toEqual(['浙江省。', '江苏']);
  });

  it('draws the national baseline as a rule only where it fits the bars, and names it otherwise', () => {
    const near = json(rankingChart(ranking(15), {}, 'en'));
    expect(near).toContain('"type":"rule"');
    expect(near).not.toContain('off the scale');
    const far = json(rankingChart(ranking(200), {}, 'en'));
    expect(far).not.toContain('"type":"rule"');
    expect(far).toContain('National 200%: off the scale, not drawn');
  });

  it('refuses a grid too large to read as a chart, naming the way to narrow it', () => {
    const regions = Array.from({ length: MAX_CHARTED_REGIONS + 1 }, (_, i) => ({ code: String(110000 + i), name: `r${i}` }));
    const body = { regions, indicators: [{ code: 'x.rate', name: 'Rate' }], data: [] } as unknown as AvailabilityDto;
    let refusal: unknown;
    try {
      availabilityChart(body, {}, 'en');
    } catch (error) {
      refusal = error;
    }
    expect((refusal as { getResponse(): object }).getResponse()).toMatchObject({
      status: 400,
      errors: [{ name: 'format', message: expect.stringContaining('narrow it with region, regionSet or topic') }],
    });
    expect(() => availabilityChart({ ...body, regions: body.regions.slice(1) }, {}, 'en')).not.toThrow();
  });
});
