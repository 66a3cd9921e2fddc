import type { MeasureType, Qualifier, Unit } from '../catalog/schema.js';
import type { Catalogue, Figure } from '../figures/figure.js';
import type { Pairing } from '../figures/indicator-catalog.js';

export type { Figure } from '../figures/figure.js';

/**
 * Whether figures can be set side by side, and why not: the one judge compare, rankings, profiles
 * and the pilot-zone comparison ask. It is pure: the same figures always get the same warnings,
 * worded in both languages with the regions and indicators named as people know them.
 */

export const WARNING_CODES = ['AS_OF_MISMATCH', 'DEFINITION_MISMATCH', 'SCOPE_MISMATCH', 'APPROXIMATE', 'INFERRED_DATE', 'MISSING', 'NO_COMMON_DATE'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

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

/** A place a figure stands (or is missing) in a comparison. */
export interface Placed {
  region: string;
  indicator: string;
  figure: Figure | null;
}

/** What the judge knows: names and indicators (the Vocabulary's catalogue), and the gap of dates it lets pass. */
export interface JudgeContext extends Catalogue {
  /** Dates further apart than this many days are warned of: compare allows a month, rankings and baselines none. */
  toleratedGapDays: number;
}

const DAY = 86_400_000;
const STOCK: MeasureType[] = ['balance', 'count_at_date', 'limit'];
const RUNNING: MeasureType[] = ['cumulative', 'flow'];
const QUALIFIER_EN: Record<Qualifier, string> = { exact: 'exact', about: 'about', nearly: 'nearly', more_than: 'more than', at_least: 'at least', up_to: 'up to' };
const QUALIFIER_ZH: Record<Qualifier, string> = { exact: '确数', about: '约数', nearly: '接近', more_than: '超过', at_least: '以上', up_to: '最高' };

export function daysBetween(a: string, b: string): number {
  return Math.round(Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY);
}

/** 1 for values where more is first, -1 for ranks (第一位 comes before 第二位). */
export const orderOf = (indicator: { measureType: MeasureType }): 1 | -1 => (indicator.measureType === 'rank' ? -1 : 1);

/** 1 + how many values are larger ("1224" ranking), in O(n log n): rankings run over thousands of regions. */
export function competitionRanks(values: number[]): number[] {
  const firstAt = new Map<number, number>();
  [...values].sort((a, b) => b - a).forEach((value, i) => firstAt.has(value) || firstAt.set(value, i));
  return values.map((value) => 1 + firstAt.get(value)!);
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** Names of a cell's region and indicator, in both languages. */
function of(context: JudgeContext, cell: Placed) {
  const region = context.names.region(cell.region);
  const indicator = context.names.indicator(cell.indicator);
  return { en: `${region.nameEn}'s ${indicator.nameEn}`, zh: `${region.nameZh}${indicator.nameZh}`, regionEn: region.nameEn, regionZh: region.nameZh };
}

/** The caveat that explains why two indicators are not the same count, if one is declared. */
function caveatBetween(context: JudgeContext, codes: string[]): Pairing | undefined {
  return codes.flatMap((code) => context.pairings(code)).find((pairing) => codes.includes(pairing.code));
}

/**
 * The warnings figures set side by side call for: missing ones, dates apart, different indicators
 * (or derived values over different denominators), a balance against a running total or running
 * totals from different starts, approximate figures and inferred dates.
 */
export function judge(cells: Placed[], context: JudgeContext): Warning[] {
  const warnings: Warning[] = [];
  const present = cells.filter((c) => c.figure);
  const ref = (c: Placed): CellRef => ({ region: c.region, indicator: c.indicator });

  for (const cell of cells.filter((c) => !c.figure)) {
    const named = of(context, cell);
    warnings.push({
      code: 'MISSING',
      messageEn: `${named.regionEn} has no figure of ${context.names.indicator(cell.indicator).nameEn}.`,
      messageZh: `${named.regionZh}没有${context.names.indicator(cell.indicator).nameZh}数据。`,
      cells: [ref(cell)],
    });
  }

  if (present.length >= 2) {
    const byDate = [...present].sort((a, b) => (a.figure!.asOf < b.figure!.asOf ? -1 : a.figure!.asOf > b.figure!.asOf ? 1 : 0));
    const [first, last] = [byDate[0], byDate.at(-1)!];
    const gap = daysBetween(first.figure!.asOf, last.figure!.asOf);
    if (gap > context.toleratedGapDays) {
      const [a, b] = [of(context, first), of(context, last)];
      warnings.push({
        code: 'AS_OF_MISMATCH',
        messageEn: `The figures are dated ${days(gap)} apart (${a.en} ${first.figure!.asOf}, ${b.en} ${last.figure!.asOf}); they describe different moments.`,
        messageZh: `各数据的截止日期相差${gap}天（${a.zh}为${first.figure!.asOf}，${b.zh}为${last.figure!.asOf}），反映的不是同一时点。`,
        cells: present.filter((c) => c.figure!.asOf !== last.figure!.asOf || gap > 0).map(ref),
        gapDays: gap,
      });
    }

    const indicators = [...new Set(present.map((c) => c.indicator))];
    if (indicators.length > 1) {
      const caveat = caveatBetween(context, indicators);
      const [a, b] = indicators.map((code) => present.find((c) => c.indicator === code)!).map((c) => of(context, c));
      warnings.push({
        code: 'DEFINITION_MISMATCH',
        messageEn: `${a.en} is set beside ${b.en}: not the same count.${caveat ? ` ${caveat.caveatEn}` : ''}`,
        messageZh: `${a.zh}与${b.zh}并列比较，二者并非同一口径。${caveat?.caveatZh ?? ''}`,
        cells: present.map(ref),
      });
    }

    // Derived values are comparable only over the same denominator (per enterprise is not per business entity).
    const denominators = [...new Set(present.map((c) => c.figure!.denominator?.indicatorCode).filter((code): code is string => !!code))];
    if (denominators.length > 1) {
      const caveat = caveatBetween(context, denominators);
      const [a, b] = denominators.map((code) => context.names.indicator(code));
      warnings.push({
        code: 'DEFINITION_MISMATCH',
        messageEn: `The values divide by different counts (${a.nameEn} and ${b.nameEn}).${caveat ? ` ${caveat.caveatEn}` : ''}`,
        messageZh: `各值的分母口径不同（${a.nameZh}与${b.nameZh}）。${caveat?.caveatZh ?? ''}`,
        cells: present.filter((c) => c.figure!.denominator).map(ref),
      });
    }

    const measures = new Set(present.map((c) => context.indicators(c.indicator).measureType));
    const running = present.filter((c) => RUNNING.includes(context.indicators(c.indicator).measureType));
    const starts = new Set(running.map((c) => c.figure!.periodStart ?? 'unstated'));
    if ([...measures].some((m) => STOCK.includes(m)) && [...measures].some((m) => RUNNING.includes(m))) {
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

  for (const cell of present) warnings.push(...figureWarnings(cell, context));
  return warnings;
}

/** What a single figure carries into any comparison: an approximate value, an inferred date. */
export function figureWarnings(cell: Placed, context: JudgeContext): Warning[] {
  const figure = cell.figure!;
  const named = of(context, cell);
  const warnings: Warning[] = [];
  if (figure.qualifier !== 'exact') {
    warnings.push({
      code: 'APPROXIMATE',
      messageEn: `${named.en} is approximate (${QUALIFIER_EN[figure.qualifier]} the value shown).`,
      messageZh: `${named.zh}为${QUALIFIER_ZH[figure.qualifier]}，并非确数。`,
      cells: [{ region: cell.region, indicator: cell.indicator }],
    });
  }
  if (figure.asOfInferred) {
    warnings.push({
      code: 'INFERRED_DATE',
      messageEn: `The date of ${named.en} (${figure.asOf}) is inferred from the article, not printed.`,
      messageZh: `${named.zh}的日期（${figure.asOf}）系根据文章推断，原文未注明。`,
      cells: [{ region: cell.region, indicator: cell.indicator }],
    });
  }
  return warnings;
}

/**
 * A regional figure read against a baseline (the nation's, or a parent's): the warnings the pair
 * calls for, beyond those of the regional figure itself.
 */
export function judgeBaseline(regional: Placed, baseline: Placed, context: JudgeContext): Warning[] {
  const pair = judge([regional, baseline], context).filter((w) => w.code === 'DEFINITION_MISMATCH' || w.code === 'SCOPE_MISMATCH');
  const [figure, base] = [regional.figure!, baseline.figure!];
  const gap = daysBetween(figure.asOf, base.asOf);
  if (gap > context.toleratedGapDays) {
    const [a, b] = [of(context, regional), of(context, baseline)];
    const earlier = base.asOf < figure.asOf;
    pair.unshift({
      code: 'AS_OF_MISMATCH',
      messageEn: `The baseline, ${b.en} of ${base.asOf}, is ${days(gap)} ${earlier ? 'older' : 'newer'} than ${a.en} of ${figure.asOf}: no ${b.regionEn} figure of that date is held, so the two describe different moments.`,
      messageZh: `对比基准${b.zh}（${base.asOf}）${earlier ? '早于' : '晚于'}${a.zh}（${figure.asOf}）${gap}天：暂无同期${b.regionZh}数据，二者并非同一时点。`,
      cells: [regional, baseline].map((c) => ({ region: c.region, indicator: c.indicator })),
      gapDays: gap,
    });
  }
  return [...pair, ...figureWarnings(baseline, context)];
}

/**
 * The baseline a figure is read against: the one of the same date when there is one, else the
 * newest of those before it, else the oldest after it (the judge then warns of the gap).
 */
export function baselineFor<F extends Figure>(figure: Figure, candidates: F[]): F | null {
  const same = candidates.find((c) => c.asOf === figure.asOf);
  if (same) return same;
  const before = candidates.filter((c) => c.asOf < figure.asOf).sort((a, b) => (a.asOf < b.asOf ? 1 : -1))[0];
  return before ?? candidates.filter((c) => c.asOf > figure.asOf).sort((a, b) => (a.asOf < b.asOf ? -1 : 1))[0] ?? null;
}

/**
 * The warnings a ranking calls for: a ranking implies one moment, so any difference of dates is
 * warned of; each approximate figure or inferred date; derived values over different denominators.
 * `flagged` holds (at least) every ranked figure that is approximate, of an inferred date or older
 * than the newest of `dates`; `derived`, every ranked cell of a derived indicator.
 */
export function judgeRanking(flagged: Placed[], dates: string[], derived: Placed[], context: JudgeContext): Warning[] {
  const warnings: Warning[] = judge(derived, context).filter((w) => w.code === 'DEFINITION_MISMATCH');
  if (dates.length >= 2) {
    const [first, last] = [dates[0], dates.at(-1)!];
    const gap = daysBetween(first, last);
    warnings.push({
      code: 'AS_OF_MISMATCH',
      messageEn: `The ranked figures are of ${dates.length} different dates (${first} to ${last}, ${days(gap)} apart); the older ones are marked in cells.`,
      messageZh: `参与排名的数据截止日期不同（${first}至${last}，相差${gap}天），较早的数据见cells。`,
      cells: flagged.filter((c) => c.figure!.asOf !== last).map((c) => ({ region: c.region, indicator: c.indicator })),
      gapDays: gap,
    });
  }
  for (const cell of flagged) warnings.push(...figureWarnings(cell, context));
  return warnings;
}

/** One warning per thing said: the same warning from several rows (one inferred date, say) once, with all its cells. */
export function mergeWarnings(warnings: Warning[]): Warning[] {
  const merged = new Map<string, Warning>();
  for (const warning of warnings) {
    const key = `${warning.code}\n${warning.messageEn}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...warning, cells: [...warning.cells] });
    else for (const cell of warning.cells) if (!seen.cells.some((c) => c.region === cell.region && c.indicator === cell.indicator)) seen.cells.push(cell);
  }
  return [...merged.values()];
}

/** Each code of the warnings once, in order: what a row or figure carries, its warnings told once at the top. */
export const warningCodesOf = (warnings: Warning[]): WarningCode[] => [...new Set(warnings.map((w) => w.code))];

/** The arithmetic unit of a difference: two percentages differ in percentage points. */
export const differenceUnit = (unit: Unit): Unit => (unit === 'percent' ? 'percentage_points' : unit);
