import type { DataSource } from 'typeorm';
import { PREPARE_LOCK } from '../database/locks.js';
import { isEmpty, loadSeed } from './seed-loader.js';

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
      options.log(
        `Loaded seed data: ${(['observations', 'regions', 'indicators', 'sources', 'programs', 'pilotZones'] as const).map((section) => `${result[section].created} ${section}`).join(', ')}`,
      );
    }
  } finally {
    await runner.query(`SELECT pg_advisory_unlock($1)`, [PREPARE_LOCK]);
    await runner.release();
  }
}

/** One line on the data an instance serves: its version, how much is published, and when it was last written. */
export async function describeData(db: DataSource): Promise<string> {
  const [data] = await db.query<{ version: string; observations: string; regions: string; written: Date | null }[]>(
    `SELECT (SELECT version::text FROM data_version) AS version, count(*) AS observations, count(DISTINCT region_code) AS regions,
            (SELECT max(finished_at) FROM sync_batches WHERE status = 'applied') AS written
       FROM published_observations`,
  );
  return `Data version ${data.version}: ${data.observations} observations of ${data.regions} regions${data.written ? `, last written ${data.written.toISOString()}` : ''}`;
}
