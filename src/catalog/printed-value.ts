import type { Unit } from './schema.js';

/**
 * How a unit printed in a source maps to the indicator's base unit. The normalized value of a
 * figure is its printed number times the scale, so 6.5 万亿元 is 6.5e12 yuan.
 */
export const PRINTED_UNITS: Readonly<Record<string, { unit: Unit; scale: number }>> = {
  元: { unit: 'CNY', scale: 1 },
  万元: { unit: 'CNY', scale: 1e4 },
  亿元: { unit: 'CNY', scale: 1e8 },
  万亿元: { unit: 'CNY', scale: 1e12 },
  家: { unit: 'count', scale: 1 },
  万家: { unit: 'count', scale: 1e4 },
  户: { unit: 'count', scale: 1 },
  万户: { unit: 'count', scale: 1e4 },
  个: { unit: 'count', scale: 1 },
  万个: { unit: 'count', scale: 1e4 },
  项: { unit: 'count', scale: 1 },
  笔: { unit: 'count', scale: 1 },
  万笔: { unit: 'count', scale: 1e4 },
  人: { unit: 'count', scale: 1 },
  次: { unit: 'count', scale: 1 },
  万次: { unit: 'count', scale: 1e4 },
  只: { unit: 'count', scale: 1 },
  条: { unit: 'count', scale: 1 },
  万条: { unit: 'count', scale: 1e4 },
  亿条: { unit: 'count', scale: 1e8 },
  场: { unit: 'count', scale: 1 },
  // 六大维度, 五大产品矩阵: six (major) dimensions, five (major) product lines.
  大: { unit: 'count', scale: 1 },
  // 居全国第一位: a rank, 1 the first.
  位: { unit: 'rank', scale: 1 },
  '%': { unit: 'percent', scale: 1 },
  个百分点: { unit: 'percentage_points', scale: 1 },
  年: { unit: 'year', scale: 1 },
};

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const MULTIPLIERS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

const FRACTION = /^(.+)分之(.+)$/;

/** Parses a number as printed: Arabic digits (with thousands separators), Chinese numerals below 万, or a fraction such as 三分之一. */
export function parsePrintedNumber(printed: string): number {
  const fraction = FRACTION.exec(printed);
  if (fraction) return parsePrintedNumber(fraction[2]) / parsePrintedNumber(fraction[1]);
  const arabic = printed.replace(/[,，]/g, '');
  if (/^-?\d+(\.\d+)?$/.test(arabic)) {
    // Beyond 15 significant digits a double no longer holds the printed number exactly, nor its value the printed one.
    const significant = arabic.replace(/^-?0*/, '').replace('.', '').replace(/^0+/, '').length;
    if (significant > 15) throw new RangeError(`"${printed}" has ${significant} significant digits; a figure holds at most 15 exactly`);
    return Number(arabic);
  }
  if (!/^[零〇一二两三四五六七八九十百千]+$/.test(printed)) throw new RangeError(`"${printed}" is not a printed number`);
  let total = 0;
  let digit = 0;
  for (const char of printed) {
    if (char in DIGITS) digit = DIGITS[char];
    else {
      total += (digit || 1) * MULTIPLIERS[char];
      digit = 0;
    }
  }
  return total + digit;
}

/** The normalized value of a printed figure, or an explanation of why it cannot be computed. */
export function normalizePrinted(valuePrinted: string, unitPrinted: string): { value: number; unit: Unit } {
  // A bare fraction (约三分之一) is a share: it is served in percent.
  const unit = unitPrinted === '' && FRACTION.test(valuePrinted) ? { unit: 'percent' as const, scale: 100 } : PRINTED_UNITS[unitPrinted];
  if (!unit) throw new RangeError(`unit "${unitPrinted}" is not one of ${Object.keys(PRINTED_UNITS).join(' ')}`);
  // Round away binary noise: 1.2 * 1e4 must be 12000, not 11999.999999999998.
  const value = Number((parsePrintedNumber(valuePrinted) * unit.scale).toPrecision(15));
  return { value, unit: unit.unit };
}
