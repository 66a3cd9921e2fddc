import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import helmet from 'helmet';

/**
 * The CSP is as strict as Swagger UI at /docs allows: its bundle and init script are our own files,
 * its styles are partly inline, its logo a data: URL. Public data: pages on any origin may load it
 * (CORS still governs what scripts can read). Over plain HTTP neither HSTS nor
 * upgrade-insecure-requests is sent: the browser would fetch /docs' scripts over https from a
 * server that does not serve it, and the page would stay blank on any host but localhost. Nor is
 * Cross-Origin-Opener-Policy, which browsers ignore on an untrustworthy origin and report as an
 * error in every page's console.
 */
const securityOptions = (https: boolean): Parameters<typeof helmet>[0] => ({
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
      upgradeInsecureRequests: https ? [] : null,
    },
  },
  strictTransportSecurity: https,
  crossOriginOpenerPolicy: https,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
});

/**
 * Helmet's headers for these options, worked out once. They are the same for every response (no
 * nonces), and @fastify/helmet rebuilt helmet's middleware on every request: a tenth of the CPU of
 * an answer served from the cache.
 */
function securityHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => void (failure = error));
  if (failure) throw failure instanceof Error ? failure : new Error('helmet failed to work out the security headers');
  return headers;
}

/**
 * Whether a request came over HTTPS: over TLS here, or through a trusted proxy (the socket's peer)
 * that says so in the last X-Forwarded-Proto entry, as Fastify decides request.protocol. On the raw
 * request, so the response cache keys its answers by the same decision.
 */
export function arrivedOverHttps(request: IncomingMessage, trusted: (address: string, hop: number) => boolean): boolean {
  if ((request.socket as TLSSocket).encrypted) return true;
  const forwarded = request.headers['x-forwarded-proto'];
  if (typeof forwarded !== 'string' || !trusted(request.socket.remoteAddress ?? '', 0)) return false;
  return forwarded.slice(forwarded.lastIndexOf(',') + 1).trim() === 'https';
}

/**
 * Security headers on every response, from the first hook on, so problems answered by later hooks
 * carry them too: the HTTPS set when `secure` says the request came over HTTPS, the plain-HTTP set
 * otherwise.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, secure: (request: IncomingMessage) => boolean): void {
  const plainSet = securityHeaders(securityOptions(false));
  const secureSet = securityHeaders(securityOptions(true));
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(secure(request.raw) ? secureSet : plainSet);
    done();
  });
}
