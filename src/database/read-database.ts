import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type pg from 'pg';

/**
 * Where reads go: a replica when DATABASE_REPLICA_URLS names any, else the primary. TypeORM's
 * `replication` pools each replica but routes only its query builders there; raw SQL, which every
 * read here is, goes to the primary unless it asks for a replica's query runner, as this does.
 * Writes (sync, API keys, the batch log) keep using the DataSource, which is the primary.
 */
@Injectable()
export class ReadDatabase {
  /**
   * How long a read waits for its answer on this side of the connection: the statement timeout
   * lives in the server, and a server that stops answering (frozen, or its host gone) never sends
   * it. A second past the statement timeout; none without one.
   */
  private readonly answerWithinMs: number;

  constructor(private readonly dataSource: DataSource) {
    const statementTimeout = (dataSource.options as { extra?: { statement_timeout?: number } }).extra?.statement_timeout ?? 0;
    this.answerWithinMs = statementTimeout > 0 ? statementTimeout + 1000 : 0;
  }

  get replicated(): boolean {
    return (this.dataSource.driver as PostgresDriver).isReplicated;
  }

  async query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    const runner = this.dataSource.createQueryRunner('slave');
    let timer: NodeJS.Timeout | undefined;
    let unanswered: Error | undefined;
    const answer = runner.query(sql, parameters) as Promise<T>;
    try {
      if (!this.answerWithinMs) return await answer;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          unanswered = Object.assign(new Error(`the database did not answer within ${this.answerWithinMs} ms`), { code: 'ETIMEDOUT' });
          reject(unanswered);
        }, this.answerWithinMs);
      });
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
      if (!unanswered) await runner.release();
      else {
        // A connection whose statement never came back is not lent again: ended, the pool drops it. The
        // runner is released once its query settles (the end makes it fail), not before: one still
        // waiting for a pooled connection would otherwise get it after its release and keep it for ever.
        void (runner as { databaseConnection?: pg.ClientBase & { end(): Promise<void> } }).databaseConnection?.end().catch(() => undefined);
        void answer.then(
          () => runner.release(),
          () => runner.release(),
        );
      }
    }
  }

  /**
   * Rows of several statements read in one read-only, repeatable-read transaction, so they agree with
   * each other whatever is written meanwhile; each through a cursor, `batchRows` at a time, so memory
   * stays flat however many rows there are. A statement that sorts millions of rows before its first
   * one needs longer than a read: each FETCH runs under `statementTimeout` instead.
   */
  async *readConsistently<T>(
    statements: { sql: string; parameters?: unknown[] }[],
    { batchRows, statementTimeout }: { batchRows: number; statementTimeout: string },
  ): AsyncGenerator<{ statement: number; rows: T[] }> {
    const runner = this.dataSource.createQueryRunner('slave');
    let open = false;
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      await runner.query(`SELECT set_config('statement_timeout', $1, true)`, [statementTimeout]);
      for (const [index, { sql, parameters }] of statements.entries()) {
        await runner.query(`DECLARE rows_${index} NO SCROLL CURSOR FOR ${sql}`, parameters);
        for (;;) {
          const rows = (await runner.query(`FETCH ${batchRows} FROM rows_${index}`)) as T[];
          if (rows.length) yield { statement: index, rows };
          if (rows.length < batchRows) break;
        }
      }
      await runner.query('COMMIT');
      open = false;
    } finally {
      // Stopped early (a client gone) or failed: the connection goes back to the pool outside any transaction.
      // One that cannot even roll back is ended, so the pool drops it rather than lend it mid-transaction.
      if (open)
        await runner.query('ROLLBACK').catch(() => (runner as { databaseConnection?: pg.ClientBase & { end(): Promise<void> } }).databaseConnection?.end().catch(() => undefined));
      await runner.release();
    }
  }

  /** The first row of one statement from every replica (from the primary when there are none). */
  async firstRowOfEach<T>(sql: string): Promise<T[]> {
    const driver = this.dataSource.driver as PostgresDriver;
    if (!driver.isReplicated) return [(await this.dataSource.query<T[]>(sql))[0]];
    return Promise.all(driver.slaves.map(async (pool: { query: (sql: string) => Promise<{ rows: T[] }> }) => (await pool.query(sql)).rows[0]));
  }
}

@Global()
@Module({ providers: [ReadDatabase], exports: [ReadDatabase] })
export class ReadDatabaseModule {}
