import { Module, type DynamicModule } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { METRICS_SETTINGS, type MetricsSettings } from './metrics.settings.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus metrics: GET /metrics (or a port of its own), and the gauges read from the services when scraped. */
@Module({})
export class MetricsModule {
  static forRoot(settings: MetricsSettings): DynamicModule {
    return {
      module: MetricsModule,
      controllers: settings.enabled && settings.port === undefined ? [MetricsController] : [],
      providers: [{ provide: METRICS_SETTINGS, useValue: settings }, ...(settings.enabled ? [MetricsService] : [])],
    };
  }
}
