export interface MetricsSettings {
  enabled: boolean;
  /** Who may read GET /metrics: a bearer of this token; without one, clients on loopback only. */
  token?: string;
  /** Serve the metrics on a listener of their own (METRICS_HOST:METRICS_PORT) instead of /metrics. */
  port?: number;
}

/** The injection token of the settings. */
export const METRICS_SETTINGS = 'METRICS_SETTINGS';
