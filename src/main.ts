import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger, type LogLevel } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig, parseTrustProxy, type AppConfig } from './config/config.js';
import { boundHeapGrowth } from './config/heap.js';
import { createDataSource } from './database/data-source.js';
import { DataVersion } from './database/data-version.js';
import { openDatabaseServer } from './database/database-server.js';
import { describeData, prepareDatabase } from './seed/prepare.js';
import { PullService } from './sync/pull.service.js';
import { SyncService } from './sync/sync.service.js';
import { MetricsService } from './metrics/metrics.service.js';
import { createLoggers, NestPinoLogger } from './telemetry/logger.js';

async function main(config: AppConfig): Promise<void> {
  const loggers = createLoggers(config.LOG_LEVEL as LogLevel);
  Logger.overrideLogger(new NestPinoLogger(loggers.logger));
  const logger = new Logger('Bootstrap');
  const database = await openDatabaseServer(config);
  logger.log(database.mode === 'external' ? 'Using DATABASE_URL' : `Using the ${database.mode} PostgreSQL in ${config.EMBEDDED_PG_DATA_DIR}`);

  let shuttingDown = false;
  // Draining: new requests get 503 with Connection: close (load balancers and clients move on) while
  // the listener stays open, so no connection is reset; then in-flight requests finish and the server closes.
  const lifecycle = { draining: false };
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.log(`${signal} received: draining requests, then stopping`);
    lifecycle.draining = true;
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
    await app?.close().catch((error: Error) => logger.error(error.message));
    await database.stop();
    logger.log('Stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    app = await createApp({
      databaseUrl: database.url,
      poolSize: config.DATABASE_POOL_SIZE,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      replicaUrls: config.DATABASE_REPLICA_URLS?.split(','),
      logLevel: config.LOG_LEVEL as 'log',
      sync: { cron: config.SYNC_CRON, source: config.SYNC_SOURCE },
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      trustProxy: parseTrustProxy(config.TRUST_PROXY)!,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      corsOrigins: config.CORS_ORIGINS,
      responseCache: {
        enabled: config.RESPONSE_CACHE,
        maxEntries: config.RESPONSE_CACHE_MAX_ENTRIES,
        maxBytes: config.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
        refill: config.RESPONSE_CACHE_REFILL,
      },
      lifecycle,
      logger: loggers.logger,
      requestLog: config.LOG_REQUESTS ? loggers.requests : false,
      metrics: { enabled: config.METRICS, token: config.METRICS_TOKEN, port: config.METRICS_PORT },
      redis: config.REDIS_URL ? { url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX } : undefined,
    });
    // Migrations and the seed may run longer than any request may: their own connection, without the statement timeout.
    const preparing = await createDataSource(database.url, { poolSize: 2 }).initialize();
    let data: string;
    try {
      await prepareDatabase(preparing, { migrate: config.MIGRATIONS_RUN, seed: config.SEED_ON_START, log: (m) => logger.log(m) });
      data = await describeData(preparing).catch(() => 'No data yet: the database is not migrated');
    } finally {
      await preparing.destroy();
    }
    await app.get(DataVersion).start(database.url);
    // Batches whose writer died (a killed instance) are marked interrupted, so their keys may be sent again.
    // (Without migrations there is no batch log yet: nothing to mark.)
    const interrupted = await app
      .get(SyncService)
      .interruptOrphans()
      .catch((error: { code?: string }) => (error.code === '42P01' ? [] : Promise.reject(error as Error)));
    if (interrupted.length) logger.warn(`Batches ${interrupted.join(', ')} were left running by a stopped process: marked interrupted`);
    app.get(PullService).start();
    await app.listen({ port: config.PORT, host: config.HOST });
    const { port } = app.getHttpServer().address() as AddressInfo;
    // Every interface: localhost reaches it; one interface: only its address does.
    const host = ['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    if (config.METRICS && config.METRICS_PORT !== undefined) {
      const metrics = await app.get(MetricsService).listen(config.METRICS_PORT, config.METRICS_HOST);
      const bound = metrics.address() as AddressInfo;
      logger.log(`Metrics on http://${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}/metrics`);
    }
    logger.log(`Listening on http://${host}:${port} (API docs at http://${host}:${port}/docs)`);
    logger.log(data);
  } catch (error) {
    logger.error((error as Error).message);
    await app?.close().catch(() => undefined);
    await database.stop();
    process.exit(1);
  }
}

boundHeapGrowth();
try {
  await main(loadConfig());
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
