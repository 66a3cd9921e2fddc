import { plainToInstance, Transform } from 'class-transformer';
import { Cron } from 'croner';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  NotEquals,
  Validate,
  ValidatorConstraint,
  validateSync,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import ipaddr from 'ipaddr.js';

@ValidatorConstraint({ name: 'isCronPattern' })
class IsCronPattern implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    try {
      new Cron(String(value), { paused: true }).stop();
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'SYNC_CRON must be a cron expression such as "0 */15 * * * *" (seconds optional)';
  }
}

/** Which hops of X-Forwarded-For are proxies of ours: none, how many stand in front, or their addresses (IPs, CIDR ranges, loopback…). */
export type TrustProxy = false | number | string[];

const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY as a setting spells it: false, a hop count (1 to 99) or a comma-separated list; undefined when it is none of these. */
export function parseTrustProxy(value: string): TrustProxy | undefined {
  if (/^(false|0)$/i.test(value)) return false;
  if (/^[1-9]\d?$/.test(value)) return Number(value);
  const list = value.split(',').map((entry) => entry.trim());
  const isProxy = (entry: string) => PROXY_KEYWORDS.includes(entry) || ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry);
  return list.every(isProxy) ? list : undefined;
}

@ValidatorConstraint({ name: 'isTrustProxy' })
class IsTrustProxy implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseTrustProxy(value) !== undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return String(args.value).toLowerCase() === 'true'
      ? 'TRUST_PROXY=true would let any client choose its own address through X-Forwarded-For: give the number of proxies in front of the service (1) or their addresses (10.0.0.0/8,loopback)'
      : 'TRUST_PROXY must be false, the number of proxies in front of the service (1 to 99), or a comma-separated list of their addresses or ranges (10.0.0.0/8,loopback)';
  }
}

/** Settings without a default, listed so loadConfig reads them from the environment. */
export const OPTIONAL_SETTINGS = [
  'DATABASE_URL',
  'DATABASE_REPLICA_URLS',
  'EMBEDDED_PG_PORT',
  'EMBEDDED_PG_SETTINGS',
  'SOURCES_DIR',
  'SYNC_CRON',
  'SYNC_SOURCE',
  'METRICS_TOKEN',
  'METRICS_PORT',
  'REDIS_URL',
];

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (({ true: true, '1': true, false: false, '0': false } as Record<string, boolean>)[value.toLowerCase()] ?? value) : value;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** `name=value` pairs, separated by spaces or commas: the form EMBEDDED_PG_SETTINGS takes. */
const SETTINGS_LIST = /^\s*[a-z_]+=[^\s,=]+(\s*[\s,]\s*[a-z_]+=[^\s,=]+)*\s*$/;
const PORT_MESSAGE = 'PORT must be an integer between 0 and 65535';
const EMBEDDED_PORT_MESSAGE = 'EMBEDDED_PG_PORT must be an integer between 1024 and 65535';
const RATE_MESSAGE = 'RATE_LIMIT_PER_MINUTE must be a positive integer';
const POOL_MESSAGE = 'DATABASE_POOL_SIZE must be an integer between 1 and 100';

/** Every setting the service reads from the environment, with its default. */
export class AppConfig {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  /** Comma-separated; reads go to these streaming replicas of DATABASE_URL. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s,]+(,postgres(ql)?:\/\/[^\s,]+)*$/, { message: 'DATABASE_REPLICA_URLS must be a comma-separated list of postgres:// connection URLs' })
  DATABASE_REPLICA_URLS?: string;

  @Transform(toInt)
  @IsInt({ message: PORT_MESSAGE })
  @Min(0, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  PORT = 3000;

  @Matches(/^([0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, { message: 'HOST must be an IP address or a host name' })
  HOST = '0.0.0.0';

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: EMBEDDED_PORT_MESSAGE })
  @Min(1024, { message: EMBEDDED_PORT_MESSAGE })
  @Max(65535, { message: EMBEDDED_PORT_MESSAGE })
  @NotEquals(5432, { message: 'EMBEDDED_PG_PORT must not be 5432, where a system PostgreSQL may already run' })
  EMBEDDED_PG_PORT?: number;

  @IsString()
  EMBEDDED_PG_DATA_DIR = '.data/postgres';

  /** Server settings of the embedded PostgreSQL over those sized from the machine's memory, e.g. "shared_buffers=2GB work_mem=16MB". */
  @IsOptional()
  @Matches(SETTINGS_LIST, { message: 'EMBEDDED_PG_SETTINGS must be name=value pairs separated by spaces or commas, e.g. "shared_buffers=2GB work_mem=16MB"' })
  EMBEDDED_PG_SETTINGS?: string;

