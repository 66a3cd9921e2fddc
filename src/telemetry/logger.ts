import type { LoggerService, LogLevel } from '@nestjs/common';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactCredentials } from '../config/redact.js';

const PINO_LEVELS: Record<LogLevel, string> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Nest's own start-up lines (each module and route mapped) are debug detail: at the default level the start is a short summary. */
const START_UP_DETAIL = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Fields that may hold a secret, wherever a log call puts them. */
const REDACTED = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'token',
];

export interface Loggers {
  /** Every line but the requests': secrets removed by field and from any URL in a message. */
  logger: Logger;
  /**
   * The line per request, to the same output without the redaction: its fields are fixed (method,
   * route, URL path, status, timing, address, id) and hold no secret, and redaction was two thirds
   * of its cost (about 10 of 17 µs a line on the bench machine).
   */
  requests: Logger;
}

/**
 * The process's loggers: one JSON object per line (pino), or readable lines when stdout is a
 * terminal. Secrets are removed twice over: the fields above wherever they appear, and the
 * credentials of any URL inside a message (a DATABASE_URL in a connection error, say).
 */
export function createLoggers(level: LogLevel, terminal = Boolean(process.stdout.isTTY)): Loggers {
  const common: LoggerOptions = {
    level: PINO_LEVELS[level],
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const guarded: LoggerOptions = {
    ...common,
    redact: { paths: REDACTED, censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactCredentials(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  if (terminal) {
    const logger = pino({ ...guarded, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid' } } });
    return { logger, requests: logger };
  }
  // Written without blocking the event loop, and flushed before the process exits.
  const destination = pino.destination({ dest: 1, sync: false });
  process.on('exit', () => destination.flushSync());
  return { logger: pino(guarded, destination), requests: pino(common, destination) };
}

/** Nest's logging (its own lines and every `new Logger(context)`) through the process's logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = contextOf(rest);
    if (context && START_UP_DETAIL.has(context)) this.write('debug', message, rest);
    else this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context); the stack goes with the line as a field of its own.
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    this.write('error', message, rest, stack);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, rest: unknown[], stack?: string): void {
    const context = contextOf(rest);
    const fields = { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else this.logger[level](fields, typeof message === 'string' ? message : JSON.stringify(message));
  }
}

/** Nest gives the context last. */
const contextOf = (rest: unknown[]): string | undefined => (typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined);
