import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor, type OnApplicationShutdown } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pg from 'pg';
import { of, tap, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';

interface Entry {
  version: string;
  body: unknown;
  headers: Record<string, string>;
}

const KEPT_HEADERS = ['content-type', 'content-language', 'vary', 'content-disposition'];
/** Paths whose answers change without a data write (the batch log, the change feed) or are not data. */
const UNCACHED = /^\/(health|docs|openapi|v1\/sync|v1\/changes)/;

export interface ResponseCacheSettings {
  enabled: boolean;
  maxEntries: number;
}

/**
 * Finished responses kept per instance under the database's data version. Every write moves the
 * version on (a statement trigger) and announces it with NOTIFY; a poll each second covers a lost
 * connection. An entry is served only while its version is current, so no read is stale once the
 * instance has heard of a write, and a write through this instance is heard before it answers.
 */
@Injectable()
export class ResponseCache implements NestInterceptor, OnApplicationShutdown {
  private readonly logger = new Logger('ResponseCache');
  private readonly entries = new Map<string, Entry>();
  private version: string | undefined;
  private listener?: pg.Client;
  private poll?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly settings: ResponseCacheSettings,
  ) {}

  /** Starts following the data version; until it is known nothing is served from the cache. */
  async start(databaseUrl: string): Promise<void> {
    if (!this.settings.enabled) return;
    // Before migrations have run there is no version to read: the poll keeps trying.
    await this.refresh().catch(() => undefined);
    this.poll = setInterval(() => void this.refresh().catch(() => (this.version = undefined)), 1000);
    this.poll.unref();
    try {
      this.listener = new pg.Client({ connectionString: databaseUrl, application_name: 'regional-finance-cache' });
      this.listener.on('notification', (message) => this.advance(message.payload));
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
    const [row] = await this.db.query<{ version: string }[]>(`SELECT version::text AS version FROM data_version`);
    this.advance(row?.version);
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

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const version = this.version;
    if (!this.settings.enabled || request.method !== 'GET' || UNCACHED.test(request.url) || version === undefined) return next.handle();
    const key = `${request.url}\n${request.headers['accept-language'] ?? ''}\n${request.headers.accept ?? ''}`;
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      for (const [name, value] of Object.entries(hit.headers)) reply.header(name, value);
      reply.header('X-Cache', 'HIT');
      return of(hit.body);
    }
    reply.header('X-Cache', 'MISS');
    return next.handle().pipe(
      tap((body) => {
        // Stored under the version seen before the work began: a write meanwhile makes it stale at once.
        if (reply.statusCode !== 200 || this.version !== version) return;
        if (this.entries.size >= this.settings.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        const headers = Object.fromEntries(KEPT_HEADERS.flatMap((name) => (reply.getHeader(name) !== undefined ? [[name, String(reply.getHeader(name))]] : [])));
        this.entries.set(key, { version, body, headers });
      }),
    );
  }
}
