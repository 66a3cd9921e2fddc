import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * Where reads go: a replica when DATABASE_REPLICA_URLS names any, else the primary. TypeORM's
 * `replication` pools each replica but routes only its query builders there; raw SQL, which every
 * read here is, goes to the primary unless it asks for a replica's query runner, as this does.
 * Writes (sync, API keys, the batch log) keep using the DataSource, which is the primary.
 */
@Injectable()
export class ReadDatabase {
  constructor(private readonly dataSource: DataSource) {}

  get replicated(): boolean {
    return (this.dataSource.driver as PostgresDriver).isReplicated;
  }

  async query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      return (await runner.query(sql, parameters)) as T;
    } finally {
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
