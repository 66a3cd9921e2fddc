import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { ReadDatabase } from '../database/read-database.js';
import { acceptsGzip } from './content-coding.js';
import { ifNoneMatchHits } from './etag.js';

/** One encoding of a stored answer: its bytes (encoded once) and its headers as writeHead's flat list (name, value, …). */
interface Variant {
  payload: Buffer;
  headers: string[];
}

interface Entry {
  version: string;
  etag: string | undefined;
  identity: Variant;
  /** Kept for answers of MIN_GZIP_BYTES or more: most clients send Accept-Encoding: gzip. */
  gzip: Variant | undefined;
  notModifiedHeaders: string[];
}

/** Below this a gzip stream saves too little to be worth a second copy. */
const MIN_GZIP_BYTES = 1024;

/** Headers that belong to one request, not to the answer: worked out again for every hit. */
const PER_REQUEST_HEADERS = new Set(['x-cache', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
/** A 304 carries the answer's validators and caching headers, not its body's. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding']);
/** Paths whose answers change without a data write (the batch log, the change feed) or are not data. */
const UNCACHED = /^\/(health|docs|openapi|v1\/sync|v1\/changes)/;

export interface ResponseCacheSettings {
  enabled: boolean;
  maxEntries: number;
}

/**
 * Counts a request answered from the cache against its client's rate limit: the rate-limit headers
 * (writeHead's flat list) to send, or undefined when the client is over its limit.
 */
export type RequestCounter = (request: IncomingMessage) => string[] | undefined;

/** A request's cache key: everything its answer varies on (Vary: Accept, Accept-Language; CORS: Origin). */
const keyOf = (request: IncomingMessage) => `${request.url}\n${request.headers['accept-language'] ?? ''}\n${request.headers.accept ?? ''}\n${request.headers.origin ?? ''}`;

/**
 * Finished responses (serialized body, ETag, headers) kept per instance under the database's data
 * version. Every write moves the version on (a statement trigger) and announces it with NOTIFY; a
 * poll each second covers a lost connection. An entry is served only while its version is current,
 * so no read is stale once the instance has heard of a write, and a write through this instance is
 * heard before it answers. With read replicas the version is the oldest any replica has replayed,
 * since reads come from them: a NOTIFY (sent by the primary) only prompts a re-read, so no response
 * read from a lagging replica is kept under a newer version.
 *
 * Hits are answered by the HTTP server before Fastify sees the request (`answer`), with the headers
 * the full pipeline gave the same request when it was missed: the work a hit skips is the point of
 * the cache. A request is only ever answered from an entry its own key filled with a 200, so the
 * checks Fastify and Nest make (URL, parameters) passed for it already.
 */
@Injectable()
export class ResponseCache implements OnApplicationShutdown {
  private readonly logger = new Logger('ResponseCache');
  private readonly entries = new Map<string, Entry>();
  /** The version a missed request began under; its response is stored only if it is still current. */
  private readonly pending = new WeakMap<IncomingMessage, { key: string; version: string }>();
  private version: string | undefined;
  private listener?: pg.Client;
  private poll?: NodeJS.Timeout;
  private countRequest?: RequestCounter;
  private draining: () => boolean = () => false;

  constructor(
    private readonly db: ReadDatabase,
    private readonly settings: ResponseCacheSettings,
  ) {}

  /**
   * Keeps each finished 200 for `answer` to serve; register between the entity-tag and revalidation
   * hooks. Until this is called (and while the instance drains) every request goes to Fastify.
   */
  register(fastify: FastifyInstance, countRequest: RequestCounter, draining: () => boolean): void {
    if (!this.settings.enabled) return;
    this.countRequest = countRequest;
    this.draining = draining;
    fastify.addHook('onRequest', (request, reply, done) => {
      const version = this.version;
      if (request.method === 'GET' && version !== undefined && !UNCACHED.test(request.url)) {
        this.pending.set(request.raw, { key: keyOf(request.raw), version });
        reply.header('X-Cache', 'MISS');
      }
      done();
    });
    fastify.addHook('onSend', async (request, reply, payload) => {
      const pending = this.pending.get(request.raw);
      if (!pending || reply.statusCode !== 200 || typeof payload !== 'string' || this.version !== pending.version) return payload;
      if (this.entries.size >= this.settings.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      const body = Buffer.from(payload);
      // Compressed once, here; the miss that fills the entry is answered as its hits will be.
      const compressed = body.length >= MIN_GZIP_BYTES ? gzipSync(body) : undefined;
      if (compressed) reply.header('vary', [reply.getHeader('vary'), 'Accept-Encoding'].filter(Boolean).join(', '));
      const lasting: string[] = [];
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined && !PER_REQUEST_HEADERS.has(name) && !BODY_HEADERS.has(name)) lasting.push(name, String(value));
      }
      const type = ['content-type', String(reply.getHeader('content-type'))];
      this.entries.set(pending.key, {
        version: pending.version,
        etag: reply.getHeader('etag') as string | undefined,
        identity: { payload: body, headers: [...lasting, ...type, 'content-length', String(body.length)] },
        gzip: compressed && { payload: compressed, headers: [...lasting, ...type, 'content-encoding', 'gzip', 'content-length', String(compressed.length)] },
        notModifiedHeaders: lasting,
      });
      if (!compressed || !acceptsGzip(request.headers['accept-encoding'])) return payload;
      reply.header('content-encoding', 'gzip');
      return compressed;
    });
  }

  /** Answers a GET from the cache when a current entry holds it; false hands the request on to Fastify. */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const version = this.version;
    if (request.method !== 'GET' || version === undefined || this.draining()) return false;
    const hit = this.entries.get(keyOf(request));
    if (hit?.version !== version) return false;
    // Over the limit: Nest's guard answers the 429 with its problem document.
    const limits = this.countRequest?.(request);
    if (!limits) return false;
    if (ifNoneMatchHits(request.headers['if-none-match'], hit.etag)) {
      response.writeHead(304, [...hit.notModifiedHeaders, ...limits, 'x-cache', 'HIT']);
      response.end();
      return true;
    }
    const variant = hit.gzip && acceptsGzip(request.headers['accept-encoding']) ? hit.gzip : hit.identity;
    response.writeHead(200, [...variant.headers, ...limits, 'x-cache', 'HIT']);
    response.end(variant.payload);
    return true;
  }

  /** Starts following the data version; until it is known nothing is served from the cache. */
  async start(databaseUrl: string): Promise<void> {
    if (!this.settings.enabled) return;
    // Before migrations have run there is no version to read: the poll keeps trying.
    await this.refresh().catch(() => undefined);
    this.poll = setInterval(() => void this.refresh().catch(() => (this.version = undefined)), 1000);
    this.poll.unref();
    try {
      this.listener = new pg.Client({ connectionString: databaseUrl, application_name: 'regional-finance-cache' });
      this.listener.on('notification', (message) => (this.db.replicated ? void this.refresh().catch(() => undefined) : this.advance(message.payload)));
      this.listener.on('error', () => undefined);
      await this.listener.connect();
      await this.listener.query('LISTEN data_version');
    } catch (error) {
      this.logger.warn(`LISTEN failed (${(error as Error).message}); relying on the one-second poll`);
    }
  }

  /** Reads the current version; called after a write through this instance, before it answers. */
  async refresh(): Promise<void> {
    if (!this.settings.enabled) return;
    const rows = await this.db.firstRowOfEach<{ version: string } | undefined>(`SELECT version::text AS version FROM data_version`);
    const versions = rows.map((row) => row?.version);
    // Before migrations have run on every server there is no version yet.
    if (versions.includes(undefined)) return;
    this.advance(versions.reduce((oldest, version) => (BigInt(version!) < BigInt(oldest!) ? version : oldest)));
  }

  private advance(version: string | undefined): void {
    if (version === undefined || version === this.version) return;
    this.version = version;
    this.entries.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.poll);
    await this.listener?.end().catch(() => undefined);
  }
}
