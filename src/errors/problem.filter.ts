import { problems, statementTimeouts } from '../telemetry/metrics.js';
import { Catch, HttpException, Logger, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { databaseOutage } from './outage.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_DETAILS, PROBLEM_TITLES, PROBLEM_TYPES, ProblemException, STATUS_TYPES, type ProblemBody } from './problem.js';

/** Turns any error into RFC 9457 problem details; unexpected errors are logged, never echoed. */
export function toProblem(error: unknown, instance: string, logger: Logger): ProblemBody {
  if (error instanceof ProblemException) return { ...error.problem, instance };

  const status = statusOf(error);
  const checks = healthChecks(error);
  if (checks) {
    const failing = Object.entries(checks)
      .filter(([, check]) => check.status !== 'up')
      .map(([name]) => name);
    return { type: PROBLEM_TYPES.serviceUnavailable, title: PROBLEM_TITLES[503], status, detail: `Not ready: the ${failing.join(', ')} check failed.`, instance, checks };
  }
  if (status >= 500) {
    const unavailable = status === 503;
    // A statement past its timeout is the request's own story; an outage is told once, not per request.
    if (unavailable && isStatementTimeout(error)) {
      statementTimeouts.inc();
      logger.warn(`Service unavailable: ${error instanceof Error ? error.message : String(error)}`);
    } else if (unavailable) databaseOutage.unavailable(error, true);
    else logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return {
      type: unavailable ? PROBLEM_TYPES.serviceUnavailable : PROBLEM_TYPES.internal,
      title: PROBLEM_TITLES[status] ?? 'Server Error',
      status,
      detail: unavailable ? PROBLEM_DETAILS.unavailable : PROBLEM_DETAILS.internal,
      instance,
    };
  }
  return {
    type: STATUS_TYPES[status] ?? `urn:problem:http-${status}`,
    title: PROBLEM_TITLES[status] ?? 'Client Error',
    status,
    detail: clientDetail(error, status, instance),
    instance,
  };
}

/** Terminus reports each check in `details`; a failed readiness probe names them as the `checks` extension. */
function healthChecks(error: unknown): Record<string, { status: string }> | undefined {
  if (!(error instanceof HttpException)) return undefined;
  const response = error.getResponse() as { details?: Record<string, { status: string }> };
  return typeof response === 'object' && response.details ? response.details : undefined;
}

/** PostgreSQL and pg errors that mean "the database cannot answer now", not "the request is wrong". */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57014', '57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|Connection is not established/;

/** The SQLSTATE or system error code of an error from pg, or of TypeORM's wrapper around one. */
const databaseCode = (error: unknown) => {
  const e = error as { code?: string | number; driverError?: { code?: string | number } } | null;
  return String(e?.driverError?.code ?? e?.code ?? '');
};

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = databaseCode(error);
  return UNAVAILABLE_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_MESSAGES.test(String((error as { message?: string } | null)?.message ?? ''));
}

const isStatementTimeout = (error: unknown) => databaseCode(error) === '57014';

/** The client went away while its body was arriving: its own doing, not the database's (the answer reaches no one). */
const isClientAbort = (error: unknown) => (error as { code?: string; message?: string } | null)?.message === 'aborted';

function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  if (isClientAbort(error)) return 400;
  if (isDatabaseUnavailable(error)) return 503;
  const candidate = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (error as { status?: unknown } | null)?.status;
  return typeof candidate === 'number' && candidate >= 400 && candidate < 600 ? candidate : 500;
}

function clientDetail(error: unknown, status: number, instance: string): string {
  const code = (error as { code?: string }).code;
  if (isClientAbort(error)) return 'The request was aborted before its body arrived.';
  if (code === 'FST_ERR_BAD_URL') return `The URL ${instance} is not valid percent-encoded UTF-8.`;
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return 'A path segment is longer than any code or id this API uses (200 characters at most).';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return PROBLEM_DETAILS.bodyTooLarge;
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) return PROBLEM_DETAILS.bodyNotJson;
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'The request body is not valid JSON.';
  if (status === 404) return `No resource at ${instance.split('?')[0]}. See /docs for the list of endpoints.`;
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
  }
  return error instanceof Error && error.message ? error.message : (PROBLEM_TITLES[status] ?? 'The request could not be processed.');
}

export function sendProblem(reply: FastifyReply, problem: ProblemBody): void {
  if (problem.status === 503) reply.header('Retry-After', '5');
  problems.inc({ status: String(problem.status), type: problem.type });
  reply
    .status(problem.status)
    .header('Content-Type', PROBLEM_CONTENT_TYPE)
    .header('Cache-Control', 'no-store')
    .send(JSON.stringify({ ...problem, requestId: reply.request.id }));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const allowed = error instanceof NotFoundException ? allowedMethods(request) : [];
    if (allowed.length) {
      reply.header('Allow', allowed.join(', '));
      return sendProblem(reply, {
        type: PROBLEM_TYPES.methodNotAllowed,
        title: PROBLEM_TITLES[405],
        status: 405,
        detail: `${request.method} is not allowed on ${request.url.split('?')[0]}; it answers ${allowed.join(', ')}.`,
        instance: request.url,
      });
    }
    sendProblem(reply, toProblem(error, request.url, this.logger));
  }
}

/** The methods a path answers to, when the router found no route for the request's own method. */
function allowedMethods(request: FastifyRequest): string[] {
  const path = request.url.split('?')[0];
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => method !== request.method && request.server.findRoute({ method: method, url: path }));
  // HEAD comes with GET (the router may match a HEAD route where its GET finds nothing).
  return methods.length ? [...methods.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])), 'OPTIONS'] : [];
}
