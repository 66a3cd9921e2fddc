import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { DataVersion } from '../database/data-version.js';
import { BoundedEntries } from './bounded-entries.js';
import { acceptsGzip } from './content-coding.js';
import { ifNoneMatchHits } from './etag.js';
import { policyOf } from './route-policy.js';
import { addVary } from './vary.js';

/** One encoding of a stored answer: its bytes (encoded once) and its headers as writeHead's flat list (name, value, …). */
interface Variant {
  payload: Buffer;
  headers: string[];
}

interface Entry {
  key: string;
  version: string;
  etag: string | undefined;
  identity: Variant;
  /** For answers of MIN_GZIP_BYTES or more, made when a client that takes gzip first asks. */
  gzip: Variant | undefined;
  /** The lasting headers of the answer, those a 304 sends as well. */
  lasting: string[];
  contentType: string;
}

/** Below this a gzip stream saves too little to be worth a second copy. */
const MIN_GZIP_BYTES = 1024;

/** Headers that belong to one request, not to the answer: worked out again for every hit. */
const PER_REQUEST_HEADERS = new Set(['x-cache', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
/** A 304 carries the answer's validators and caching headers, not its body's. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding']);

export interface ResponseCacheSettings {
  enabled: boolean;
  maxEntries: number;
  /** Bound on the bytes of the kept bodies (plain and gzipped); an answer larger than this is not kept. */
  maxBytes: number;
}

/** What the cache needs of the rest of the app to answer before it. */
export interface CacheHooks {
  /**
   * Counts a request answered from the cache against its client's rate limit: the rate-limit
   * headers (writeHead's flat list) to send, or undefined when the client is over its limit.
   */
  countRequest: (request: IncomingMessage) => string[] | undefined;
  /** True once the instance is shutting down: Fastify then answers every request with 503. */
  draining: () => boolean;
  /** CORS answers name the request's Origin (a list of origins is allowed, not *), so entries are kept per Origin. */
  keyByOrigin: boolean;
  /** Whether the request came over HTTPS (its security headers differ), decided as for the headers themselves. */
  secure: (request: IncomingMessage) => boolean;
}

/**
 * Finished responses (serialized body, ETag, headers) kept per instance under the database's data
 * version (DataVersion). An entry is served only while its version is current, so no read is stale
 * once the instance has heard of a write, and a write through this instance is heard before it
 * answers; no response read from a lagging replica is kept under a newer version.
 *
 * Hits are answered by the HTTP server before Fastify sees the request (`answer`), with the headers
 * the full pipeline gave the same request when it was missed: the work a hit skips is the point of
 * the cache. A request is only ever answered from an entry its own key filled with a 200, so the
 * checks Fastify and Nest make (URL, parameters) passed for it already.
 */
@Injectable()
export class ResponseCache {
  /** Bounded by the bytes of the bodies kept, plain and gzipped. */
  private readonly entries: BoundedEntries<Entry>;
  /** The version a missed request began under; its response is stored only if it is still current. */
  private readonly pending = new WeakMap<IncomingMessage, { key: string; version: string }>();
  private hooks?: CacheHooks;

  constructor(
    private readonly version: DataVersion,
    private readonly settings: ResponseCacheSettings,
  ) {
    this.entries = new BoundedEntries(settings.maxEntries, settings.maxBytes);
    version.onChange(() => this.entries.clear());
  }

  /**
   * Keeps each finished 200 for `answer` to serve; register between the entity-tag and revalidation
   * hooks. Until this is called (and while the instance drains) every request goes to Fastify.
   */
  register(fastify: FastifyInstance, hooks: CacheHooks): void {
    if (!this.settings.enabled) return;
    this.hooks = hooks;
    fastify.addHook('onRequest', (request, reply, done) => {
      const version = this.version.current;
      // Only routes that declare it are kept: an answer that can change without a data write never is.
      // HEAD is kept and answered as GET (Node sends its headers without the body), so both say the same.
      if ((request.method === 'GET' || request.method === 'HEAD') && version !== undefined && policyOf(request).cache === 'public') {
        this.pending.set(request.raw, { key: this.keyOf(request.raw), version });
        reply.header('X-Cache', 'MISS');
      }
      done();
    });
    fastify.addHook('onSend', async (request, reply, payload) => {
      const pending = this.pending.get(request.raw);
      if (!pending || reply.statusCode !== 200 || typeof payload !== 'string' || this.version.current !== pending.version) return payload;
      const body = Buffer.from(payload);
      if (body.length >= MIN_GZIP_BYTES) addVary(reply, 'Accept-Encoding');
      const lasting: string[] = [];
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined && !PER_REQUEST_HEADERS.has(name) && !BODY_HEADERS.has(name)) lasting.push(name, String(value));
      }
      const contentType = String(reply.getHeader('content-type'));
      const entry: Entry = {
        key: pending.key,
        version: pending.version,
        etag: reply.getHeader('etag') as string | undefined,
        identity: { payload: body, headers: [...lasting, 'content-type', contentType, 'content-length', String(body.length)] },
        gzip: undefined,
        lasting,
        contentType,
      };
      this.entries.set(pending.key, entry, body.length);
      // The miss that fills the entry is answered as its hits will be.
      const gzip = this.gzipFor(request.raw, entry);
      if (!gzip) return payload;
      reply.header('content-encoding', 'gzip');
      return gzip.payload;
    });
  }

  /** The gzip variant for a client that takes it, compressed the first time one asks; undefined for the plain bytes. */
  private gzipFor(request: IncomingMessage, entry: Entry): Variant | undefined {
    if (entry.identity.payload.length < MIN_GZIP_BYTES || !acceptsGzip(request.headers['accept-encoding'])) return undefined;
    if (!entry.gzip) {
      const payload = gzipSync(entry.identity.payload);
      entry.gzip = { payload, headers: [...entry.lasting, 'content-type', entry.contentType, 'content-encoding', 'gzip', 'content-length', String(payload.length)] };
      this.entries.grow(entry.key, payload.length);
    }
    return entry.gzip;
  }

  /**
   * A request's cache key: everything its answer varies on (Vary: Accept, Accept-Language; and CORS),
   * and whether it came over HTTPS, since the security headers differ between HTTP and HTTPS.
   */
  private keyOf(request: IncomingMessage): string {
    const { accept = '', 'accept-language': language = '', origin = '' } = request.headers;
    return `${request.url}\n${language}\n${accept}\n${this.hooks?.secure(request) ? 'https' : 'http'}${this.hooks?.keyByOrigin ? `\n${origin}` : ''}`;
  }

  /** Answers a GET or HEAD from the cache when a current entry holds it; false hands the request on to Fastify. */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const version = this.version.current;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || version === undefined || !this.hooks || this.hooks.draining()) return false;
    const hit = this.entries.get(this.keyOf(request));
    if (hit?.version !== version) return false;
    // Over the limit: Nest's guard answers the 429 with its problem document.
    const limits = this.hooks.countRequest(request);
    if (!limits) return false;
    if (ifNoneMatchHits(request.headers['if-none-match'], hit.etag)) {
      response.writeHead(304, [...hit.lasting, ...limits, 'x-cache', 'HIT']);
      response.end();
      return true;
    }
    const variant = this.gzipFor(request, hit) ?? hit.identity;
    response.writeHead(200, [...variant.headers, ...limits, 'x-cache', 'HIT']);
    response.end(variant.payload);
    return true;
  }
}
