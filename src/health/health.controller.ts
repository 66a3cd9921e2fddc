import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ReadDatabase } from '../database/read-database.js';
import { Policy } from '../http/route-policy.js';

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: DataSource,
    private readonly reads: ReadDatabase,
  ) {}

  /** The process is up. Never touches the database. */
  @Get('live')
  @Policy({ cache: 'none', representation: false })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Ready for traffic: the database (and every read replica) answers and no migration is pending. 503 otherwise. */
  @Get('ready')
  @Policy({ cache: 'none', representation: false })
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const replicas = this.reads.replicated ? [() => this.ping('replicas', () => this.reads.firstRowOfEach('SELECT 1'))] : [];
    return this.health.check([() => this.ping('database', () => this.db.query('SELECT 1')), ...replicas, () => this.migrations()]);
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
      return indicator.down({ message: (error as Error).message });
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
      return indicator.down({ message: (error as Error).message });
    }
  }
}
