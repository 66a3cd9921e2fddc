import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { map, type Observable } from 'rxjs';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { PROBLEM_TYPES, ProblemException, type FieldProblem } from '../errors/problem.js';
import { closestNames } from './closest-names.js';
import { toCsv } from '../catalog/csv.js';
import { CSV_ROWS, type CsvRows } from './csv.js';
import { decorate, LANGUAGES, languageFromHeader, TARGET_UNITS, type Language } from './display.js';
import { policyOf } from './route-policy.js';
import { addVary } from './vary.js';

/**
 * The representation of every read: names and display forms in the requested language (lang, or
 * Accept-Language), values rescaled when normalizeTo is given, and CSV where an endpoint offers it.
 */
@Injectable()
export class RepresentationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  /**
   * Endpoints with a query DTO reject unknown parameters in the validation pipe; the others take
   * only lang and normalizeTo, and a misspelt parameter there is an error too, never ignored.
   */
  private unknownParameters(context: ExecutionContext, query: Record<string, unknown>): FieldProblem[] {
    if (this.takesQueryDto(context)) return [];
    const known = ['lang', 'normalizeTo'];
    return Object.keys(query)
      .filter((name) => !known.includes(name))
      .map((name) => {
        const close = closestNames(name, known);
        return { location: 'query' as const, name, message: `"${name}" is not a known parameter; ${close.length ? `did you mean "${close[0]}"?` : `this endpoint takes only ${known.join(', ')}`}` };
      });
  }

  /** Whether the handler declares a @Query() DTO; read from route metadata once per handler. */
  private readonly queryDtoByHandler = new WeakMap<object, boolean>();

  private takesQueryDto(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.queryDtoByHandler.get(handler);
    if (known === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
      known = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.QUERY}:`));
      this.queryDtoByHandler.set(handler, known);
    }
    return known;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (request.method !== 'GET' || policyOf(request).representation === false) return next.handle();

    const query = (request.query ?? {}) as Record<string, unknown>;
    const problems = this.unknownParameters(context, query);
    if (query.lang !== undefined && !LANGUAGES.includes(query.lang as Language)) problems.push({ location: 'query' as const, name: 'lang', message: 'lang must be zh or en' });
    if (query.normalizeTo !== undefined && !(String(query.normalizeTo) in TARGET_UNITS)) {
      problems.push({ location: 'query' as const, name: 'normalizeTo', message: `normalizeTo must be one of ${Object.keys(TARGET_UNITS).join(', ')}` });
    }
    if (problems.length) throw ProblemException.validation(problems);

    const language = (query.lang as Language | undefined) ?? languageFromHeader(request.headers['accept-language']);
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
