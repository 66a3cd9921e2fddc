import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { mergeMap, type Observable } from 'rxjs';
import { PROBLEM_TYPES, ProblemException } from '../errors/problem.js';
import { Readable } from 'node:stream';
import { csvHeader, csvLines, toCsv } from '../catalog/csv.js';
import { CSV_ROWS, type CsvExportOptions } from './csv.js';
import { decorate, type DisplayOptions } from './display.js';
import { CHART_SPEC, renderSvg, type ChartSpec } from './chart.js';
import { Download, setRepresentation } from './download.js';
import { MEDIA_TYPES, type Representation } from './representations.js';
import { requestLanguage } from './language.js';
import { policyOf } from './route-policy.js';
import { addVary } from './vary.js';

/**
 * The representation of every read: names and display forms in the requested language (lang, or
 * Accept-Language), values rescaled when normalizeTo is given, and CSV and charts where an endpoint
 * offers them. `format` names the representation; without it, the Accept header chooses.
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
    const csv = this.reflector.get<CsvExportOptions | undefined>(CSV_ROWS, context.getHandler());
    const chart = this.reflector.get<ChartSpec | undefined>(CHART_SPEC, context.getHandler());
    const offered: Representation[] = [
      'json',
      ...(csv ? (['csv'] as const) : []),
      ...(csv?.download ? (['ndjson'] as const) : []),
      ...(chart ? (['vega-lite', 'svg'] as const) : []),
    ];
    const mediaTypes = offered.map((format) => MEDIA_TYPES[format]);
    const negotiated = request.headers.accept ? new Negotiator(request).mediaType(mediaTypes) : MEDIA_TYPES.json;
    if (!negotiated && query.format === undefined) {
      throw new ProblemException({
        type: PROBLEM_TYPES.notAcceptable,
        title: 'Not Acceptable',
        status: 406,
        detail: `This endpoint answers ${mediaTypes.join(' or ')}; the Accept header "${request.headers.accept}" admits none of them.`,
      });
    }
    const representation = (query.format as Representation | undefined) ?? offered[mediaTypes.indexOf(negotiated as (typeof mediaTypes)[number])];
    setRepresentation(request, representation);
    reply.header('Content-Language', language);
    addVary(reply, 'Accept', 'Accept-Language');
    const options = { language, normalizeTo: query.normalizeTo as string | undefined };

    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        if (body instanceof Download) return this.download(body, representation, csv!, options, reply, request.method === 'HEAD');
        const decorated = decorate(body, options);
        if (representation === 'json') return decorated;
        if (representation === 'csv') {
          reply.header('Content-Type', `${MEDIA_TYPES.csv}; charset=utf-8`);
          reply.header('Content-Disposition', `attachment; filename="${csv!.fileName}"`);
          const { rows, columns } = csv!.rows(decorated as never, query as never);
          return toCsv(rows, columns);
        }
        const spec = chart!(decorated as never, query as never, language);
        if (representation === 'svg') {
          reply.header('Content-Type', `${MEDIA_TYPES.svg}; charset=utf-8`);
          return renderSvg(spec);
        }
        reply.header('Content-Type', `${MEDIA_TYPES['vega-lite']}; charset=utf-8`);
        return JSON.stringify(spec);
      }),
    );
  }

  /**
   * Every row of a listing, written batch by batch as it is read: CSV with its header row always, or
   * one JSON object per line. The first batch is read before anything is sent, so a database that
   * cannot answer gets its 503; a failure later can only cut the transfer short (the chunked
   * response then has no final chunk, which HTTP clients report as an error). HEAD reads nothing.
   */
  private async download(body: Download, representation: Representation, csv: CsvExportOptions, options: DisplayOptions, reply: FastifyReply, head: boolean): Promise<Readable> {
    const ndjson = representation === 'ndjson';
    const columns = csv.rows({ data: [] } as never, {} as never).columns!;
    const write = (batch: unknown[]) => {
      const decorated = decorate(batch, options) as unknown[];
      return ndjson ? decorated.map((row) => `${JSON.stringify(row)}\n`).join('') : csvLines(csv.rows({ data: decorated } as never, {} as never).rows, columns);
    };
    const batches = body.batches[Symbol.asyncIterator]();
    const first = head ? undefined : await batches.next();
    reply.header('Content-Type', `${MEDIA_TYPES[ndjson ? 'ndjson' : 'csv']}; charset=utf-8`);
    reply.header('Content-Disposition', `attachment; filename="${ndjson ? csv.fileName.replace(/\.csv$/, '.ndjson') : csv.fileName}"`);
    if (!first) return Readable.from([]);
    return Readable.from(
      (async function* () {
        if (!ndjson) yield csvHeader(columns);
        for (let next = first; !next.done; next = await batches.next()) yield write(next.value);
      })(),
    );
  }
}
