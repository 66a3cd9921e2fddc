import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { CompareService } from '../compare/compare.service.js';
import { RegionSetsService } from '../region-sets/region-sets.service.js';
import { RegionLookup } from '../regions/region-lookup.service.js';
import type { AvailabilityDto, AvailabilityQueryDto } from './availability.dto.js';

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly lookup: RegionLookup,
    private readonly comparisons: CompareService,
    private readonly regionSets: RegionSetsService,
  ) {}

  /** Which region × indicator pairs have regional totals, so a frontend can grey out empty choices. */
  async list(query: AvailabilityQueryDto): Promise<AvailabilityDto> {
    const named = query.region?.length ? (await this.lookup.resolveMany(query.region, 'region')).map((r) => r.code) : [];
    const fromSet = query.regionSet ? (await this.regionSets.get(query.regionSet)).regions.map((r) => r.code) : [];
    const regions = named.length || fromSet.length ? [...new Set([...named, ...fromSet])] : null;
    if (query.indicator?.length || query.topic) {
      const catalog = await this.comparisons.catalog();
      catalog.info(query.indicator ?? []);
      catalog.assertTopic(query.topic);
    }
    const data = await this.db.query<AvailabilityDto['data']>(
      `SELECT o.region_code AS region, o.indicator_code AS indicator, i.topic, count(*) AS count,
              min(o.as_of) AS "firstAsOf", max(o.as_of) AS "lastAsOf"
         FROM published_observations o JOIN indicators i ON i.code = o.indicator_code
        WHERE o.reporter IS NULL
          AND ($1::text[] IS NULL OR o.region_code = ANY ($1))
          AND ($2::text[] IS NULL OR o.indicator_code = ANY ($2))
          AND ($3::text IS NULL OR i.topic = $3)
        GROUP BY o.region_code, o.indicator_code, i.topic
        ORDER BY o.region_code, i.topic, o.indicator_code`,
      [regions, query.indicator ?? null, query.topic ?? null],
    );
    return { data };
  }
}
