import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { csvToBatch } from '../catalog/csv.js';
import { decodeText } from '../catalog/encoding.js';
import { toResponse, type BatchOutcome } from './batch-outcome.js';
import { SyncService, type BatchOrigin } from './sync.service.js';
import { redactCredentials } from '../config/redact.js';

export const SYNC_SETTINGS = Symbol('SYNC_SETTINGS');

export interface SyncSettings {
  /** Cron expression (seconds optional) for the scheduled pull; none disables it. */
  cron?: string;
  /** A file path or an http(s) URL holding a batch, as JSON or CSV. */
  source?: string;
}

/** GET of an http(s) URL, its credentials (fetch refuses a URL with them) sent as Basic authentication; an error names the URL without them. */
export async function fetchSource(source: string, timeoutMs = 60_000): Promise<Response> {
  const url = new URL(source);
  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    [url.username, url.password] = ['', ''];
  }
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${redactCredentials(source)} answered ${response.status} ${response.statusText}`);
  return response;
}

/** A batch read from a file or URL: CSV when the name or content type says so (with each row's line), JSON otherwise. */
export async function readBatchSource(source: string): Promise<{ body: unknown; csvLines?: number[] }> {
  let text: string;
  let csv = /\.csv(\?|$)/i.test(source);
  const shown = redactCredentials(source);
  if (/^https?:\/\//.test(source)) {
    const response = await fetchSource(source);
    csv ||= (response.headers.get('content-type') ?? '').includes('text/csv');
    text = decodeText(new Uint8Array(await response.arrayBuffer()));
  } else {
    text = decodeText(await readFile(source));
  }
  if (csv) {
    const { batch, lines } = csvToBatch(text);
    return { body: batch, csvLines: lines };
  }
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (error) {
    throw new Error(`${shown} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** The scheduled pull: the same code path as POST /v1/sync/batches, with exactly one instance running each slot. */
@Injectable()
export class PullService implements OnApplicationShutdown {
  private readonly logger = new Logger('SyncPull');
  private job?: Cron;

  constructor(
    private readonly db: DataSource,
    private readonly sync: SyncService,
    @Inject(SYNC_SETTINGS) private readonly settings: SyncSettings,
  ) {}

  /** Called once the database is migrated and seeded, so no pull runs against a half-prepared database. */
  start(): void {
    const { cron, source } = this.settings;
    if (!cron || !source) return;
    this.job = new Cron(cron, { protect: true, catch: (error) => this.logger.error((error as Error).message) }, (self: Cron) => this.runSlot(self));
    this.logger.log(`Pulling ${redactCredentials(source)} on schedule "${cron}"`);
  }

  onApplicationShutdown(): void {
    this.job?.stop();
  }

  /** Every instance fires; the one that claims the slot's row runs the pull, the others skip it. */
  private async runSlot(self: Cron): Promise<void> {
    const slot = new Date(Math.round((self.currentRun()?.getTime() ?? Date.now()) / 1000) * 1000);
    const claimed = await this.db.query<unknown[]>(`INSERT INTO sync_pulls (slot) VALUES ($1) ON CONFLICT DO NOTHING RETURNING slot`, [slot]);
    if (!claimed.length) return;
    const outcome = await this.pull(this.settings.source!, 'schedule');
    const batchId = 'batchId' in outcome ? outcome.batchId : null;
    await this.db.query(`UPDATE sync_pulls SET batch_id = $2 WHERE slot = $1`, [slot, batchId]);
    this.logger.log(`Pull for ${slot.toISOString()}: batch ${batchId} answered ${toResponse(outcome).status}`);
  }

  /** One pull, logged as a batch whether it applies, is rejected, or fails to read its source. */
  async pull(source: string, origin: BatchOrigin, options: { dryRun?: boolean; progress?: (stage: string) => void } = {}): Promise<BatchOutcome> {
    // What may be shown and logged of the source: its credentials removed.
    const shown = redactCredentials(source);
    let read: Awaited<ReturnType<typeof readBatchSource>>;
    try {
      options.progress?.('reading');
      read = await readBatchSource(source);
    } catch (error) {
      return this.sync.recordUnreadable(origin, shown, `could not read ${shown}: ${redactCredentials((error as Error).message)}`);
    }
    const rows = (read.body as { observations?: unknown })?.observations;
    options.progress?.(`read ${Array.isArray(rows) ? rows.length : 0} observation rows`);
    return this.sync.submit(read.body, { origin, sourceName: shown, dryRun: options.dryRun, progress: options.progress, csvLines: read.csvLines });
  }
}
