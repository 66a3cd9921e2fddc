import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { DataVersion } from '../database/data-version.js';
import { cacheLookups } from '../telemetry/metrics.js';
import { requestIdOf, type AnsweredRequest } from '../telemetry/requests.js';
import { BoundedEntries } from './bounded-entries.js';
import { acceptsGzip } from './content-coding.js';
import { ifNoneMatchHits } from './etag.js';
import { internalRequestHeaders, internalRequestKind } from './internal-request.js';
import { policyOf } from './route-policy.js';
import { addVary } from './vary.js';

/** One encoding of a stored answer: its bytes (encoded once) and its headers as writeHead's flat list (name, value, …). */
interface Variant {
  payload: Buffer;
  headers: string[];
}

/** What a request sent that its answer depends on, to ask again for the same answer after a write. */
interface Replay {
  url: string;
  headers: Record<string, string>;
  remoteAddress: string | undefined;
}

interface Entry {
  key: string;
  version: string;
  /** Times it was read (the miss that filled it, hits, and half of what the entry it refilled had). */
  reads: number;
  replay: Replay;
  etag: string | undefined;
  identity: Variant;
  /** For answers of MIN_GZIP_BYTES or more, made when a client that takes gzip first asks. */
  gzip: Variant | undefined;
  /** The lasting headers of the answer, those a 304 sends as well. */
  lasting: string[];
  contentType: string;
  /** The route template that answered it, for the request log and metrics of its hits. */
  route: string;
}

/** Below this a gzip stream saves too little to be worth a second copy. */
const MIN_GZIP_BYTES = 1024;

/** Headers that belong to one request, not to the answer: worked out again for every hit. */
const PER_REQUEST_HEADERS = new Set([
  'x-cache',
  'x-request-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);
/** A 304 carries the answer's validators and caching headers, not its body's. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding']);

export interface ResponseCacheSettings {
  enabled: boolean;
  maxEntries: number;
  /** Bound on the bytes of the kept bodies (plain and gzipped); an answer larger than this is not kept. */
  maxBytes: number;
  /** How many of the most-read answers are worked out again, one at a time, as soon as a write empties the cache (0: none). */
  refill: number;
}

/** The request headers an answer depends on: its key's, and those that decide HTTPS and the client address. */
const REPLAYED_HEADERS = ['host', 'accept', 'accept-language', 'origin', 'x-forwarded-proto', 'x-forwarded-for'];

/** What to send to ask again for the answer `request` got (only answers that are kept are ever asked again). */
function replayOf(request: IncomingMessage): Replay {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) if (typeof request.headers[name] === 'string') headers[name] = request.headers[name];
  return { url: request.url!, headers, remoteAddress: request.socket?.remoteAddress };
}

/** What the cache needs of the rest of the app to answer before it. */
export interface CacheHooks {
  /**
   * Counts a request answered from the cache against its client's rate limit: the rate-limit
   * headers (writeHead's flat list) to send, or undefined when the client is over its limit.
   */
  countRequest: (client: string | undefined) => string[] | undefined | Promise<string[] | undefined>;
  /** Records a request the cache answered (log line and metrics), as Fastify's are recorded. */
  answered: (request: AnsweredRequest) => void;
  /** The client's address: whose allowance a hit draws on, and who the request log names. */
  client: (request: IncomingMessage) => string | undefined;
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
  private fastify?: FastifyInstance;
  /** The answers to work out again under the current version, most read first, and how often each was read. */
  private refillQueue: { replay: Replay; key: string; reads: number; gzip: boolean }[] = [];
  private refilling = false;

  constructor(
    private readonly version: DataVersion,
    private readonly settings: ResponseCacheSettings,
  ) {
    this.entries = new BoundedEntries(settings.maxEntries, settings.maxBytes);
    version.onChange(() => {
      const kept = [...this.entries.values()];
      this.entries.clear();
      this.queueRefill(kept);
    });
  }

