import { BadRequestException, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LogController, type FastifyError, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './errors/problem.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { ThrottlerStorage } from '@nestjs/throttler';
import { clientAddress, clientTracker, countRequest, trustedHop, type RateCounter } from './http/rate-limit.js';
import type { TrustProxy } from './config/config.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { registerApiKeyCheck } from './http/api-key.hook.js';
import { ResponseCache, type ResponseCacheSettings } from './http/response-cache.js';
import { internalRequestKind } from './http/internal-request.js';
import type { Logger as PinoLogger } from 'pino';
import { NestPinoLogger } from './telemetry/logger.js';
import { RequestTelemetry, requestIdOf } from './telemetry/requests.js';
import type { MetricsSettings } from './metrics/metrics.settings.js';
import type { SyncSettings } from './sync/pull.service.js';
import { toProblem, sendProblem } from './errors/problem.filter.js';
import { registerEntityTags, registerRevalidation } from './http/etag.js';
import { arrivedOverHttps, registerSecurityHeaders } from './http/security-headers.js';
import { registerJsonParser, registerLargeBodyBound } from './http/json-body.js';
import { policyOfRoute } from './http/route-policy.js';

import { registerExplorer } from './explorer/explorer.js';
import { LlmsService } from './llms/llms.service.js';
import { McpService } from './mcp/mcp.service.js';
import { MAX_PATH_PARAM, MAX_URL_LENGTH, setupOpenApi, URL_TOO_LONG } from './http/openapi.js';

export interface CreateAppOptions {
  databaseUrl: string;
  poolSize?: number;
  /** Longest a statement of a request may run (ms); past it the request answers 503. */
  statementTimeoutMs?: number;
  /** Streaming replicas of databaseUrl that serve the reads. */
  replicaUrls?: string[];
  logLevel?: LogLevel | false;
  sync?: SyncSettings;
  /** Build the app without connecting to a database, to write the OpenAPI document. */
  offline?: boolean;
  rateLimitPerMinute?: number;
  /** Which X-Forwarded-For hops are proxies of ours; the client is the address next to the last of them. */
  trustProxy?: TrustProxy;
  /** Longest a request may take to arrive whole, headers and body (ms). */
  requestTimeoutMs?: number;
  /** "*" or a comma-separated list of origins whose pages may call the API. */
  corsOrigins?: string;
  responseCache?: ResponseCacheSettings;
  /** Set by the shutdown handler: from then on every request is answered 503 with Connection: close. */
  lifecycle?: { draining: boolean };
  /** The process's logger (createLogger); Nest's lines and Fastify's go to it. */
  logger?: PinoLogger;
  /** Where the line per request goes (createLoggers' `requests`); false: no such lines. */
  requestLog?: PinoLogger | false;
  /** Keep Prometheus metrics and serve them (default true). */
  metrics?: MetricsSettings;
  /** Count the rate limit in this Redis, shared by every instance (REDIS_URL); in memory without it. */
  redis?: { url: string; keyPrefix: string };
}

export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const problemLogger = new Logger('Fastify');
  // Answers from the response cache go out before Fastify parses the request; set once the cache is wired.
  let answerFromCache: (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean> = () => false;
  const telemetry = new RequestTelemetry({ metrics: options.metrics?.enabled ?? true, log: options.requestLog || undefined });
  const trusted = trustedHop(options.trustProxy ?? false);
  const requestTimeout = options.requestTimeoutMs ?? 60_000;
  const adapter = new FastifyAdapter({
    serverFactory: (handler: http.RequestListener, settings: FastifyServerOptions) => {
      // A request that trickles in is cut once it has taken requestTimeout, checked a few times within it.
      const checkEvery = Math.min(30_000, Math.max(250, Math.floor(requestTimeout / 4)));
      const server = http.createServer({ connectionsCheckingInterval: checkEvery }, (request, response) => {
        const answered = answerFromCache(request, response);
        if (answered === false) handler(request, response);
        else if (answered !== true)
          void answered.then(
            (done) => done || handler(request, response),
            () => handler(request, response),
          );
      });
      // What Fastify sets on the server it creates itself.
      server.keepAliveTimeout = settings.keepAliveTimeout!;
      server.requestTimeout = settings.requestTimeout!;
      server.headersTimeout = Math.min(60_000, settings.requestTimeout!);
      server.setTimeout(settings.connectionTimeout);
      if (settings.maxRequestsPerSocket! > 0) server.maxRequestsPerSocket = settings.maxRequestsPerSocket!;
      return server;
    },
    bodyLimit: 1_048_576,
    requestTimeout,
    ...(options.logger ? { loggerInstance: options.logger } : {}),
    // One line per request is written when it is answered (onResponse, and the cache's hits), not two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (request: IncomingMessage) => requestIdOf(request.headers),
    // While closing, requests on open connections still reach the draining hook below (problem+json,
    // Retry-After), not Fastify's own 503 body.
    return503OnClosing: false,
    trustProxy: options.trustProxy === false || options.trustProxy === undefined ? false : trusted,
    routerOptions: { maxParamLength: MAX_PATH_PARAM, caseSensitive: true, ignoreTrailingSlash: true },
    // Malformed URLs and over-long path segments are rejected by Fastify before routing.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, toProblem(error, request.url, problemLogger)),
    // Requests Node's HTTP parser rejects (raw non-ASCII in the URL, broken headers) never reach Fastify's routing.
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (!socket.writable) return socket.destroy();
      const [status, title, type, detail] =
        error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [
              408,
              'Request Timeout',
              PROBLEM_TYPES.requestTimeout,
              `The request did not arrive whole within ${requestTimeout / 1000} s (REQUEST_TIMEOUT_MS); send it again, faster.`,
            ]
          : error.code === 'HPE_HEADER_OVERFLOW'
            ? [431, 'Request Header Fields Too Large', PROBLEM_TYPES.headersTooLarge, 'The request headers are larger than 16 KB together; send fewer or shorter ones.']
            : [
                400,
                'Bad Request',
                PROBLEM_TYPES.badRequest,
                'The request could not be parsed: percent-encode non-ASCII characters in the URL (浙江 is %E6%B5%99%E6%B1%9F) and send well-formed headers.',
              ];
      const body = JSON.stringify({ type, title, status, detail });
      socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
  });
  const logger = options.logLevel === false || !options.logger ? false : new NestPinoLogger(options.logger);
  // Bodies are parsed by Fastify with the parser registered below, not by Nest's.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, { logger, abortOnError: false, bodyParser: false });

  // Errors Fastify raises itself (malformed bodies) reach Nest's handler and so the ProblemFilter.
  const fastify = app.getHttpAdapter().getInstance();
  // The request's id goes back with every answer (and in every problem body), for a user to quote.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (internalRequestKind(request.raw) !== 'refill')
      telemetry.answered({
        id: request.id,
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        url: request.url,
        status: reply.statusCode,
        seconds: reply.elapsedTime / 1000,
        cache: reply.getHeader('x-cache') as string | undefined,
        client: request.ip,
      });
    done();
  });
  const secure = (request: IncomingMessage) => arrivedOverHttps(request, trusted);
  registerSecurityHeaders(fastify, secure);
  registerEntityTags(fastify);
  const storage = app.get<ThrottlerStorage>(ThrottlerStorage) as RateCounter;
  const limit = options.rateLimitPerMinute ?? 600;
  const cache = app.get(ResponseCache);
  const origins = options.corsOrigins ?? '*';
  cache.register(fastify, {
    countRequest: (client) => countRequest(storage, limit, clientTracker(client)),
    answered: (request) => telemetry.answered(request),
    client: (request) => clientAddress(request, trusted),
    draining: () => options.lifecycle?.draining ?? false,
    keyByOrigin: origins !== '*',
    secure,
  });
  answerFromCache = (request, response) => cache.answer(request, response);
  registerRevalidation(fastify);
  // A route that takes a larger body says so in its policy; every other body stays small.
  fastify.addHook('onRoute', (route) => {
    const { bodyLimit } = policyOfRoute(route.config);
    if (bodyLimit) route.bodyLimit = bodyLimit;
  });
  registerJsonParser(fastify);
  // Once draining, every answer closes its connection, those admitted before the signal too, so no
  // keep-alive connection is left idle for the close to cut under a client's next request.
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (options.lifecycle?.draining) reply.header('Connection', 'close');
    return payload;
  });
  // PostgreSQL text cannot hold NUL; refuse it at the door rather than fail in a query.
  fastify.addHook('onRequest', async (request, reply) => {
    if (options.lifecycle?.draining) {
      reply.header('Connection', 'close');
      sendProblem(reply, {
        type: PROBLEM_TYPES.serviceUnavailable,
        title: 'Service Unavailable',
        status: 503,
        detail: 'This instance is shutting down; retry, and another instance (or this one, restarted) will answer.',
        instance: request.url,
      });
      return reply;
    }
    if (request.url.length > MAX_URL_LENGTH) {
      const error = Object.assign(new Error(URL_TOO_LONG), { statusCode: 414 });
      sendProblem(reply, toProblem(error, request.url.slice(0, 200), problemLogger));
      return reply;
    }
    if (/%00/i.test(request.url)) {
      sendProblem(reply, toProblem(new BadRequestException('The request URL contains a NUL character (%00), which no parameter accepts.'), request.url, problemLogger));
      return reply;
    }
  });

  // The bound first: a batch told to come back costs no key check (two statements) while two are written.
  registerLargeBodyBound(fastify);
  registerApiKeyCheck(fastify, app.get(ApiKeysService));

  // Frontends on other origins read the figures; writes still need an API key.
  app.enableCors({
    origin: origins === '*' ? '*' : origins.split(','),
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'Accept-Language', 'X-Request-Id', 'Mcp-Protocol-Version'],
    exposedHeaders: ['ETag', 'Content-Language', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Idempotent-Replayed', 'X-Request-Id'],
    maxAge: 600,
    // An OPTIONS without Origin is a plain OPTIONS (RFC 9110), not a malformed preflight: 204, not 400 text/plain.
    strictPreflight: false,
  });
  const document = setupOpenApi(app);
  app.get(McpService).attach(fastify, document);
  app.get(LlmsService).attach(fastify, document);
  await registerExplorer(app);
  await app.init();
  return app;
}
