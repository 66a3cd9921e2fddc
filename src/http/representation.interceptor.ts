import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { ProblemException } from '../errors/problem.js';
import { CSV_ROWS, toCsv, type CsvRows } from './csv.js';
import { decorate, LANGUAGES, languageFromHeader, TARGET_UNITS, type Language } from './display.js';

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
    if (request.method !== 'GET' || request.url.startsWith('/health')) return next.handle();

    const query = (request.query ?? {}) as Record<string, unknown>;
    const problems = [];
    if (query.lang !== undefined && !LANGUAGES.includes(query.lang as Language)) problems.push({ in: 'query' as const, name: 'lang', message: 'lang must be zh or en' });
    if (query.normalizeTo !== undefined && !(String(query.normalizeTo) in TARGET_UNITS)) {
      problems.push({ in: 'query' as const, name: 'normalizeTo', message: `normalizeTo must be one of ${Object.keys(TARGET_UNITS).join(', ')}` });
    }
    if (problems.length) throw ProblemException.validation(problems);

    const language = (query.lang as Language | undefined) ?? languageFromHeader(request.headers['accept-language']);
    const csv = this.reflector.get<{ rows: CsvRows; fileName: string } | undefined>(CSV_ROWS, context.getHandler());
    const wantsCsv = csv && (query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? '')));
    reply.header('Content-Language', language);
    reply.header('Vary', 'Accept, Accept-Language');

    return next.handle().pipe(
      map((body: unknown) => {
        const decorated = decorate(body, { language, normalizeTo: query.normalizeTo as string | undefined });
        if (!wantsCsv) return decorated;
        reply.header('Content-Type', 'text/csv; charset=utf-8');
        reply.header('Content-Disposition', `attachment; filename="${csv.fileName}"`);
        return toCsv(csv.rows(decorated as never));
      }),
    );
  }
}
