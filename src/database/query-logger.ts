import { Logger } from '@nestjs/common';
import { AdvancedConsoleLogger, type LogLevel, type LogMessage, type ObjectLiteral, type QueryRunner } from 'typeorm';

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
 * TypeORM's logger with parameters shortened (a failed 50,000-row upsert would otherwise write its
 * whole batch, megabytes, into the log), writing through the service's logger (JSON lines) rather
 * than the console.
 */
export class QueryLogger extends AdvancedConsoleLogger {
  private readonly logger = new Logger('Database');

  protected override writeLog(level: LogLevel, logMessage: LogMessage | LogMessage[], _queryRunner?: QueryRunner): void {
    for (const message of this.prepareLogMessages(logMessage)) {
      const text = message.prefix ? `${message.prefix} ${String(message.message)}` : String(message.message);
      const type = message.type ?? level;
      // A failed statement is debug detail: its error reaches whoever ran it, and is answered and
      // logged there (a 503 once per outage, a 500 with its stack); here the statement and its
      // parameters are kept for LOG_LEVEL=debug.
      if (type === 'error') this.logger.error(text);
      else if (type === 'query-slow' || type === 'warn') this.logger.warn(text);
      else this.logger.debug(text);
    }
  }

  protected override stringifyParams(parameters: unknown[] | ObjectLiteral): string {
    // It runs while a failed query is reported: throwing here would hide the query's own error.
    try {
      return JSON.stringify(Array.isArray(parameters) ? parameters.map(shortenParameter) : parameters);
    } catch {
      return '(parameters that cannot be shown as JSON)';
    }
  }
}
