import {
  baselineFor,
  competitionRanks,
  daysBetween,
  judge,
  judgeBaseline,
  judgeRanking,
  mergeWarnings,
  type Figure,
  type JudgeContext,
  type Placed,
} from '../../src/comparability/comparability.js';
import { buildRows, commonLatestDate, pick, summarize, type Cell } from '../../src/compare/rows.js';
import type { IndicatorInfo, Pairing } from '../../src/figures/indicator-catalog.js';

const indicator = (code: string, over: Partial<IndicatorInfo> = {}): IndicatorInfo => ({
  code,
  nameZh: `指标${code}`,
  nameEn: `Indicator ${code}`,
  topic: 't',
  unit: 'CNY',
  measureType: 'balance',
  kind: 'measured',
  numerator: null,
  denominator: null,
  ...over,
});
let nextId = 1;
const figure = (regionCode: string, indicatorCode: string, asOf: string, value: number, over: Partial<Figure> = {}): Figure => ({
  id: nextId++,
  regionCode,
  indicatorCode,
  asOf,
  asOfPrecision: 'month',
  asOfInferred: false,
  periodStart: null,
  value,
  qualifier: 'exact',
  ...over,
});
const cell = (region: string, f: Figure | null, ind = f?.indicatorCode ?? 'x.a'): Cell => ({ region, indicator: ind, figure: f, rank: null, share: null });

const REGIONS: Record<string, [string, string]> = {
  ZJ: ['浙江省', 'Zhejiang'],
  JS: ['江苏省', 'Jiangsu'],
  CN: ['中国', 'China'],
  A: ['甲', 'A-land'],
  B: ['乙', 'B-land'],
  C: ['丙', 'C-land'],
};
function context(indicators: IndicatorInfo[], pairs: Record<string, Pairing[]> = {}, toleratedGapDays = 31): JudgeContext {
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  return {
    names: { region: (code) => ({ nameZh: REGIONS[code][0], nameEn: REGIONS[code][1] }), indicator: (code) => byCode.get(code)! },
    indicators: (code) => byCode.get(code)!,
    pairings: (code) => pairs[code] ?? [],
    toleratedGapDays,
  };
}

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
    expect(summarize(cells, indicator('x.g', { unit: 'percent', measureType: 'yoy_growth' }))).toEqual({
      leader: 'A',
      difference: 6.3,
      differenceUnit: 'percentage_points',
      ratio: 1.64948453608,
    });
  });

  it('puts the lowest rank first: 第一位 leads 第二位', () => {
    const cells = [cell('A', figure('A', 'x.rank', '2025-12-31', 2)), cell('B', figure('B', 'x.rank', '2025-12-31', 1))];
    expect(summarize(cells, indicator('x.rank', { unit: 'rank', measureType: 'rank' })).leader).toBe('B');
    expect(cells.map((c) => c.rank)).toEqual([2, 1]);
  });

  it('names no leader when only one region has a figure', () => {
    expect(summarize([cell('A', figure('A', 'x.a', '2025-03-31', 16)), cell('B', null)], indicator('x.a')).leader).toBeNull();
  });

  it('gives shares only for additive measures across three or more regions', () => {
    const amounts = ['A', 'B', 'C'].map((r, i) => cell(r, figure(r, 'x.a', '2025-03-31', [50, 30, 20][i])));
    summarize(amounts, indicator('x.a'));
    expect(amounts.map((c) => [c.rank, c.share])).toEqual([
      [1, 0.5],
      [2, 0.3],
      [3, 0.2],
    ]);
    const rates = ['A', 'B', 'C'].map((r, i) => cell(r, figure(r, 'x.r', '2025-03-31', [5, 3, 2][i])));
    summarize(rates, indicator('x.r', { unit: 'percent', measureType: 'rate' }));
    expect(rates.map((c) => c.share)).toEqual([null, null, null]);
  });
});

