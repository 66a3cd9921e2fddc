import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException } from '../errors/problem.js';
import type { RegionRefDto } from '../regions/region.dto.js';
import type { RegionSetDto } from './region-set.dto.js';

interface Definition {
  id: string;
  nameZh: string;
  nameEn: string;
  description: string;
  /** Parameterless SQL returning region codes. */
  members: string;
}

// Membership is a query over the data, so a sync that adds a pilot zone or a province's figures updates the sets.
const DEFINITIONS: Definition[] = [
  {
    id: 'pilot-zones',
    nameZh: '科创金融改革试验区',
    nameEn: 'Sci-tech finance reform pilot zones',
    description: 'The regions hosting a sci-tech finance reform pilot zone (see /v1/pilot-zones).',
    members: `SELECT region_code AS code FROM pilot_zones`,
  },
  {
    id: 'yangtze-river-delta',
    nameZh: '长三角三省一市',
    nameEn: 'Yangtze River Delta',
    description: 'Shanghai, Jiangsu, Zhejiang and Anhui: the provincial-level regions of the Yangtze River Delta integration plan.',
    members: `SELECT code FROM regions WHERE code IN ('310000', '320000', '330000', '340000')`,
  },
  {
    id: 'provinces',
    nameZh: '有数据的省级行政区',
    nameEn: 'Provinces with figures',
    description: 'Every province-level region with at least one regional total (a figure that is not a single bank\'s or programme\'s own).',
    members: `SELECT DISTINCT r.code FROM regions r JOIN published_observations o ON o.region_code = r.code AND o.reporter IS NULL WHERE r.level = 'province'`,
  },
];

export const REGION_SET_IDS = DEFINITIONS.map((d) => d.id);

@Injectable()
export class RegionSetsService {
  constructor(private readonly db: ReadDatabase) {}

  async list(): Promise<{ data: RegionSetDto[] }> {
    return { data: await Promise.all(DEFINITIONS.map((d) => this.expand(d))) };
  }

  async get(id: string): Promise<RegionSetDto> {
    const definition = DEFINITIONS.find((d) => d.id === id);
    if (!definition) throw ProblemException.notFound('region set', `id "${id}"`, `Known sets: ${REGION_SET_IDS.join(', ')}.`);
    return this.expand(definition);
  }

  private async expand({ members, ...set }: Definition): Promise<RegionSetDto> {
    const regions = await this.db.query<RegionRefDto[]>(
      `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level FROM regions WHERE code IN (${members}) ORDER BY code`,
    );
    return { ...set, regions };
  }
}
