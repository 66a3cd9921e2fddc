import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { requestDuration } from './metrics.js';

/** An X-Request-Id a client or proxy sent is kept when it is a plain token; anything else is replaced. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request's id: the X-Request-Id it came with, else a new UUID. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const sent = headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

export interface AnsweredRequest {
  id: string;
  method: string;
  /** The route template (/v1/regions/:code), never the raw path: label values stay few. */
  route: string;
  url: string;
  status: number;
  seconds: number;
  /** HIT or MISS on cacheable routes. */
  cache?: string;
  client?: string;
}

export interface RequestTelemetrySettings {
  /** Observe regional_finance_http_request_duration_seconds. */
  metrics: boolean;
  /** Write one line per request here; none when undefined. */
  log?: Logger;
}

/** What is recorded of every answered request, whether Fastify answered it or the response cache did. */
export class RequestTelemetry {
  constructor(private readonly settings: RequestTelemetrySettings) {}

  answered(request: AnsweredRequest): void {
    if (this.settings.metrics) requestDuration.observe({ method: request.method, route: request.route, status: String(request.status) }, request.seconds);
    this.settings.log?.info(
      {
        reqId: request.id,
        method: request.method,
        route: request.route,
        url: request.url,
        status: request.status,
        ms: Math.round(request.seconds * 100_000) / 100,
        cache: request.cache,
        client: request.client,
      },
      'request',
    );
  }
}
