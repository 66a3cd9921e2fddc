import pg from 'pg';

/**
 * pg returns numeric and bigint as strings and dates as local-time Date objects. This is the one
 * place that decides otherwise: numeric and bigint become JS numbers (every figure we serve is far
 * below 2^53 and keeps its printed form alongside), date stays the ISO 'YYYY-MM-DD' string.
 */
export function parseNumeric(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new RangeError(`numeric value ${value} is not a finite number`);
  return parsed;
}

export function parseBigint(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`bigint value ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return parsed;
}

export function installPgTypeParsers(): void {
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, parseNumeric);
  pg.types.setTypeParser(pg.types.builtins.INT8, parseBigint);
  pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
}
