/**
 * Reads a figure back out of its source document, independently of how the seed was written:
 * the printed number with its unit as a token, the qualifier marker beside it, the nearest date
 * stated before it, and the region or reporter it belongs to.
 */

export const squash = (text: string) => text.replace(/\s+/g, '');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How each qualifier is printed in Chinese news text. */
export const QUALIFIER_MARKERS: Record<string, string[]> = {
  about: ['约', '左右'],
  nearly: ['近'],
  more_than: ['超过', '超', '逾', '余', '突破'],
  at_least: ['以上', '不低于'],
  up_to: ['最高', '不超过'],
};
const EVERY_MARKER = Object.values(QUALIFIER_MARKERS).flat();

export interface PrintedToken {
  /** Where the number starts in the quote. */
  index: number;
  text: string;
}

/**
 * The printed number immediately followed by its unit, not part of a longer number (5 in 2025 or
 * 25 in 1.25 does not count). 余 may stand inside the unit (6万余户, 170余个).
 */
export function findPrintedToken(quote: string, valuePrinted: string, unitPrinted: string): PrintedToken | undefined {
  const units = [unitPrinted, `余${unitPrinted}`];
  if (unitPrinted.length > 1) units.push(`${unitPrinted.slice(0, -1)}余${unitPrinted.slice(-1)}`);
  const pattern = new RegExp(`(?<![\\d.])${escape(valuePrinted)}(?:${units.map(escape).join('|')})(?![\\d.])`);
  const match = pattern.exec(squash(quote));
  return match ? { index: match.index, text: match[0] } : undefined;
}

/** Qualifier markers printed right at the token: up to five characters before it in the same clause, inside it or right after it. */
export function markersAt(quote: string, token: PrintedToken, valuePrinted: string): string[] {
  const text = squash(quote);
  const before =
    text
      .slice(Math.max(0, token.index - 6), token.index)
      .split(/[，,；;。、：:]/)
      .pop() ?? '';
  const inside = token.text.slice(valuePrinted.length);
  const after = text.slice(token.index + token.text.length, token.index + token.text.length + 2);
  return EVERY_MARKER.filter((marker) => (marker === '最高' ? before.includes(marker) : before.endsWith(marker)) || inside.includes(marker) || after.startsWith(marker));
}

export interface StatedDate {
  phrase: string;
  year?: number;
  month?: number;
  day?: number;
  quarter?: number;
  /** 今年, 目前, 截至目前, 近日: the year or the whole date comes from the publication date. */
  relative: boolean;
  /** 十四五: the five years 2021–2025. */
  plan?: true;
}

const DATE = /(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?|([一二三四])季度)?|十四五|今年(?:前(\d{1,2})个月|([一二三四])季度|(\d{1,2})月)?|截至目前|目前|近日/g;
const QUARTERS = '一二三四';

/** The last date stated in a text (the one nearest to what follows it). */
export function lastStatedDate(text: string): StatedDate | undefined {
  const match = [...squash(text).matchAll(DATE)].at(-1);
  if (!match) return undefined;
  const [phrase, year, month, day, quarter, firstMonths, thisQuarter, thisMonth] = match;
  if (phrase === '十四五') return { phrase, year: 2025, relative: false, plan: true };
  if (year)
    return {
      phrase,
      year: Number(year),
      month: month ? Number(month) : undefined,
      day: day ? Number(day) : undefined,
      quarter: quarter ? QUARTERS.indexOf(quarter) + 1 : undefined,
      relative: false,
    };
  const q = thisQuarter ? QUARTERS.indexOf(thisQuarter) + 1 : undefined;
  const m = firstMonths ?? thisMonth;
  return { phrase, month: m ? Number(m) : undefined, quarter: q, relative: true };
}

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The as-of date a stated date gives: the end of the day, month, quarter or year it names (the year from `year` when the phrase is relative). */
export function endOfStated(date: StatedDate, year = date.year): string | undefined {
  if (year === undefined) return undefined;
  if (date.day && date.month) return iso(year, date.month, date.day);
  if (date.month) return iso(year, date.month, lastDay(year, date.month));
  if (date.quarter) return iso(year, date.quarter * 3, lastDay(year, date.quarter * 3));
  return iso(year, 12, 31);
}

/** Whole months from one ISO date to another (negative when `to` is earlier). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm);
}

/** Short forms of a region's Chinese name as news text prints it: 浙江省 → 浙江, 杭州市 → 杭州, 平阳县 → 平阳. */
export function shortName(nameZh: string): string {
  return nameZh.replace(/(省|市|县|区|自治区|特别行政区)$/, '');
}
