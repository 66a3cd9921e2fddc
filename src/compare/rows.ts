import { competitionRanks, differenceUnit, judge, orderOf, type Figure, type JudgeContext, type Placed, type Warning } from '../comparability/comparability.js';
import type { Unit } from '../catalog/schema.js';
import type { IndicatorInfo, Pairing } from '../figures/indicator-catalog.js';

/** Compare's own part: choosing a figure per cell, the arithmetic between cells. Whether they can be compared is the judge's. */

export const ALIGN_MODES = ['latest-each', 'common-latest', 'exact'] as const;
export type AlignMode = (typeof ALIGN_MODES)[number];

export interface Cell extends Placed {
  rank: number | null;
  /** Share of the row total, for additive measures (amounts and counts) with three or more regions. */
  share: number | null;
}

export interface RowSummary {
  /** The region with the highest value, when at least two have one and none ties it. */
  leader: string | null;
  /** First region minus second (two regions only). In percentage points when the unit is percent. */
  difference: number | null;
  differenceUnit: Unit | null;
  /** First region divided by second (two regions only). */
  ratio: number | null;
}

export interface Row {
  indicator: string;
  pairedWith: Pairing[];
  cells: Cell[];
  summary: RowSummary;
  warnings: Warning[];
}

const ADDITIVE = ['balance', 'cumulative', 'count_at_date', 'flow'];

/** Picks the figure for one cell from a series (one region, one indicator). */
export function pick<F extends Figure>(series: F[], mode: AlignMode, asOf: string | undefined, commonDate?: string): F | null {
  const eligible = series.filter((f) => (mode === 'exact' ? f.asOf === asOf : !asOf || f.asOf <= asOf));
  if (commonDate) return eligible.find((f) => f.asOf === commonDate) ?? null;
  return eligible.reduce<F | null>((newest, f) => (!newest || f.asOf > newest.asOf ? f : newest), null);
}

/** The newest as-of date every region's series has, if any. */
export function commonLatestDate(seriesByRegion: Figure[][], asOf?: string): string | undefined {
  if (seriesByRegion.length === 0 || seriesByRegion.some((s) => s.length === 0)) return undefined;
  const sets = seriesByRegion.map((s) => new Set(s.filter((f) => !asOf || f.asOf <= asOf).map((f) => f.asOf)));
  const shared = [...sets[0]].filter((date) => sets.every((set) => set.has(date)));
  return shared.sort().at(-1);
}

const round = (value: number) => Number(value.toPrecision(12));

/** Leader, difference and ratio for two regions; rank and share for every cell. */
export function summarize(cells: Cell[], indicator: IndicatorInfo): RowSummary {
  const present = cells.filter((c) => c.figure);
  const ranks = competitionRanks(present.map((c) => orderOf(indicator) * c.figure!.value));
  const total = present.reduce((sum, c) => sum + c.figure!.value, 0);
  const additive = ADDITIVE.includes(indicator.measureType) && (indicator.unit === 'CNY' || indicator.unit === 'count');
  present.forEach((cell, i) => {
    cell.rank = ranks[i];
    cell.share = additive && cells.length > 2 && total > 0 ? round(cell.figure!.value / total) : null;
  });
  // A region leads others only when there are others to lead: with one figure there is no comparison.
  const leaders = present.filter((c) => c.rank === 1);
  const [a, b] = cells;
  const two = cells.length === 2 && a.figure && b.figure;
  return {
    leader: present.length >= 2 && leaders.length === 1 ? leaders[0].region : null,
    difference: two ? round(a.figure!.value - b.figure!.value) : null,
    differenceUnit: two ? differenceUnit(indicator.unit) : null,
    ratio: two && b.figure!.value !== 0 ? round(a.figure!.value / b.figure!.value) : null,
  };
}

export interface BuildInput {
  regions: string[];
  indicators: string[];
  catalog: Pick<JudgeContext, 'indicators' | 'pairings' | 'names'>;
  figures: Figure[];
  mode: AlignMode;
  asOf?: string;
}

/**
 * One row per requested indicator, in order. A region without the row's indicator takes a figure of
 * an indicator declared comparable with it, and an indicator paired into an earlier row gets no row
 * of its own: Zhejiang's enterprises visited and Jiangsu's entities visited share one row.
 */
export function buildRows(input: BuildInput): Row[] {
  const series = new Map<string, Figure[]>();
  for (const f of input.figures) {
    const key = `${f.regionCode}|${f.indicatorCode}`;
    series.set(key, [...(series.get(key) ?? []), f]);
  }
  const seriesOf = (region: string, indicator: string) => series.get(`${region}|${indicator}`) ?? [];
  // Compare allows figures a month apart before it warns; a ranking or a baseline allows none.
  const context: JudgeContext = { ...input.catalog, toleratedGapDays: 31 };

  const absorbed = new Set<string>();
  const rows: Row[] = [];
  for (const code of input.indicators) {
    if (absorbed.has(code)) continue;
    const pairedWith = input.catalog.pairings(code);
    // Each region's cell uses the row's indicator, or else the first comparable one it has.
    const chosen = input.regions.map((region) => {
      const own = seriesOf(region, code);
      if (own.length || !pairedWith.length) return { region, indicator: code, series: own };
      const partner = pairedWith.find((p) => seriesOf(region, p.code).length);
      return partner ? { region, indicator: partner.code, series: seriesOf(region, partner.code) } : { region, indicator: code, series: own };
    });
    const warnings: Warning[] = [];
    let commonDate: string | undefined;
    if (input.mode === 'common-latest') {
      commonDate = commonLatestDate(
        chosen.map((c) => c.series),
        input.asOf,
      );
      if (!commonDate) {
        const indicator = input.catalog.names.indicator(code);
        warnings.push({
          code: 'NO_COMMON_DATE',
          messageEn: `The regions share no date for ${indicator.nameEn}; each region's newest figure is used instead.`,
          messageZh: `各地区${indicator.nameZh}没有共同的截止日期，改用各自最新数据。`,
          cells: chosen.map((c) => ({ region: c.region, indicator: c.indicator })),
        });
      }
    }
    const cells: Cell[] = chosen.map((c) => ({ region: c.region, indicator: c.indicator, figure: pick(c.series, input.mode, input.asOf, commonDate), rank: null, share: null }));
    for (const c of cells) if (c.indicator !== code && c.figure) absorbed.add(c.indicator);
    const usedPairings = pairedWith.filter((p) => cells.some((c) => c.indicator === p.code && c.figure));
    const summary = summarize(cells, input.catalog.indicators(code));
    rows.push({ indicator: code, pairedWith: usedPairings, cells, summary, warnings: [...judge(cells, context), ...warnings] });
  }
  return rows;
}
