import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { policyOf } from './route-policy.js';

/** True when an If-None-Match header names this ETag (or *). */
export function ifNoneMatchHits(header: string | undefined, etag: string | undefined): boolean {
  if (!header || !etag) return false;
  return header.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

/**
 * ETag and Cache-Control on every successful read, as its route's policy says. The tag is a hash of
 * the response body, so it changes exactly when any figure the response covers changes. A response
 * that already carries an ETag (one served from the cache) is left as it is.
 */
export function registerEntityTags(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200 || typeof payload !== 'string' || reply.hasHeader('etag')) return payload;
    const { cache } = policyOf(request);
    if (cache === 'none') {
      reply.header('Cache-Control', 'no-store');
      return payload;
    }
    reply.header('ETag', `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`);
    reply.header('Cache-Control', cache === 'public' ? 'public, max-age=60' : 'no-cache');
    return payload;
  });
}

/**
 * If-None-Match naming the response's ETag answers 304 without the body. A hook of its own, after
 * the response cache's, so a revalidation that misses the cache still leaves the full answer in it.
 */
export function registerRevalidation(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || !ifNoneMatchHits(request.headers['if-none-match'], reply.getHeader('etag') as string | undefined)) return payload;
    reply.code(304);
    reply.removeHeader('Content-Type');
    reply.removeHeader('Content-Length');
    reply.removeHeader('Content-Encoding');
    return '';
  });
}
