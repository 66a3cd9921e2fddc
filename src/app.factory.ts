import { BadRequestException, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './errors/problem.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { ThrottlerStorage } from '@nestjs/throttler';
import { clientAddress, clientTracker, countRequest, FixedWindowStorage } from './http/rate-limit.js';
import { ResponseCache, type ResponseCacheSettings } from './http/response-cache.js';
import type { SyncSettings } from './sync/pull.service.js';
import { toProblem, sendProblem } from './errors/problem.filter.js';
import { registerEntityTags, registerRevalidation } from './http/etag.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerJsonParser } from './http/json-body.js';
import { policyOfRoute } from './http/route-policy.js';

import { MAX_PATH_PARAM, MAX_URL_LENGTH, setupOpenApi } from './http/openapi.js';

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
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** "*" or a comma-separated list of origins whose pages may call the API. */
  corsOrigins?: string;
  responseCache?: ResponseCacheSettings;
  /** Set by the shutdown handler: from then on every request is answered 503 with Connection: close. */
  lifecycle?: { draining: boolean };
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const problemLogger = new Logger('Fastify');
  // Answers from the response cache go out before Fastify parses the request; set once the cache is wired.
  let answerFromCache: (request: IncomingMessage, response: ServerResponse) => boolean = () => false;
  const adapter = new FastifyAdapter({
    serverFactory: (handler: http.RequestListener, settings: FastifyServerOptions) => {
      const server = http.createServer((request, response) => void (answerFromCache(request, response) || handler(request, response)));
      // What Fastify sets on the server it creates itself.
      server.keepAliveTimeout = settings.keepAliveTimeout!;
      server.requestTimeout = settings.requestTimeout!;
      server.setTimeout(settings.connectionTimeout);
      if (settings.maxRequestsPerSocket! > 0) server.maxRequestsPerSocket = settings.maxRequestsPerSocket!;
      return server;
    },
    bodyLimit: 1_048_576,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { maxParamLength: MAX_PATH_PARAM, caseSensitive: true, ignoreTrailingSlash: true },
    // Malformed URLs and over-long path segments are rejected by Fastify before routing.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, toProblem(error, request.url, problemLogger)),
    // Requests Node's HTTP parser rejects (raw non-ASCII in the URL, broken headers) never reach Fastify's routing.
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({
        type: PROBLEM_TYPES.badRequest,
        title: 'Bad Request',
        status: 400,
        detail: 'The request could not be parsed: percent-encode non-ASCII characters in the URL (浙江 is %E6%B5%99%E6%B1%9F) and send well-formed headers.',
      });
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
  });
  const logger = options.logLevel === false ? false : LEVELS.slice(0, LEVELS.indexOf(options.logLevel ?? 'log') + 1);
  // Bodies are parsed by Fastify with the parser registered below, not by Nest's.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, { logger, abortOnError: false, bodyParser: false });

  // Errors Fastify raises itself (malformed bodies) reach Nest's handler and so the ProblemFilter.
  const fastify = app.getHttpAdapter().getInstance();
  registerSecurityHeaders(fastify);
  registerEntityTags(fastify);
  const storage = app.get<ThrottlerStorage>(ThrottlerStorage);
  if (!(storage instanceof FixedWindowStorage)) throw new Error('The response cache counts hits in the FixedWindowStorage the throttler is given');
  const limit = options.rateLimitPerMinute ?? 600;
  const cache = app.get(ResponseCache);
  const origins = options.corsOrigins ?? '*';
  cache.register(fastify, {
    countRequest: (request) => countRequest(storage, limit, clientTracker(clientAddress(request, options.trustProxy ?? false))),
    draining: () => options.lifecycle?.draining ?? false,
    keyByOrigin: origins !== '*',
  });
  answerFromCache = (request, response) => cache.answer(request, response);
  registerRevalidation(fastify);
  // A route that takes a larger body says so in its policy; every other body stays small.
  fastify.addHook('onRoute', (route) => {
    const { bodyLimit } = policyOfRoute(route.config);
    if (bodyLimit) route.bodyLimit = bodyLimit;
  });
  registerJsonParser(fastify);
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
      const error = Object.assign(new Error(`The URL is longer than ${MAX_URL_LENGTH} characters.`), { statusCode: 414 });
      sendProblem(reply, toProblem(error, request.url.slice(0, 200), problemLogger));
      return reply;
    }
    if (/%00/i.test(request.url)) {
      sendProblem(reply, toProblem(new BadRequestException('The request URL contains a NUL character (%00), which no parameter accepts.'), request.url, problemLogger));
      return reply;
    }
  });

  // Frontends on other origins read the figures; writes still need an API key.
  app.enableCors({
    origin: origins === '*' ? '*' : origins.split(','),
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'Accept-Language'],
    exposedHeaders: ['ETag', 'Content-Language', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  setupOpenApi(app);
  await app.init();
  return app;
}
