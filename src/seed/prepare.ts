import type { DataSource } from 'typeorm';
import { PREPARE_LOCK } from '../database/locks.js';
import { describeSeedResult, isEmpty, loadSeed } from './seed-loader.js';

export interface PrepareOptions {
  migrate: boolean;
  seed: boolean;
  log: (message: string) => void;
}

/** At start: run pending migrations, then load the seed into an empty database. */
export async function prepareDatabase(db: DataSource, options: PrepareOptions): Promise<void> {
  // Instances starting together take turns: the first migrates and seeds, the others find it done.
  const runner = db.createQueryRunner();
  await runner.query(`SELECT pg_advisory_lock($1)`, [PREPARE_LOCK]);
  try {
    if (options.migrate) {
      const applied = await db.runMigrations({ transaction: 'each' });
      if (applied.length) options.log(`Applied migrations: ${applied.map((m) => m.name).join(', ')}`);
    }
    if (options.seed && (await isEmpty(db))) {
      const result = await loadSeed(db);
      options.log(`Loaded seed data\n${describeSeedResult(result)}`);
    }
  } finally {
    await runner.query(`SELECT pg_advisory_unlock($1)`, [PREPARE_LOCK]);
    await runner.release();
  }
}
