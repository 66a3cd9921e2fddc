import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { map, type Observable } from 'rxjs';
import { PROBLEM_TYPES, ProblemException } from '../errors/problem.js';
import { toCsv } from '../catalog/csv.js';
import { CSV_ROWS, type CsvRows } from './csv.js';
import { decorate } from './display.js';
import { requestLanguage } from './language.js';
import { policyOf } from './route-policy.js';
import { addVary } from './vary.js';

/**
 * The representation of every read: names and display forms in the requested language (lang, or
 * Accept-Language), values rescaled when normalizeTo is given, and CSV where an endpoint offers it.
 */
@Injectable()
export class RepresentationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // HEAD runs the GET handler (Fastify), so it is negotiated alike and gets the same headers.
    if (!['GET', 'HEAD'].includes(request.method) || policyOf(request).representation === false) return next.handle();

    // The query was checked whole by the query pipe; here it is only read.
    const query = (request.query ?? {}) as Record<string, unknown>;
    const language = requestLanguage(query.lang, request.headers);
    const csv = this.reflector.get<{ rows: CsvRows; fileName: string } | undefined>(CSV_ROWS, context.getHandler());
    const offered = csv ? ['application/json', 'text/csv'] : ['application/json'];
    const negotiated = request.headers.accept ? new Negotiator(request).mediaType(offered) : 'application/json';
    if (!negotiated && query.format === undefined) {
      throw new ProblemException({
        type: PROBLEM_TYPES.notAcceptable,
        title: 'Not Acceptable',
        status: 406,
        detail: `This endpoint answers ${offered.join(' or ')}; the Accept header "${request.headers.accept}" admits neither.`,
      });
    }
    const wantsCsv = csv && (query.format === 'csv' || (query.format === undefined && negotiated === 'text/csv'));
    reply.header('Content-Language', language);
    addVary(reply, 'Accept', 'Accept-Language');

    return next.handle().pipe(
      map((body: unknown) => {
        const decorated = decorate(body, { language, normalizeTo: query.normalizeTo as string | undefined });
        if (!wantsCsv) return decorated;
        reply.header('Content-Type', 'text/csv; charset=utf-8');
        reply.header('Content-Disposition', `attachment; filename="${csv.fileName}"`);
        const { rows, columns } = csv.rows(decorated as never);
        return toCsv(rows, columns);
      }),
    );
  }
}
