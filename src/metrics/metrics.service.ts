import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import http from 'node:http';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { DataVersion } from '../database/data-version.js';
import { RedisWindowStorage } from '../http/rate-limit.js';
import { ResponseCache } from '../http/response-cache.js';
import { readGauge, registry } from '../telemetry/metrics.js';

type Pool = pg.Pool & { totalCount: number; idleCount: number; waitingCount: number };

/** The gauges whose values live in the services (read when scraped), and the metrics' own listener when METRICS_PORT asks for one. */
@Injectable()
export class MetricsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly version: DataVersion,
    private readonly cache: ResponseCache,
    @Inject(ThrottlerStorage) private readonly rateCounter: ThrottlerStorage,
  ) {}

  onModuleInit(): void {
    readGauge('regional_finance_data_version', 'The data version this instance answers under (it moves with every write).', [], (gauge) => {
      const version = Number(this.version.current);
      if (Number.isFinite(version)) gauge.set(version);
    });
    readGauge('regional_finance_response_cache_entries', 'Answers kept in the response cache.', [], (gauge) => gauge.set(this.cache.size.entries));
    readGauge('regional_finance_response_cache_bytes', 'Bytes of the answers kept in the response cache (plain and gzipped).', [], (gauge) => gauge.set(this.cache.size.bytes));
    readGauge(
      'regional_finance_db_pool_connections',
      'Database connections by pool (primary, replica N) and state (in_use, idle, waiting: requests waiting for one).',
      ['pool', 'state'],
      (gauge) => {
        const driver = this.dataSource.driver as PostgresDriver & { master?: Pool; slaves?: Pool[] };
        const pools: [string, Pool | undefined][] = [['primary', driver.master], ...(driver.slaves ?? []).map((pool, i): [string, Pool] => [`replica ${i + 1}`, pool])];
        for (const [name, pool] of pools) {
          if (!pool) continue;
          gauge.set({ pool: name, state: 'in_use' }, pool.totalCount - pool.idleCount);
          gauge.set({ pool: name, state: 'idle' }, pool.idleCount);
          gauge.set({ pool: name, state: 'waiting' }, pool.waitingCount);
        }
      },
    );
    const counter = this.rateCounter;
    if (counter instanceof RedisWindowStorage)
      readGauge('regional_finance_rate_limit_store_up', '1 while Redis (REDIS_URL) counts the rate limit for every instance; 0 while this instance counts alone.', [], (gauge) =>
        gauge.set(counter.up ? 1 : 0),
      );
  }

  /** GET /metrics on a listener of its own, for METRICS_PORT: nothing else is served there, and nothing public reaches it when bound to an internal interface. */
  listen(port: number, host: string): Promise<http.Server> {
    const server = http.createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: GET /metrics\n');
        return;
      }
      void registry.metrics().then(
        (text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    return new Promise((resolve, reject) => server.once('error', reject).listen(port, host, () => resolve(server)));
  }
}
