import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { Vocabulary } from '../figures/vocabulary.js';
import type { AvailabilityDto, AvailabilityQueryDto } from './availability.dto.js';

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly vocabulary: Vocabulary,
  ) {}

  /**
   * Which region × indicator pairs have regional totals, so a frontend can grey out empty choices;
   * with the grid's rows and columns: the regions and indicators asked for, else those with figures.
   */
  async list(query: AvailabilityQueryDto): Promise<AvailabilityDto> {
    const named = query.region?.length ? (await this.vocabulary.regions(query.region, 'region')).map((r) => r.code) : [];
    const fromSet = query.regionSet ? (await this.vocabulary.regionSet(query.regionSet, 'regionSet')).regions.map((r) => r.code) : [];
    const regions = named.length || fromSet.length ? [...new Set([...named, ...fromSet])] : null;
    const indicators = query.indicator?.length ? (await this.vocabulary.indicators(query.indicator, 'indicator')).map((i) => i.code) : null;
    const topic = query.topic ? (await this.vocabulary.topic(query.topic, 'topic')).code : null;
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
      [regions, indicators, topic],
    );
    const catalog = await this.vocabulary.catalog();
    const rows = regions ?? [...new Set(data.map((entry) => entry.region))];
    const columns = indicators ?? (topic ? catalog.of(topic, 'measured').map((i) => i.code) : [...new Set(data.map((entry) => entry.indicator))]);
    return {
      regions: await Promise.all(rows.map(async (code) => (await this.vocabulary.regionByCode(code))!)),
      indicators: columns.map((code) => catalog.get(code)!),
      data,
    };
  }
}
