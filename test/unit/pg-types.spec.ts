import pg from 'pg';
import { installPgTypeParsers, parseBigint, parseNumeric } from '../../src/database/pg-types.js';

describe('pg type parsers', () => {
  it('turns numeric strings into numbers', () => {
    expect(parseNumeric('6500000000000')).toBe(6.5e12);
    expect(parseNumeric('3.95')).toBe(3.95);
    expect(parseNumeric('-0.25')).toBe(-0.25);
  });

  it('refuses numerics that are not finite numbers', () => {
    expect(() => parseNumeric('NaN')).toThrow(RangeError);
  });

  it('turns bigints into numbers only while they are exact', () => {
    expect(parseBigint('42')).toBe(42);
    expect(parseBigint(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseBigint('9007199254740993')).toThrow(/MAX_SAFE_INTEGER/);
  });

  it('is what pg uses once installed', () => {
    installPgTypeParsers();
    expect(pg.types.getTypeParser(pg.types.builtins.NUMERIC)('1.5')).toBe(1.5);
    expect(pg.types.getTypeParser(pg.types.builtins.INT8)('7')).toBe(7);
    expect(pg.types.getTypeParser(pg.types.builtins.DATE)('2026-04-30')).toBe('2026-04-30');
  });
});
