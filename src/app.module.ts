import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module.js';
import { AvailabilityModule } from './availability/availability.module.js';
import { ChangesModule } from './changes/changes.module.js';
import { CompareModule } from './compare/compare.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { DataVersionModule } from './database/data-version.js';
import { ReadDatabaseModule } from './database/read-database.js';
import { ProblemFilter } from './errors/problem.filter.js';
import { FiguresModule } from './figures/figures.module.js';
import { HealthModule } from './health/health.module.js';
import { QueryPipe } from './http/query.pipe.js';
import { RepresentationInterceptor } from './http/representation.interceptor.js';
import { clientTracker, FixedWindowStorage, RedisWindowStorage, RATE_LIMIT_THROTTLER, RATE_LIMIT_WINDOW_MS, rateLimitKey } from './http/rate-limit.js';
import { RateLimitGuard } from './http/rate-limit.guard.js';
import type { ResponseCacheSettings } from './http/response-cache.js';
import { ResponseCacheModule } from './http/response-cache.module.js';
import { LlmsModule } from './llms/llms.module.js';
import { McpModule } from './mcp/mcp.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import type { MetricsSettings } from './metrics/metrics.settings.js';
import { IndicatorsModule } from './indicators/indicators.module.js';
import { ObservationsModule } from './observations/observations.module.js';
import { PilotZonesModule } from './pilot-zones/pilot-zones.module.js';
import { ProgramsModule } from './programs/programs.module.js';
import { RankingsModule } from './rankings/rankings.module.js';
import { RegionSetsModule } from './region-sets/region-sets.module.js';
import { RegionsModule } from './regions/regions.module.js';
import { SnapshotsModule } from './snapshots/snapshots.module.js';
import { SourcesModule } from './sources/sources.module.js';
import type { SyncSettings } from './sync/pull.service.js';
import { SyncModule } from './sync/sync.module.js';

export interface AppModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  replicaUrls?: string[];
  sync?: SyncSettings;
  offline?: boolean;
  /** Requests per minute per client address; reads and writes alike, health checks excepted. */
  rateLimitPerMinute?: number;
  responseCache?: ResponseCacheSettings;
  metrics?: MetricsSettings;
  /** Count the rate limit in this Redis, shared by every instance; in memory without it. */
  redis?: { url: string; keyPrefix: string };
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Offline (for writing the OpenAPI document) the data source is configured but never connected.
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.databaseUrl, { poolSize: options.poolSize, statementTimeoutMs: options.statementTimeoutMs, replicaUrls: options.replicaUrls }),
          retryAttempts: 3,
          retryDelay: 1000,
          manualInitialization: options.offline,
        }),
        ReadDatabaseModule,
        DataVersionModule,
        FiguresModule,
        // One allowance per client address across all endpoints, not one per endpoint.
        ThrottlerModule.forRoot({
          throttlers: [{ name: RATE_LIMIT_THROTTLER, ttl: RATE_LIMIT_WINDOW_MS, limit: options.rateLimitPerMinute ?? 600 }],
          getTracker: (request: { ip?: string }) => clientTracker(request.ip),
          generateKey: (_context, tracker, throttler) => rateLimitKey(throttler, tracker),
          storage: options.redis ? new RedisWindowStorage(options.redis.url, options.redis.keyPrefix) : new FixedWindowStorage(),
        }),
        ResponseCacheModule.forRoot(options.responseCache ?? { enabled: false, maxEntries: 0, maxBytes: 0, refill: 0 }),
        HealthModule,
        MetricsModule.forRoot(options.metrics ?? { enabled: !options.offline }),
        RegionsModule,
        IndicatorsModule,
        ObservationsModule,
        SourcesModule,
        SnapshotsModule,
        PilotZonesModule,
        ProgramsModule,
        RegionSetsModule,
        CompareModule,
        RankingsModule,
        AvailabilityModule,
        AuthModule,
        SyncModule.forRoot(options.sync ?? {}),
        ChangesModule,
        McpModule,
        LlmsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useClass: QueryPipe },
        { provide: APP_INTERCEPTOR, useClass: RepresentationInterceptor },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
