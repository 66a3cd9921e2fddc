import { Global, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { ReadDatabase } from './read-database.js';
import { databaseOutage } from '../errors/outage.js';
import { isDatabaseUnavailable } from '../errors/problem.filter.js';

/**
 * The database's data version, as this instance knows it. Every write moves it on (a statement
 * trigger) and announces it with NOTIFY; a poll each second covers a lost connection. With read
 * replicas it is the oldest version any replica has replayed, since reads come from them: a NOTIFY
 * (sent by the primary) only prompts a re-read. Undefined until it is known, and while the
 * database cannot be read: then nothing may be answered from what was kept under it.
 */
@Injectable()
export class DataVersion implements OnApplicationShutdown {
  private readonly logger = new Logger('DataVersion');
  private version: string | undefined;
  /** Moves on with every change of what this instance knows, back to an earlier number too. */
  private generation = 0;
  private readonly changed = new Set<() => void>();
  private listener?: pg.Client;
  private poll?: NodeJS.Timeout;

  constructor(private readonly db: ReadDatabase) {}

  /**
   * What is kept from the data is kept under this token. It changes whenever the database's version
   * does as this instance hears of it, so a poll that read the version just before a write, and
   * answers just after it, makes the instance read again rather than serve what it kept before.
   */
  get current(): string | undefined {
    return this.version === undefined ? undefined : `${this.generation}`;
  }

  /** Calls `listener` whenever the version moves on (or is lost). */
  onChange(listener: () => void): void {
    this.changed.add(listener);
  }

  /** Starts following the version. */
  async start(databaseUrl: string): Promise<void> {
    // Before migrations have run there is no version to read: the poll keeps trying.
    await this.refresh().catch(() => undefined);
    this.poll = setInterval(
      () =>
        void this.refresh().catch((error: unknown) => {
          if (isDatabaseUnavailable(error)) databaseOutage.unavailable(error, false);
          this.advance(undefined);
        }),
      1000,
    );
    this.poll.unref();
    try {
      this.listener = new pg.Client({ connectionString: databaseUrl, application_name: 'regional-finance-data-version' });
      this.listener.on('notification', (message) => (this.db.replicated ? void this.refresh().catch(() => undefined) : this.advance(message.payload)));
      this.listener.on('error', () => undefined);
      await this.listener.connect();
      await this.listener.query('LISTEN data_version');
    } catch (error) {
      this.logger.warn(`LISTEN failed (${(error as Error).message}); relying on the one-second poll`);
    }
  }

  /**
   * After a write through this instance, before it answers: its next read sees the write. It never
   * fails (the write has committed): a version it cannot read is unknown until the poll reads it.
   */
  async catchUp(): Promise<void> {
    await this.refresh().catch(() => this.advance(undefined));
  }

  private async refresh(): Promise<void> {
    const rows = await this.db.firstRowOfEach<{ version: string } | undefined>(`SELECT version::text AS version FROM data_version`);
    databaseOutage.available();
    const versions = rows.map((row) => row?.version);
    // Before migrations have run on every server there is no version yet.
    if (versions.includes(undefined)) return;
    this.advance(versions.reduce((oldest, version) => (BigInt(version!) < BigInt(oldest!) ? version : oldest)));
  }

  private advance(version: string | undefined): void {
    if (version === this.version) return;
    this.version = version;
    this.generation++;
    for (const listener of this.changed) listener();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.poll);
    await this.listener?.end().catch(() => undefined);
  }
}

/**
 * A value worked out from the data (the region index, the indicator catalog), kept while the data
 * version stays where it was when the work began. A write anywhere moves the version on, and the
 * next caller works it out again; while the version is unknown every caller does.
 */
export class KeptPerVersion<T> {
  private kept?: { version: string; value: Promise<T> };

  constructor(
    private readonly version: DataVersion,
    private readonly load: () => Promise<T>,
  ) {}

  get(): Promise<T> {
    const version = this.version.current;
    if (version === undefined) return this.load();
    if (this.kept?.version === version) return this.kept.value;
    const kept = { version, value: this.load() };
    this.kept = kept;
    // A failed load is not kept: the next caller tries again.
    kept.value.catch(() => this.kept === kept && (this.kept = undefined));
    return kept.value;
  }
}

@Global()
@Module({ providers: [DataVersion], exports: [DataVersion] })
export class DataVersionModule {}
