import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type TSchema } from '@sinclair/typebox';
import type { DataSource } from 'typeorm';
import { seedsDir } from '../config/paths.js';
import { checkCatalog } from '../catalog/check.js';
import { IndicatorRow, ObservationRow, PilotZoneRow, ProgramRow, RegionEntry, SourceRow, TopicRow, type Catalog, type RegionRow, type WriteCounts } from '../catalog/schema.js';
import { shapeProblems } from '../catalog/validation.js';
import { writeCatalog } from '../catalog/writer.js';
import { SYNC_LOCK } from '../database/locks.js';
import { officialRegions } from './gbt2260.js';

/** Official names, levels and parents come from GB/T 2260; a batch or the seed gives codes and English names. */
export function resolveRegions(entries: RegionEntry[]): RegionRow[] {
  const official = officialRegions();
  return entries.map((region) => {
    if (region.code === 'CN') return { code: 'CN', nameZh: '中国', nameEn: region.nameEn, level: 'nation', parentCode: null };
    const match = official.get(region.code);
    if (!match) throw new Error(`${region.code} is not a GB/T 2260 code`);
    return { code: match.code, nameZh: match.nameZh, nameEn: region.nameEn, level: match.level, parentCode: match.parentCode };
  });
}

/** A seed file: an array of rows of one shape, checked against the same schema a batch is. */
function readRows<T>(file: string, row: TSchema): T[] {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const problems = shapeProblems(Type.Array(row), rows);
  if (problems.length) throw new Error(`${path.relative(process.cwd(), file)}: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`);
  return rows as T[];
}

export function readSeedCatalog(dir = seedsDir): Catalog {
  const observationsDir = path.join(dir, 'observations');
  return {
    topics: readRows(path.join(dir, 'topics.json'), TopicRow),
    regions: resolveRegions(readRows(path.join(dir, 'regions.json'), RegionEntry)),
    sources: readRows(path.join(dir, 'sources.json'), SourceRow),
    indicators: readRows(path.join(dir, 'indicators.json'), IndicatorRow),
    programs: readRows(path.join(dir, 'programs.json'), ProgramRow),
    pilotZones: readRows(path.join(dir, 'pilot-zones.json'), PilotZoneRow),
    observations: readdirSync(observationsDir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .flatMap((file) => readRows<ObservationRow>(path.join(observationsDir, file), ObservationRow)),
  };
}

export type SeedResult = Record<keyof Catalog, WriteCounts>;

/**
 * Loads the seed in one transaction, logged as a batch of origin `seed` so the batch log and every
 * revision say how the first figures came in. Idempotent: a second run reports everything unchanged.
 */
export async function loadSeed(db: DataSource, catalog = readSeedCatalog()): Promise<SeedResult> {
  const problems = checkCatalog(catalog);
  if (problems.length) throw new Error(`The seed has ${problems.length} problem(s):\n${problems.join('\n')}`);
  return db.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SYNC_LOCK]);
    const [{ id }] = await manager.query<{ id: string }[]>(`INSERT INTO sync_batches (origin, source_name, status) VALUES ('seed', 'seeds/', 'running') RETURNING id`);
    await manager.query(`SELECT set_config('app.batch_id', $1, true), set_config('app.batch_at', clock_timestamp()::text, true)`, [String(id)]);
    const counts = await writeCatalog(manager, catalog);
    await manager.query(`UPDATE sync_batches SET status = 'applied', finished_at = now(), counts = $2 WHERE id = $1`, [id, JSON.stringify(counts)]);
    return counts;
  });
}

export async function isEmpty(db: DataSource): Promise<boolean> {
  const [{ empty }] = await db.query<{ empty: boolean }[]>(`SELECT NOT EXISTS (SELECT 1 FROM observations) AS empty`);
  return empty;
}

export function describeSeedResult(result: SeedResult): string {
  return Object.entries(result)
    .map(([table, c]) => `${table}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`)
    .join('\n');
}
