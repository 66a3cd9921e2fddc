import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { toProblem, sendProblem } from './errors/problem.filter.js';
import { ProblemValidationPipe } from './errors/validation.pipe.js';
import { setupOpenApi } from './http/openapi.js';

export interface CreateAppOptions {
  databaseUrl: string;
  poolSize?: number;
  logLevel?: LogLevel | false;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: 1_048_576, maxParamLength: 200, caseSensitive: true, ignoreTrailingSlash: true });
  const logger = options.logLevel === false ? false : LEVELS.slice(0, LEVELS.indexOf(options.logLevel ?? 'log') + 1);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, { logger, abortOnError: false });

  // Errors raised by Fastify itself (malformed bodies, unknown routes) get the same problem+json shape.
  const fastify = app.getHttpAdapter().getInstance();
  const problemLogger = new Logger('Fastify');
  fastify.setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request.url, problemLogger)));

  app.useGlobalPipes(new ProblemValidationPipe());
  setupOpenApi(app);
  await app.init();
  return app;
}