  /**
   * Keeps each finished 200 for `answer` to serve; register between the entity-tag and revalidation
   * hooks. Until this is called (and while the instance drains) every request goes to Fastify.
   */
  register(fastify: FastifyInstance, hooks: CacheHooks): void {
    if (!this.settings.enabled) return;
    this.hooks = hooks;
    this.fastify = fastify;
    fastify.addHook('onRequest', (request, reply, done) => {
      const version = this.version.current;
      // Only routes that declare it are kept: an answer that can change without a data write never is.
      // HEAD is kept and answered as GET (Node sends its headers without the body), so both say the same.
      if ((request.method === 'GET' || request.method === 'HEAD') && version !== undefined && policyOf(request).cache === 'public') {
        this.pending.set(request.raw, { key: this.keyOf(request.raw), version });
        reply.header('X-Cache', 'MISS');
        if (!internalRequestKind(request.raw)) cacheLookups.inc({ outcome: 'miss' });
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
        reads: 1,
        replay: replayOf(request.raw),
        etag: reply.getHeader('etag') as string | undefined,
        identity: { payload: body, headers: [...lasting, 'content-type', contentType, 'content-length', String(body.length)] },
        gzip: undefined,
        lasting,
        contentType,
        route: request.routeOptions.url ?? request.url,
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
   * After a write, the most-read answers are worked out again (the first reads after a write would
   * otherwise all be misses): the entries just dropped are queued, with those a refill under the
   * previous version had not reached yet.
   */
  private queueRefill(dropped: Entry[]): void {
    if (!this.settings.refill || !this.fastify) return;
    const kept = dropped.map((entry) => ({ replay: entry.replay, key: entry.key, reads: entry.reads, gzip: entry.gzip !== undefined }));
    const queued = new Set(kept.map((entry) => entry.key));
    this.refillQueue = [...kept, ...this.refillQueue.filter((entry) => !queued.has(entry.key))].sort((a, b) => b.reads - a.reads).slice(0, this.settings.refill);
    if (!this.refilling) void this.refill();
  }

  /**
   * Asks the app itself for each queued answer, one at a time so clients' requests are not held
   * up, through the whole pipeline as a client's miss goes; the answer is kept by the onSend hook
   * as any miss is. Its popularity carries over, halved, so answers no longer read fall out.
   */
  private async refill(): Promise<void> {
    this.refilling = true;
    try {
      for (let next = this.refillQueue.shift(); next; next = this.refillQueue.shift()) {
        const version = this.version.current;
        if (version === undefined || this.hooks!.draining()) break;
        const { replay, key, reads, gzip } = next;
        if (this.entries.get(key)?.version !== version) {
          const headers = { ...replay.headers, 'accept-encoding': gzip ? 'gzip' : 'identity', ...internalRequestHeaders('refill') };
          await this.fastify!.inject({ method: 'GET', url: replay.url, headers, remoteAddress: replay.remoteAddress }).catch(() => undefined);
        }
        const refilled = this.entries.get(key);
        if (refilled?.version === version) refilled.reads += Math.floor(reads / 2);
      }
    } finally {
      this.refilling = false;
    }
  }

  /**
   * A request's cache key: everything its answer varies on (Vary: Accept, Accept-Language; and CORS),
   * and whether it came over HTTPS, since the security headers differ between HTTP and HTTPS.
   */
  private keyOf(request: IncomingMessage): string {
    const { accept = '', 'accept-language': language = '', origin = '' } = request.headers;
    return `${request.url}\n${language}\n${accept}\n${this.hooks?.secure(request) ? 'https' : 'http'}${this.hooks?.keyByOrigin ? `\n${origin}` : ''}`;
  }

  /**
   * Answers a GET or HEAD from the cache when a current entry holds it; false hands the request on
   * to Fastify. With the rate limit counted in Redis, a hit is answered once the count is back
   * (a promise); in memory, at once.
   */
  answer(request: IncomingMessage, response: ServerResponse): boolean | Promise<boolean> {
    const version = this.version.current;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || version === undefined || !this.hooks || this.hooks.draining()) return false;
    const hit = this.entries.get(this.keyOf(request));
    if (hit?.version !== version) return false;
    const started = performance.now();
    const client = this.hooks.client(request);
    const limits = this.hooks.countRequest(client);
    if (limits instanceof Promise) return limits.then((counted) => hit.version === this.version.current && this.send(request, response, hit, counted, started, client));
    return this.send(request, response, hit, limits, started, client);
  }

  private send(request: IncomingMessage, response: ServerResponse, hit: Entry, limits: string[] | undefined, started: number, client: string | undefined): boolean {
    // Over the limit: Nest's guard answers the 429 with its problem document.
    if (!limits) return false;
    const id = requestIdOf(request.headers);
    let status = 200;
    if (ifNoneMatchHits(request.headers['if-none-match'], hit.etag)) {
      status = 304;
      response.writeHead(304, [...hit.lasting, ...limits, 'x-cache', 'HIT', 'x-request-id', id]);
      response.end();
    } else {
      hit.reads++;
      const variant = this.gzipFor(request, hit) ?? hit.identity;
      response.writeHead(200, [...variant.headers, ...limits, 'x-cache', 'HIT', 'x-request-id', id]);
      response.end(variant.payload);
    }
    cacheLookups.inc({ outcome: 'hit' });
    this.hooks!.answered({
      id,
      method: request.method!,
      route: hit.route,
      url: request.url!,
      status,
      seconds: (performance.now() - started) / 1000,
      cache: 'HIT',
      client,
    });
    return true;
  }

  /** Entries kept and the bytes of their bodies, for the metrics. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.bytes };
  }
}
