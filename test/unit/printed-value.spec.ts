import { normalizePrinted, parsePrintedNumber } from '../../src/catalog/printed-value.js';

describe('printed values', () => {
  it.each([
    ['6.5', 6.5],
    ['1,234', 1234],
    ['494', 494],
    ['三', 3],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['一百零五', 105],
    ['两千', 2000],
    ['百', 100],
    ['三分之一', 1 / 3],
  ])('parses %s as %d', (printed, expected) => {
    expect(parsePrintedNumber(printed)).toBe(expected);
  });

  it('rejects text that is not a number', () => {
    expect(() => parsePrintedNumber('约5')).toThrow(/not a printed number/);
    expect(() => parsePrintedNumber('1'.repeat(50))).toThrow(/50 significant digits; a figure holds at most 15 exactly/);
    expect(parsePrintedNumber('123456789012.345')).toBe(123456789012.345);
    expect(() => parsePrintedNumber('')).toThrow(/not a printed number/);
  });

  it.each([
    ['6.5', '万亿元', 6.5e12, 'CNY'],
    ['3.95', '万亿元', 3.95e12, 'CNY'],
    ['1.2', '万元', 12000, 'CNY'],
    ['135.6', '亿元', 13_560_000_000, 'CNY'],
    ['494', '万户', 4_940_000, 'count'],
    ['49.9', '万家', 499_000, 'count'],
    ['23.7', '%', 23.7, 'percent'],
    ['0.3', '个百分点', 0.3, 'percentage_points'],
    ['61.7', '亿条', 6_170_000_000, 'count'],
    ['三分之一', '', 33.3333333333333, 'percent'],
  ])('normalizes %s %s to %d %s without binary noise', (value, unit, expected, baseUnit) => {
    expect(normalizePrinted(value, unit)).toEqual({ value: expected, unit: baseUnit });
  });

  it('names the accepted units when a unit is unknown', () => {
    expect(() => normalizePrinted('5', '亿美元')).toThrow(/unit "亿美元" is not one of .*万亿元/);
  });
});