describe('the comparability judge', () => {
  const indicators = [indicator('x.a', { measureType: 'cumulative' }), indicator('x.b', { measureType: 'cumulative' }), indicator('x.bal')];
  const judged = (cells: Placed[], pairs: Record<string, Pairing[]> = {}, gap = 31) => judge(cells, context(indicators, pairs, gap));
  const codes = (cells: Placed[]) => judged(cells).map((w) => w.code);

  it('flags figures more than the tolerated gap apart, naming the regions', () => {
    const [warning] = judged([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.a', '2025-06-30', 1))]);
    expect(warning).toMatchObject({ code: 'AS_OF_MISMATCH', gapDays: 91 });
    expect(warning.messageEn).toContain("A-land's Indicator x.a 2025-03-31");
    expect(warning.messageZh).toContain('乙指标x.a为2025-06-30');
    expect(codes([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.a', '2025-04-30', 1))])).toEqual([]);
    // A ranking or a baseline tolerates no gap.
    expect(judged([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.a', '2025-04-30', 1))], {}, 0).map((w) => w.code)).toEqual(['AS_OF_MISMATCH']);
  });

  it('flags different indicators side by side, with the caveat', () => {
    const warnings = judged([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.b', '2025-03-31', 1))], {
      'x.a': [{ code: 'x.b', caveatEn: 'B counts more.', caveatZh: 'B 口径更宽。' }],
    });
    expect(warnings[0]).toMatchObject({ code: 'DEFINITION_MISMATCH', messageEn: expect.stringContaining('B counts more.'), messageZh: expect.stringContaining('B 口径更宽。') });
  });

  it('flags derived values over different denominators', () => {
    const derivedFigure = (region: string, denominator: string) =>
      figure(region, 'x.ratio', '2026-04-30', 1, { numerator: figure(region, 'x.a', '2026-04-30', 1), denominator: figure(region, denominator, '2026-04-30', 1) });
    const warnings = judge(
      [cell('ZJ', derivedFigure('ZJ', 'x.a'), 'x.ratio'), cell('JS', derivedFigure('JS', 'x.b'), 'x.ratio')],
      context([...indicators, indicator('x.ratio', { kind: 'derived', measureType: 'ratio' })], {
        'x.a': [{ code: 'x.b', caveatEn: 'Sole proprietors too.', caveatZh: '含个体工商户。' }],
      }),
    );
    expect(warnings.map((w) => w.code)).toEqual(['DEFINITION_MISMATCH']);
    expect(warnings[0].messageEn).toContain('Sole proprietors too.');
  });

  it('flags a balance against a running total, and running totals from different starts', () => {
    expect(codes([cell('A', figure('A', 'x.a', '2025-03-31', 1)), cell('B', figure('B', 'x.bal', '2025-03-31', 1))])).toContain('SCOPE_MISMATCH');
    expect(codes([cell('A', figure('A', 'x.a', '2025-03-31', 1, { periodStart: '2024-01-01' })), cell('B', figure('B', 'x.a', '2025-03-31', 1))])).toEqual(['SCOPE_MISMATCH']);
    expect(
      codes([cell('A', figure('A', 'x.a', '2025-03-31', 1, { periodStart: '2024-01-01' })), cell('B', figure('B', 'x.a', '2025-03-31', 1, { periodStart: '2024-01-01' }))]),
    ).toEqual([]);
  });

  it('flags approximate figures, inferred dates and missing cells per cell, by name', () => {
    const warnings = judged([cell('A', figure('A', 'x.a', '2025-03-31', 1, { qualifier: 'about', asOfInferred: true })), cell('B', null, 'x.a')]);
    expect(warnings.map((w) => [w.code, w.cells[0].region])).toEqual([
      ['MISSING', 'B'],
      ['APPROXIMATE', 'A'],
      ['INFERRED_DATE', 'A'],
    ]);
    expect(warnings[0]).toMatchObject({ messageEn: 'B-land has no figure of Indicator x.a.', messageZh: '乙没有指标x.a数据。' });
  });

  it('reads a baseline of the same date when there is one, and warns of one of another date', () => {
    const regional = figure('JS', 'x.bal', '2025-09-30', 2.65e12);
    const national = [figure('CN', 'x.bal', '2025-09-30', 3.56e12), figure('CN', 'x.bal', '2026-03-31', 4.03e12)];
    expect(baselineFor(regional, national)?.value).toBe(3.56e12);
    expect(baselineFor(figure('JS', 'x.bal', '2025-12-31', 1), national)?.asOf).toBe('2025-09-30');
    expect(baselineFor(figure('JS', 'x.bal', '2024-12-31', 1), national)?.asOf).toBe('2025-09-30');
    const ctx = context(indicators, {}, 0);
    expect(judgeBaseline(cell('JS', regional), cell('CN', national[0]), ctx)).toEqual([]);
    expect(judgeBaseline(cell('JS', regional), cell('CN', national[1]), ctx).map((w) => [w.code, w.gapDays])).toEqual([['AS_OF_MISMATCH', 182]]);
  });

  it('warns of a ranking of several dates, naming the older figures', () => {
    const older = cell('A', figure('A', 'x.a', '2025-03-31', 1));
    const [warning] = judgeRanking([older], ['2025-03-31', '2025-06-30'], [], context(indicators, {}, 0));
    expect(warning).toMatchObject({ code: 'AS_OF_MISMATCH', gapDays: 91, cells: [{ region: 'A', indicator: 'x.a' }] });
  });

  it('says a warning once, with every cell it concerns', () => {
    const inferred = { code: 'INFERRED_DATE' as const, messageEn: 'same', messageZh: '同', cells: [{ region: 'JS', indicator: 'x.a' }] };
    expect(mergeWarnings([inferred, { ...inferred, cells: [{ region: 'JS', indicator: 'x.b' }] }, inferred])).toEqual([
      {
        ...inferred,
        cells: [
          { region: 'JS', indicator: 'x.a' },
          { region: 'JS', indicator: 'x.b' },
        ],
      },
    ]);
  });
});

describe('building rows', () => {
  it('pairs a comparable indicator into the row of a region that lacks the requested one', () => {
    const indicators = [indicator('x.a', { unit: 'count', measureType: 'cumulative' }), indicator('x.b', { unit: 'count', measureType: 'cumulative' })];
    const pairing = { caveatEn: 'c', caveatZh: 'c' };
    const rows = buildRows({
      regions: ['ZJ', 'JS'],
      indicators: ['x.a', 'x.b'],
      catalog: context(indicators, { 'x.a': [{ code: 'x.b', ...pairing }], 'x.b': [{ code: 'x.a', ...pairing }] }),
      figures: [figure('ZJ', 'x.a', '2026-04-30', 596), figure('JS', 'x.b', '2026-04-30', 494)],
      mode: 'latest-each',
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].cells.map((c) => c.indicator)).toEqual(['x.a', 'x.b']);
    expect(rows[0].summary.difference).toBe(102);
    expect(rows[0].warnings.map((w) => w.code)).toEqual(['DEFINITION_MISMATCH']);
  });
});
