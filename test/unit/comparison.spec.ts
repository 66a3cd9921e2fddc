import { buildRows, commonLatestDate, competitionRanks, daysBetween, pick, rowWarnings, summarize, type Cell, type Figure, type IndicatorInfo } from '../../src/compare/comparison.js';

const indicator = (code: string, over: Partial<IndicatorInfo> = {}): IndicatorInfo => ({ code, nameZh: code, nameEn: code, topic: 't', unit: 'CNY', measureType: 'balance', ...over });
let nextId = 1;
const figure = (regionCode: string, indicatorCode: string, asOf: string, value: number, over: Partial<Figure> = {}): Figure => ({
  id: nextId++, regionCode, indicatorCode, asOf, asOfPrecision: 'month', asOfInferred: false, periodStart: null, value, qualifier: 'exact', ...over,
});
const cell = (region: string, f: Figure | null, ind = f?.indicatorCode ?? 'x.a'): Cell => ({ region, indicator: ind, figure: f, rank: null, share: null });

describe('comparison arithmetic', () => {
  it('counts days between dates', () => {
    expect(daysBetween('2025-03-31', '2025-04-30')).toBe(30);
    expect(daysBetween('2024-12-31', '2023-12-31')).toBe(366);
  });

  it('ranks with ties sharing a rank', () => {
    expect(competitionRanks([5, 9, 5, 1])).toEqual([2, 1, 2, 4]);
    expect(competitionRanks([])).toEqual([]);
    // Against the definition (1 + how many are larger) on many ties and negatives.
    const values = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 37) - 18);
    expect(competitionRanks(values)).toEqual(values.map((v) => 1 + values.filter((o) => o > v).length));
  });

  it('picks the newest figure, capped by asOf, or exactly at asOf', () => {
    const series = [figure('A', 'x.a', '2025-03-31', 1), figure('A', 'x.a', '2025-06-30', 2)];
    expect(pick(series, 'latest-each', undefined)?.value).toBe(2);
    expect(pick(series, 'latest-each', '2025-05-01')?.value).toBe(1);
    expect(pick(series, 'exact', '2025-03-31')?.value).toBe(1);
    expect(pick(series, 'exact', '2025-04-01')).toBeNull();
  });

  it('finds the newest date every series has', () => {
    const a = [figure('A', 'x.a', '2025-03-31', 1), figure('A', 'x.a', '2025-06-30', 2)];
    const b = [figure('B', 'x.a', '2025-03-31', 1), figure('B', 'x.a', '2025-09-30', 2)];
    expect(commonLatestDate([a, b])).toBe('2025-03-31');
    expect(commonLatestDate([a, []])).toBeUndefined();
  });

  it('gives difference and ratio for two regions, in percentage points for percentages', () => {
    const cells = [cell('A', figure('A', 'x.g', '2025-03-31', 16)), cell('B', figure('B', 'x.g', '2025-03-31', 9.7))];
    expect(summarize(cells, indicator('x.g', { unit: 'percent', measureType: 'yoy_growth' }))).toEqual({ leader: 'A', difference: 6.3, differenceUnit: 'percentage_points', ratio: 1.64948453608 });
  });

  it('gives shares only for additive measures across three or more regions', () => {
    const amounts = ['A', 'B', 'C'].map((r, i) => cell(r, figure(r, 'x.a', '2025-03-31', [50, 30, 20][i])));
    summarize(amounts, indicator('x.a'));
    expect(amounts.map((c) => [c.rank, c.share])).toEqual([[1, 0.5], [2, 0.3], [3, 0.2]]);
    const rates = ['A', 'B', 'C'].map((r, i) => cell(r, figure(r, 'x.r', '2025-03-31', [5, 3, 2][i])));
    summarize(rates, indicator('x.r', { unit: 'percent', measureType: 'rate' }));
    expect(rates.map((c) => c.share)).toEqual([null, null, null]);
  });
});

describe('comparison warnings', () => {
  const info = new Map([
    ['x.a', indicator('x.a', { measureType: 'cumulative' })],
    ['x.b', indicator('x.b', { measureType: 'cumulative' })],
    ['x.bal', indicator('x.bal')],
  ]);
  const codes = (cells: Cell[]) => rowWarnings(cells, info, []).map((w) => w.code);

  it('flags figures more than a month apart, with the gap', () => {
    const [warning] = rowWarnings([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.a', '2025-06-30', 1))], info, []);
    expect(warning).toMatchObject({ code: 'AS_OF_MISMATCH', gapDays: 91 });
    expect(codes([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.a', '2025-04-30', 1))])).toEqual([]);
  });

  it('flags different indicators side by side, with the caveat', () => {
    const warnings = rowWarnings([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.b', '2025-03-31', 1))], info, [{ code: 'x.b', caveatEn: 'B counts more.', caveatZh: 'B 口径更宽。' }]);
    expect(warnings[0]).toMatchObject({ code: 'DEFINITION_MISMATCH', messageEn: expect.stringContaining('B counts more.'), messageZh: expect.stringContaining('B 口径更宽。') });
  });

  it('flags a balance against a running total, and running totals from different starts', () => {
    expect(codes([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.bal', '2025-03-31', 1))])).toContain('SCOPE_MISMATCH');
    expect(codes([cell('A', figure('A', 'x.a', '2025-03-31', 1, { periodStart: '2024-01-01' })), cell('B', figure('B', 'x.a', '2025-03-31', 1))])).toEqual(['SCOPE_MISMATCH']);
    expect(codes([cell('A', figure('A', 'x.a', '2025-03-31', 1, { periodStart: '2024-01-01' })), cell('B', figure('B', 'x.a', '2025-03-31', 1, { periodStart: '2024-01-01' }))])).toEqual([]);
  });

  it('flags approximate figures, inferred dates and missing cells per cell', () => {
    const warnings = rowWarnings([cell('A', figure('A', 'x.a', '2025-03-31', 1, { qualifier: 'about', asOfInferred: true })), cell('B', null, 'x.a')], info, []);
    expect(warnings.map((w) => [w.code, w.cells[0].region])).toEqual([['MISSING', 'B'], ['APPROXIMATE', 'A'], ['INFERRED_DATE', 'A']]);
  });
});

describe('building rows', () => {
  it('pairs a comparable indicator into the row of a region that lacks the requested one', () => {
    const info = new Map([
      ['x.a', indicator('x.a', { unit: 'count', measureType: 'cumulative' })],
      ['x.b', indicator('x.b', { unit: 'count', measureType: 'cumulative' })],
    ]);
    const pairing = { caveatEn: 'c', caveatZh: 'c' };
    const { rows } = buildRows({
      regions: ['ZJ', 'JS'],
      indicators: ['x.a', 'x.b'],
      info,
      pairings: new Map([['x.a', [{ code: 'x.b', ...pairing }]], ['x.b', [{ code: 'x.a', ...pairing }]]]),
      figures: [figure('ZJ', 'x.a', '2026-04-30', 596), figure('JS', 'x.b', '2026-04-30', 494)],
      mode: 'latest-each',
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].cells.map((c) => c.indicator)).toEqual(['x.a', 'x.b']);
    expect(rows[0].summary.difference).toBe(102);
    expect(rows[0].warnings.map((w) => w.code)).toEqual(['DEFINITION_MISMATCH']);
  });
});
