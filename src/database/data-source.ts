import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { installPgTypeParsers } from './pg-types.js';
import { QueryLogger } from './query-logger.js';

installPgTypeParsers();

export interface PoolSettings {
  poolSize?: number;
  /** Longest a single statement may run, in ms (0: no limit); the app's pool sets one, migrations and CLIs do not. */
  statementTimeoutMs?: number;
  /** Streaming replicas that serve reads (ReadDatabase); writes and migrations stay on `url`. */
  replicaUrls?: string[];
}

/** How long a request waits for a pooled connection before it is told the database is unavailable. */
export const CONNECT_TIMEOUT_MS = 3000;

export function dataSourceOptions(url: string, { poolSize = 10, statementTimeoutMs = 0, replicaUrls = [] }: PoolSettings = {}): DataSourceOptions {
  return {
    type: 'postgres',
    ...(replicaUrls.length ? { replication: { master: { url }, slaves: replicaUrls.map((replica) => ({ url: replica })) } } : { url }),
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logger: new QueryLogger(['error']),
    extra: { max: poolSize, application_name: 'regional-finance-api', statement_timeout: statementTimeoutMs, connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
  };
}

export function createDataSource(url: string, settings?: PoolSettings): DataSource {
  return new DataSource(dataSourceOptions(url, settings));
}
