import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * ETag and Cache-Control on every successful read. The tag is a hash of the response body, so it
 * changes exactly when any figure the response covers changes; If-None-Match then answers 304.
 */
export function registerConditionalGets(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    if (request.url.startsWith('/health')) {
      reply.header('Cache-Control', 'no-store');
      return payload;
    }
    const etag = `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('ETag', etag);
    reply.header('Cache-Control', 'public, max-age=60');
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      reply.code(304);
      reply.removeHeader('Content-Type');
      reply.removeHeader('Content-Length');
      return '';
    }
    return payload;
  });
}
