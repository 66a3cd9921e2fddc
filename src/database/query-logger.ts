import { AdvancedConsoleLogger, type ObjectLiteral } from 'typeorm';

const MAX_ITEMS = 5;
const MAX_CHARS = 200;

/** A parameter as a log line shows it: long arrays and strings cut, with how much was left out. */
export function shortenParameter(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.length > MAX_ITEMS ? [...value.slice(0, MAX_ITEMS).map(shortenParameter), `… ${value.length - MAX_ITEMS} more`] : value.map(shortenParameter);
  }
  if (typeof value === 'string' && value.length > MAX_CHARS) return `${value.slice(0, MAX_CHARS)}… (${value.length} characters)`;
  return value;
}

/**
 * TypeORM's console logger with parameters shortened: a failed 50,000-row upsert would otherwise
 * write its whole batch, megabytes, into the log.
 */
export class QueryLogger extends AdvancedConsoleLogger {
  protected override stringifyParams(parameters: unknown[] | ObjectLiteral): string {
    // It runs while a failed query is reported: throwing here would hide the query's own error.
    try {
      return JSON.stringify(Array.isArray(parameters) ? parameters.map(shortenParameter) : parameters);
    } catch {
      return '(parameters that cannot be shown as JSON)';
    }
  }
}
