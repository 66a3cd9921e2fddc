import { Logger } from '@nestjs/common';
import { redactCredentials } from '../config/redact.js';

/** How long an outage goes between two "still unavailable" lines. */
const REMINDER_MS = 10_000;

/**
 * The database's availability as the log tells it: one line when it goes away, a count of the
 * requests answered 503 every ten seconds while it is away, one line when it is back; not a line
 * per refused request (an outage under load wrote tens of thousands).
 */
export class DatabaseOutage {
  private since?: number;
  private reminded = 0;
  private refused = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly logger: Pick<Logger, 'warn' | 'log'> = new Logger('Database'),
  ) {}

  /** The database could not be reached (`refused`: a request was answered 503 for it). */
  unavailable(error: unknown, refused: boolean): void {
    const now = this.now();
    if (this.since === undefined) {
      [this.since, this.reminded, this.refused] = [now, now, 0];
      this.logger.warn(`Unavailable (${redactCredentials(error instanceof Error ? error.message : String(error))}): answering 503 until it is back`);
    }
    if (refused) this.refused++;
    if (now - this.reminded >= REMINDER_MS) {
      this.reminded = now;
      this.logger.warn(`Still unavailable after ${this.seconds(now)} s; ${this.refused} requests answered 503 so far`);
    }
  }

  /** The database answered again. */
  available(): void {
    if (this.since === undefined) return;
    this.logger.log(`Available again after ${this.seconds(this.now())} s; ${this.refused} requests were answered 503`);
    this.since = undefined;
  }

  get down(): boolean {
    return this.since !== undefined;
  }

  private seconds(now: number): string {
    return ((now - this.since!) / 1000).toFixed(1);
  }
}

/** The one record per process, shared by the error filter and the data version's poll. */
export const databaseOutage = new DatabaseOutage();
