import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** True when the request's If-None-Match names this ETag (or *). */
export function ifNoneMatchHits(request: FastifyRequest, etag: string | undefined): boolean {
  const header = request.headers['if-none-match'];
  if (!header || !etag) return false;
  return header.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

/**
 * ETag and Cache-Control on every successful read. The tag is a hash of the response body, so it
 * changes exactly when any figure the response covers changes; If-None-Match then answers 304.
 * A response that already carries an ETag (one served from the cache) is left as it is.
 */
export function registerConditionalGets(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200 || typeof payload !== 'string' || reply.hasHeader('etag')) return payload;
    if (request.url.startsWith('/health')) {
      reply.header('Cache-Control', 'no-store');
      return payload;
    }
    const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('ETag', etag);
    reply.header('Cache-Control', 'public, max-age=60');
    if (ifNoneMatchHits(request, etag)) {
      reply.code(304);
      reply.removeHeader('Content-Type');
      reply.removeHeader('Content-Length');
      return '';
    }
    return payload;
  });
}
