import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import pg from 'pg';
import { ReadDatabase } from '../database/read-database.js';
import { ifNoneMatchHits } from './etag.js';

interface Entry {
  version: string;
  /** Encoded once: a hit writes bytes as they are, with no UTF-8 encoding or byte count per request. */
  payload: Buffer;
  headers: Record<string, string>;
}

const KEPT_HEADERS = ['content-type', 'content-language', 'vary', 'content-disposition', 'etag', 'cache-control'];
/** Paths whose answers change without a data write (the batch log, the change feed) or are not data. */
const UNCACHED = /^\/(health|docs|openapi|v1\/sync|v1\/changes)/;

export interface ResponseCacheSettings {
  enabled: boolean;
  maxEntries: number;
}

/** Counts a request served from the cache against the client's rate limit; false when it is over. */
export type RequestCounter = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

/**
 * Finished responses (serialized body, ETag, headers) kept per instance under the database's data
 * version. Every write moves the version on (a statement trigger) and announces it with NOTIFY; a
 * poll each second covers a lost connection. An entry is served only while its version is current,
 * so no read is stale once the instance has heard of a write, and a write through this instance is
 * heard before it answers. With read replicas the version is the oldest any replica has replayed,
 * since reads come from them: a NOTIFY (sent by the primary) only prompts a re-read, so no response
 * read from a lagging replica is kept under a newer version. Hits are answered in a Fastify hook,
 * before Nest's pipeline: the work a hit skips is the point of the cache.
 */
@Injectable()
export class ResponseCache implements OnApplicationShutdown {
  private readonly logger = new Logger('ResponseCache');
  private readonly entries = new Map<string, Entry>();
  /** The version a missed request began under; its response is stored only if it is still current. */
  private readonly pending = new WeakMap<FastifyRequest, { key: string; version: string }>();
  private version: string | undefined;
  private listener?: pg.Client;
  private poll?: NodeJS.Timeout;

  constructor(
    private readonly db: ReadDatabase,
    private readonly settings: ResponseCacheSettings,
  ) {}

  /** Serves hits before any handler runs and keeps each finished 200; register between the entity-tag and revalidation hooks. */
  register(fastify: FastifyInstance, countRequest: RequestCounter): void {
    if (!this.settings.enabled) return;
    fastify.addHook('preHandler', async (request, reply) => {
      const version = this.version;
      if (request.method !== 'GET' || version === undefined || UNCACHED.test(request.url)) return;
      const key = `${request.url}\n${request.headers['accept-language'] ?? ''}\n${request.headers.accept ?? ''}`;
      const hit = this.entries.get(key);
      if (hit?.version !== version) {
        this.pending.set(request, { key, version });
        reply.header('X-Cache', 'MISS');
        return;
      }
      // Over the limit: Nest's guard answers the 429 with its problem document.
      if (!(await countRequest(request, reply))) return;
      reply.headers(hit.headers).header('X-Cache', 'HIT');
      if (ifNoneMatchHits(request, hit.headers.etag)) {
        reply.removeHeader('content-type');
        return reply.code(304).send();
      }
      return reply.send(hit.payload);
    });
    fastify.addHook('onSend', async (request, reply, payload) => {
      const pending = this.pending.get(request);
      if (!pending || reply.statusCode !== 200 || typeof payload !== 'string' || this.version !== pending.version) return payload;
      if (this.entries.size >= this.settings.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) if (reply.hasHeader(name)) headers[name] = String(reply.getHeader(name));
      this.entries.set(pending.key, { version: pending.version, payload: Buffer.from(payload), headers });
      return payload;
    });
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
