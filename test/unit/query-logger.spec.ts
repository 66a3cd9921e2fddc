import { Logger, type LoggerService } from '@nestjs/common';
import { QueryLogger, shortenParameter } from '../../src/database/query-logger.js';

/** What a failed query writes to the service's log (at debug level), as one text. */
function failedQueryLog(error: string, query: string, parameters: unknown[]): string {
  const lines: string[] = [];
  const capture = (message: unknown) => void lines.push(String(message));
  const logger: LoggerService = { log: capture, error: capture, warn: capture, debug: capture, verbose: capture, fatal: capture };
  Logger.overrideLogger(logger);
  try {
    new QueryLogger(['error']).logQueryError(error, query, parameters);
  } finally {
    Logger.overrideLogger(false);
  }
  return lines.join('\n');
}

describe('query logger', () => {
  it('cuts long arrays and strings, saying how much is left out', () => {
    expect(shortenParameter(['a', 'b'])).toEqual(['a', 'b']);
    expect(shortenParameter(Array.from({ length: 50_000 }, (_, i) => i))).toEqual([0, 1, 2, 3, 4, '… 49995 more']);
    expect(shortenParameter('x'.repeat(1000))).toBe(`${'x'.repeat(200)}… (1000 characters)`);
    expect(shortenParameter([['y'.repeat(300)]])).toEqual([[`${'y'.repeat(200)}… (300 characters)`]]);
    expect(shortenParameter(42)).toBe(42);
    expect(shortenParameter(null)).toBeNull();
  });

  it('logs a failed 50,000-row statement in a few hundred characters', () => {
    const quotes = Array.from({ length: 50_000 }, (_, i) => `benchmark row ${i}`);
    const text = failedQueryLog('canceling statement due to statement timeout', 'INSERT INTO observations SELECT * FROM unnest($1::text[])', [quotes]);
    expect(text).toContain('statement timeout');
    expect(text).toContain('benchmark row 4');
    expect(text).toContain('49995 more');
    expect(text).not.toContain('benchmark row 5"');
    expect(text.length).toBeLessThan(1000);
  });

  it('still reports the failed query when its parameters cannot be written as JSON', () => {
    expect(failedQueryLog('division by zero', 'SELECT $1::bigint / 0', [10n])).toContain('division by zero');
  });
});
