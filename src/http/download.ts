import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../errors/problem.js';
import type { Representation } from './representations.js';

/**
 * A listing sent whole: its rows read in batches, one after another, and written out as they come,
 * so memory stays flat however many rows match. A handler returns one when `representationOf` its
 * request is a download; the RepresentationInterceptor writes it.
 */
export class Download<T = unknown> {
  constructor(readonly batches: AsyncIterable<T[]>) {}
}

const negotiated = new WeakMap<FastifyRequest['raw'], Representation>();

/** Set by the RepresentationInterceptor before the handler runs. */
export function setRepresentation(request: FastifyRequest, representation: Representation): void {
  negotiated.set(request.raw, representation);
}

export function representationOf(request: FastifyRequest): Representation {
  return negotiated.get(request.raw) ?? 'json';
}

/** A download holds every matching row: paging parameters the request gives are refused rather than cut it. */
export function refusePaging(request: FastifyRequest): void {
  const paging = Object.keys(request.query ?? {}).filter((name) => ['page', 'pageSize', 'cursor'].includes(name));
  if (paging.length)
    throw ProblemException.validation(
      paging.map((name) => ({ location: 'query' as const, name, message: `a download (format csv or ndjson) holds every matching row: leave out ${name}` })),
    );
}
