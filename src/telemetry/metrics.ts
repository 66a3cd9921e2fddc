import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The service's Prometheus metrics, one registry per process, declared here once: every name an
 * alert or the dashboard (docs/grafana-dashboard.json) uses is in this file. Values that already
 * live elsewhere (pool counts, cache bytes, the data version) are read when scraped, not kept twice.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'regional_finance_' });

const registers = [registry];

export const requestDuration = new Histogram({
  name: 'regional_finance_http_request_duration_seconds',
  help: 'Time to answer a request, by method, route template (never the raw URL) and status; cache hits included.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers,
});

export const cacheLookups = new Counter({
  name: 'regional_finance_response_cache_lookups_total',
  help: 'Reads of cacheable routes by outcome: hit (answered from the cache) or miss (worked out).',
  labelNames: ['outcome'] as const,
  registers,
});

export const problems = new Counter({
  name: 'regional_finance_problems_total',
  help: 'problem+json answers by status and problem type; a 503 with type statement-timeout is a statement past DATABASE_STATEMENT_TIMEOUT_MS.',
  labelNames: ['status', 'type'] as const,
  registers,
});

export const statementTimeouts = new Counter({
  name: 'regional_finance_statement_timeouts_total',
  help: 'Reads cancelled by the statement timeout (each answered 503).',
  registers,
});

export const rateLimited = new Counter({
  name: 'regional_finance_rate_limited_requests_total',
  help: 'Requests refused with 429 because their client address had used its allowance.',
  registers,
});

export const rateLimitStoreErrors = new Counter({
  name: 'regional_finance_rate_limit_store_errors_total',
  help: 'Requests counted in this instance alone because Redis (REDIS_URL) did not answer: the limit fails open.',
  registers,
});

export const syncBatches = new Counter({
  name: 'regional_finance_sync_batches_total',
  help: 'Sync batches by how they ended: applied, checked (a dry run), rejected, failed, unreadable (a pull that could not be read), replayed or key-reused (an Idempotency-Key seen before).',
  labelNames: ['outcome'] as const,
  registers,
});

export const syncRowsWritten = new Counter({
  name: 'regional_finance_sync_rows_written_total',
  help: 'Observation rows created, updated or retracted by applied sync batches.',
  labelNames: ['change'] as const,
  registers,
});

/** A gauge whose value is read from elsewhere when scraped. */
export function readGauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: (gauge: Gauge<L>) => void): Gauge<L> {
  // An app created again in the same process (its tests) reads the new services.
  registry.removeSingleMetric(name);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers,
    collect() {
      this.reset();
      read(this);
    },
  });
}
