import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { seedsDir } from '../config/paths.js';
import type { Catalog, RegionRow, WriteCounts } from './catalog.js';
import { checkCatalog } from './catalog-check.js';
import { writeCatalog } from './catalog-writer.js';
import { SYNC_LOCK } from '../database/locks.js';
import { officialRegions } from './gbt2260.js';

type SeedRegion = { code: string; nameEn: string; nameZh?: string };

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Official names, levels and parents come from GB/T 2260; the seed gives codes and English names. */
export function resolveRegions(seedRegions: SeedRegion[]): RegionRow[] {
  const official = officialRegions();
  return seedRegions.map((region) => {
    if (region.code === 'CN') return { code: 'CN', nameZh: region.nameZh ?? '中国', nameEn: region.nameEn, level: 'nation', parentCode: null };
    const match = official.get(region.code);
    if (!match) throw new Error(`seeds/regions.json: ${region.code} is not a GB/T 2260 code`);
    return { code: match.code, nameZh: match.nameZh, nameEn: region.nameEn, level: match.level, parentCode: match.parentCode };
  });
}

export function readSeedCatalog(dir = seedsDir): Catalog {
  const observationsDir = path.join(dir, 'observations');
  return {
    topics: readJson(path.join(dir, 'topics.json')),
    regions: resolveRegions(readJson(path.join(dir, 'regions.json'))),
    sources: readJson(path.join(dir, 'sources.json')),
    indicators: readJson(path.join(dir, 'indicators.json')),
    programs: readJson(path.join(dir, 'programs.json')),
    pilotZones: readJson(path.join(dir, 'pilot-zones.json')),
    observations: readdirSync(observationsDir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .flatMap((file) => readJson<Catalog['observations']>(path.join(observationsDir, file))),
  };
}

export type SeedResult = Record<keyof Catalog, WriteCounts>;

/** Loads the seed in one transaction. Idempotent: a second run reports everything unchanged. */
export async function loadSeed(db: DataSource, catalog = readSeedCatalog()): Promise<SeedResult> {
  const problems = checkCatalog(catalog);
  if (problems.length) throw new Error(`The seed has ${problems.length} problem(s):\n${problems.join('\n')}`);
  return db.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SYNC_LOCK]);
    return writeCatalog(manager, catalog);
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