  @Transform(toBoolean)
  @IsBoolean({ message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN = true;

  @Transform(toBoolean)
  @IsBoolean({ message: 'SEED_ON_START must be true or false' })
  SEED_ON_START = true;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'], { message: 'LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose' })
  LOG_LEVEL = 'log';

  @Transform(toInt)
  @IsInt({ message: POOL_MESSAGE })
  @Min(1, { message: POOL_MESSAGE })
  @Max(100, { message: POOL_MESSAGE })
  DATABASE_POOL_SIZE = 10;

  @Transform(toInt)
  @IsInt({ message: 'DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds (0 for none)' })
  @Min(0, { message: 'DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds (0 for none)' })
  DATABASE_STATEMENT_TIMEOUT_MS = 5000;

  @Transform(toInt)
  @IsInt({ message: 'SHUTDOWN_DRAIN_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'SHUTDOWN_DRAIN_MS must be a whole number of milliseconds' })
  SHUTDOWN_DRAIN_MS = 1000;

  @IsOptional()
  @IsString()
  SOURCES_DIR?: string;

  @Transform(toInt)
  @IsInt({ message: RATE_MESSAGE })
  @Min(1, { message: RATE_MESSAGE })
  RATE_LIMIT_PER_MINUTE = 600;

  /** Which proxies' X-Forwarded-For entries are believed (see parseTrustProxy). */
  @Validate(IsTrustProxy)
  TRUST_PROXY = 'false';

  @Transform(toInt)
  @IsInt({ message: 'REQUEST_TIMEOUT_MS must be a whole number of milliseconds, 1000 or more' })
  @Min(1000, { message: 'REQUEST_TIMEOUT_MS must be a whole number of milliseconds, 1000 or more' })
  REQUEST_TIMEOUT_MS = 60_000;

  @Transform(toBoolean)
  @IsBoolean({ message: 'RESPONSE_CACHE must be true or false' })
  RESPONSE_CACHE = true;

  @Transform(toInt)
  @IsInt({ message: 'RESPONSE_CACHE_MAX_ENTRIES must be a positive integer' })
  @Min(1, { message: 'RESPONSE_CACHE_MAX_ENTRIES must be a positive integer' })
  RESPONSE_CACHE_MAX_ENTRIES = 10_000;

  @Transform(toInt)
  @IsInt({ message: 'RESPONSE_CACHE_MAX_MB must be a positive integer' })
  @Min(1, { message: 'RESPONSE_CACHE_MAX_MB must be a positive integer' })
  RESPONSE_CACHE_MAX_MB = 256;

  @Transform(toInt)
  @IsInt({ message: 'RESPONSE_CACHE_REFILL must be a whole number, 0 or more' })
  @Min(0, { message: 'RESPONSE_CACHE_REFILL must be a whole number, 0 or more' })
  RESPONSE_CACHE_REFILL = 50;

  @Matches(/^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/, { message: 'CORS_ORIGINS must be * or a comma-separated list of http(s) origins' })
  CORS_ORIGINS = '*';

  @IsOptional()
  @Validate(IsCronPattern)
  SYNC_CRON?: string;

  @IsOptional()
  @IsString()
  SYNC_SOURCE?: string;

  /** One JSON line per request (method, route, status, duration, cache, client, request id). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'LOG_REQUESTS must be true or false' })
  LOG_REQUESTS = true;

  @Transform(toBoolean)
  @IsBoolean({ message: 'METRICS must be true or false' })
  METRICS = true;

  /** Who may read /metrics: a bearer of this token. Unset: clients on loopback only. */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,200}$/, { message: 'METRICS_TOKEN must be 16 to 200 printable ASCII characters without spaces' })
  METRICS_TOKEN?: string;

  /** Serve the metrics on this port of their own (at METRICS_HOST) instead of /metrics on PORT. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'METRICS_PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'METRICS_PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'METRICS_PORT must be an integer between 0 and 65535' })
  METRICS_PORT?: number;

  @Matches(/^([0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, { message: 'METRICS_HOST must be an IP address or a host name' })
  METRICS_HOST = '127.0.0.1';

  /** Rate-limit counters shared by every instance; without it each instance counts alone. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Matches(/^[\w:.-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1 to 64 letters, digits or _ : . -' })
  REDIS_KEY_PREFIX = 'regional-finance:';
}

export class ConfigError extends Error {}

/** Reads and validates the environment; the first problem is reported as one line naming the setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat(OPTIONAL_SETTINGS);
  const raw: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (!errors.length && Boolean(config.SYNC_CRON) !== Boolean(config.SYNC_SOURCE)) {
    throw new ConfigError('Invalid configuration: SYNC_CRON and SYNC_SOURCE must be set together (got only ' + (config.SYNC_CRON ? 'SYNC_CRON' : 'SYNC_SOURCE') + ')');
  }
  if (!errors.length && config.DATABASE_REPLICA_URLS && !config.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: DATABASE_REPLICA_URLS needs DATABASE_URL, the primary they replicate (the embedded PostgreSQL has no replicas)');
  }
  if (errors.length > 0) {
    const first = errors[0];
    const message = Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid`;
    throw new ConfigError(`Invalid configuration: ${message} (got ${JSON.stringify(raw[first.property])})`);
  }
  return config;
}
