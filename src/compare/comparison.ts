import type { MeasureType, Unit } from '../catalog/schema.js';
import type { AsOfPrecision, Qualifier } from '../catalog/schema.js';

/** The pure part of comparing regions: choosing a figure per cell, the arithmetic and the warnings. */

export const ALIGN_MODES = ['latest-each', 'common-latest', 'exact'] as const;
export type AlignMode = (typeof ALIGN_MODES)[number];

export const WARNING_CODES = ['AS_OF_MISMATCH', 'DEFINITION_MISMATCH', 'SCOPE_MISMATCH', 'APPROXIMATE', 'INFERRED_DATE', 'MISSING', 'NO_COMMON_DATE'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface IndicatorInfo {
  code: string;
  nameZh: string;
  nameEn: string;
  topic: string;
  unit: Unit;
  measureType: MeasureType;
  kind?: 'measured' | 'derived';
  numerator?: string | null;
  denominator?: string | null;
}

export interface Figure {
  id: number;
  regionCode: string;
  indicatorCode: string;
  asOf: string;
  asOfPrecision: AsOfPrecision;
  asOfInferred: boolean;
  periodStart: string | null;
  value: number;
  qualifier: Qualifier;
}

export interface Pairing {
  code: string;
  caveatEn: string;
  caveatZh: string;
}

export interface CellRef {
  region: string;
  indicator: string;
}

export interface Warning {
  code: WarningCode;
  messageEn: string;
  messageZh: string;
  cells: CellRef[];
  /** AS_OF_MISMATCH: days between the earliest and latest as-of date. */
  gapDays?: number;
}

export interface Cell {
  region: string;
  /** The indicator this cell's figure is for: the row's, or a comparable one paired into it. */
  indicator: string;
  figure: Figure | null;
  rank: number | null;
  /** Share of the row total, for additive measures (amounts and counts) with three or more regions. */
  share: number | null;
}

export interface RowSummary {
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

const DAY = 86_400_000;
const ADDITIVE: MeasureType[] = ['balance', 'cumulative', 'count_at_date', 'flow'];
const STOCK: MeasureType[] = ['balance', 'count_at_date', 'limit'];
const RUNNING: MeasureType[] = ['cumulative', 'flow'];

export function daysBetween(a: string, b: string): number {
  return Math.round(Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY);
}

/** Picks the figure for one cell from a series (one region, one indicator). */
export function pick(series: Figure[], mode: AlignMode, asOf: string | undefined, commonDate?: string): Figure | null {
  const eligible = series.filter((f) => (mode === 'exact' ? f.asOf === asOf : !asOf || f.asOf <= asOf));
  if (commonDate) return eligible.find((f) => f.asOf === commonDate) ?? null;
  return eligible.reduce<Figure | null>((newest, f) => (!newest || f.asOf > newest.asOf ? f : newest), null);
}

/** The newest as-of date every region's series has, if any. */
export function commonLatestDate(seriesByRegion: Figure[][], asOf?: string): string | undefined {
  if (seriesByRegion.length === 0 || seriesByRegion.some((s) => s.length === 0)) return undefined;
  const sets = seriesByRegion.map((s) => new Set(s.filter((f) => !asOf || f.asOf <= asOf).map((f) => f.asOf)));
  const shared = [...sets[0]].filter((date) => sets.every((set) => set.has(date)));
  return shared.sort().at(-1);
}

/** 1 + how many values are larger ("1224" ranking), in O(n log n): rankings run over thousands of regions. */
export function competitionRanks(values: number[]): number[] {
  const firstAt = new Map<number, number>();
  [...values].sort((a, b) => b - a).forEach((value, i) => firstAt.has(value) || firstAt.set(value, i));
  return values.map((value) => 1 + firstAt.get(value)!);
}

function fmtDays(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** The warnings a row's cells call for. Pure: the same cells always give the same warnings. */
export function rowWarnings(cells: Cell[], indicators: Map<string, IndicatorInfo>, pairedWith: Pairing[]): Warning[] {
  const warnings: Warning[] = [];
  const present = cells.filter((c) => c.figure);
  const ref = (c: Cell): CellRef => ({ region: c.region, indicator: c.indicator });

  for (const cell of cells.filter((c) => !c.figure)) {
    warnings.push({
      code: 'MISSING',
      messageEn: `${cell.region} has no figure for ${cell.indicator} under this alignment.`,
      messageZh: `${cell.region} 在此对齐方式下没有 ${cell.indicator} 的数据。`,
      cells: [ref(cell)],
    });
  }

  if (present.length >= 2) {
    const dates = present.map((c) => c.figure!.asOf).sort();
    const gap = daysBetween(dates[0], dates.at(-1)!);
    if (gap > 31) {
      warnings.push({
        code: 'AS_OF_MISMATCH',
        messageEn: `The figures are dated ${fmtDays(gap)} apart (${dates[0]} to ${dates.at(-1)}); they describe different moments.`,
        messageZh: `各数据的截止日期相差 ${gap} 天（${dates[0]} 至 ${dates.at(-1)}），反映的不是同一时点。`,
        cells: present.map(ref),
        gapDays: gap,
      });
    }

    const used = [...new Set(present.map((c) => c.indicator))];
    if (used.length > 1) {
      const caveat = pairedWith.find((p) => used.includes(p.code));
      warnings.push({
        code: 'DEFINITION_MISMATCH',
        messageEn: `Different indicators are set side by side (${used.join(' vs ')}). ${caveat?.caveatEn ?? ''}`.trim(),
        messageZh: `并列比较的是不同指标（${used.join(' 与 ')}）。${caveat?.caveatZh ?? ''}`.trim(),
        cells: present.map(ref),
      });
    }

    const measures = new Set(present.map((c) => indicators.get(c.indicator)!.measureType));
    const mixesStockAndFlow = [...measures].some((m) => STOCK.includes(m)) && [...measures].some((m) => RUNNING.includes(m));
    const running = present.filter((c) => RUNNING.includes(indicators.get(c.indicator)!.measureType));
    const starts = new Set(running.map((c) => c.figure!.periodStart ?? 'unstated'));
    if (mixesStockAndFlow) {
      warnings.push({
        code: 'SCOPE_MISMATCH',
        messageEn: 'A balance at a date is set against a running total or flow; the two measure different things.',
        messageZh: '时点余额与累计发生额/流量并列，二者口径不同。',
        cells: present.map(ref),
      });
    } else if (running.length >= 2 && starts.size > 1) {
      warnings.push({
        code: 'SCOPE_MISMATCH',
        messageEn: `Running totals counted from different starts (${[...starts].sort().join(', ')}).`,
        messageZh: `累计数的起算时间不同（${[...starts].sort().join('、')}）。`,
        cells: running.map(ref),
      });
    }
  }

  for (const cell of present) {
    const figure = cell.figure!;
    if (figure.qualifier !== 'exact') {
      warnings.push({
        code: 'APPROXIMATE',
        messageEn: `The figure for ${cell.region} is approximate (${figure.qualifier.replace('_', ' ')}).`,
        messageZh: `${cell.region} 的数据为约数或区间（${figure.qualifier}）。`,
        cells: [ref(cell)],
      });
    }
    if (figure.asOfInferred) {
      warnings.push({
        code: 'INFERRED_DATE',
        messageEn: `The date of the figure for ${cell.region} (${figure.asOf}) is inferred from the article, not printed.`,
        messageZh: `${cell.region} 数据的日期（${figure.asOf}）系根据文章推断，原文未注明。`,
        cells: [ref(cell)],
      });
    }
  }
  return warnings;
}

/** Leader, difference and ratio for two regions; rank and share for every cell. */
export function summarize(cells: Cell[], indicator: IndicatorInfo): RowSummary {
  const present = cells.filter((c) => c.figure);
  const ranks = competitionRanks(present.map((c) => c.figure!.value));
  const total = present.reduce((sum, c) => sum + c.figure!.value, 0);
  const additive = ADDITIVE.includes(indicator.measureType) && (indicator.unit === 'CNY' || indicator.unit === 'count');
  present.forEach((cell, i) => {
    cell.rank = ranks[i];
    cell.share = additive && cells.length > 2 && total > 0 ? round(cell.figure!.value / total) : null;
  });
  const leader = present.find((c) => c.rank === 1 && present.filter((o) => o.rank === 1).length === 1)?.region ?? null;
  const [a, b] = cells;
  const two = cells.length === 2 && a.figure && b.figure;
  return {
    leader,
    difference: two ? round(a.figure!.value - b.figure!.value) : null,
    differenceUnit: two ? (indicator.unit === 'percent' ? 'percentage_points' : indicator.unit) : null,
    ratio: two && b.figure!.value !== 0 ? round(a.figure!.value / b.figure!.value) : null,
  };
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}

export interface BuildInput {
  regions: string[];
  indicators: string[];
  /** Every indicator involved, requested or paired in. */
  info: Map<string, IndicatorInfo>;
  /** Comparable indicators of each indicator. */
  pairings: Map<string, Pairing[]>;
  figures: Figure[];
  mode: AlignMode;
  asOf?: string;
}

/**
 * One row per requested indicator, in order. A region without the row's indicator takes a figure of
 * an indicator declared comparable with it, and an indicator paired into an earlier row gets no row
 * of its own: Zhejiang's enterprises visited and Jiangsu's entities visited share one row.
 */
export function buildRows(input: BuildInput): { rows: Row[]; warnings: Warning[] } {
  const series = new Map<string, Figure[]>();
  for (const f of input.figures) {
    const key = `${f.regionCode}|${f.indicatorCode}`;
    series.set(key, [...(series.get(key) ?? []), f]);
  }
  const seriesOf = (region: string, indicator: string) => series.get(`${region}|${indicator}`) ?? [];

  const absorbed = new Set<string>();
  const rows: Row[] = [];
  const extra: Warning[] = [];
  for (const code of input.indicators) {
    if (absorbed.has(code)) continue;
    const pairedWith = input.pairings.get(code) ?? [];
    // Each region's cell uses the row's indicator, or else the first comparable one it has.
    const chosen = input.regions.map((region) => {
      const own = seriesOf(region, code);
      if (own.length || !pairedWith.length) return { region, indicator: code, series: own };
      const partner = pairedWith.find((p) => seriesOf(region, p.code).length);
      return partner ? { region, indicator: partner.code, series: seriesOf(region, partner.code) } : { region, indicator: code, series: own };
    });
    let commonDate: string | undefined;
    if (input.mode === 'common-latest') {
      commonDate = commonLatestDate(chosen.map((c) => c.series), input.asOf);
      if (!commonDate) {
        extra.push({
          code: 'NO_COMMON_DATE',
          messageEn: `The regions share no as-of date for ${code}; each region's latest figure is used instead.`,
          messageZh: `各地区 ${code} 没有共同的截止日期，改用各自最新数据。`,
          cells: chosen.map((c) => ({ region: c.region, indicator: c.indicator })),
        });
      }
    }
    const cells: Cell[] = chosen.map((c) => ({
      region: c.region,
      indicator: c.indicator,
      figure: pick(c.series, input.mode, input.asOf, commonDate),
      rank: null,
      share: null,
    }));
    for (const c of cells) if (c.indicator !== code && c.figure) absorbed.add(c.indicator);
    const usedPairings = pairedWith.filter((p) => cells.some((c) => c.indicator === p.code && c.figure));
    const summary = summarize(cells, input.info.get(code)!);
    const warnings = [...rowWarnings(cells, input.info, usedPairings), ...extra.splice(0)];
    rows.push({ indicator: code, pairedWith: usedPairings, cells, summary, warnings });
  }
  return { rows, warnings: rows.flatMap((r) => r.warnings) };
}
