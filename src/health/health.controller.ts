import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { redactCredentials } from '../config/redact.js';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerStorage } from '@nestjs/throttler';
import { RedisWindowStorage } from '../http/rate-limit.js';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ReadDatabase } from '../database/read-database.js';
import { Policy } from '../http/route-policy.js';

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: DataSource,
    private readonly reads: ReadDatabase,
    @Inject(ThrottlerStorage) private readonly rateCounter: ThrottlerStorage,
  ) {}

  /** The process is up. Never touches the database. */
  @Get('live')
  @Policy({ cache: 'none', representation: false })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready for traffic: the database (and every read replica) answers and no migration is pending.
   * 503 otherwise. With REDIS_URL, `rateLimit` tells whether Redis counts for every instance; while it
   * does not, the instance is degraded (each instance counts alone), not down.
   */
  @Get('ready')
  @Policy({ cache: 'none', representation: false })
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const replicas = this.reads.replicated ? [() => this.ping('replicas', () => this.reads.firstRowOfEach('SELECT 1'))] : [];
    const counter = this.rateCounter;
    const shared =
      counter instanceof RedisWindowStorage
        ? [
            () =>
              this.indicators
                .check('rateLimit')
                .up(counter.up ? { store: 'redis' } : { store: 'redis', degraded: true, message: 'Redis does not answer: each instance counts the rate limit alone' }),
          ]
        : [];
    return this.health.check([() => this.ping('database', () => this.db.query('SELECT 1')), ...replicas, () => this.migrations(), ...shared]);
  }

  // A plain ping rather than terminus's TypeOrmHealthIndicator, which probes for packages with require().
  private async ping(key: string, query: () => Promise<unknown>) {
    const indicator = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2000)));
    try {
      await Promise.race([query(), timeout]);
      return indicator.up();
    } catch (error) {
      return this.down(indicator, key, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private async migrations() {
    const indicator = this.indicators.check('migrations');
    try {
      const pending = await this.db.showMigrations();
      return pending ? indicator.down({ pending: true, message: 'migrations are pending; run npm run migrate' }) : indicator.up({ pending: false });
    } catch (error) {
      return this.down(indicator, 'migrations', error);
    }
  }

  /** A failed check as the public sees it; the reason (hosts, ports, server messages) goes to the log. */
  private down(indicator: ReturnType<HealthIndicatorService['check']>, key: string, error: unknown) {
    this.logger.warn(`Not ready: the ${key} check failed: ${redactCredentials((error as Error).message)}`);
    return indicator.down({ message: 'did not answer; the reason is in the service log' });
  }
}
