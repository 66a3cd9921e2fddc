import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The CSP is as strict as Swagger UI at /docs allows: its bundle and init script are our own files,
 * its styles are partly inline, its logo a data: URL. Public data: pages on any origin may load it
 * (CORS still governs what scripts can read).
 */
const SECURITY_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

/**
 * Helmet's headers for these options, worked out once. They are the same for every response (no
 * nonces), and @fastify/helmet rebuilt helmet's middleware on every request: a tenth of the CPU of
 * an answer served from the cache.
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(SECURITY_OPTIONS)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => void (failure = error));
  if (failure) throw failure instanceof Error ? failure : new Error('helmet failed to work out the security headers');
  return headers;
}

/** Security headers on every response, from the first hook on, so problems answered by later hooks carry them too. */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const headers = securityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
