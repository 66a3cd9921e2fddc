import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { daysBetween, rowWarnings, competitionRanks, type Cell, type Figure, type IndicatorInfo, type Warning } from '../compare/comparison.js';
import type { CellObservationDto } from '../compare/compare.dto.js';
import { CompareService } from '../compare/compare.service.js';
import { CELL_OBSERVATION_JSON } from '../observations/observations.service.js';
import { RegionSetsService } from '../region-sets/region-sets.service.js';
import type { RegionRefDto } from '../regions/region.dto.js';
import { RegionLookup } from '../regions/region-lookup.service.js';
import type { RankingDto, RankingQueryDto } from './ranking.dto.js';

type RankedRow = Figure & { region: RegionRefDto; observation: CellObservationDto };

@Injectable()
export class RankingsService {
  constructor(
    private readonly db: DataSource,
    private readonly comparisons: CompareService,
    private readonly lookup: RegionLookup,
    private readonly regionSets: RegionSetsService,
  ) {}

  async rank(indicatorCode: string, query: RankingQueryDto): Promise<RankingDto> {
    const info = (await this.comparisons.indicatorInfo([indicatorCode])).get(indicatorCode)!;
    const parent = query.parent ? (await this.lookup.resolve(query.parent, 'parent')).code : null;
    const members = query.regionSet ? (await this.regionSets.get(query.regionSet)).regions.map((r) => r.code) : null;
    // The newest regional total per region, on or before asOf.
    const newest = (filter: string, params: unknown[]) => this.db.query<RankedRow[]>(
      `SELECT DISTINCT ON (o.region_code)
              o.id, o.region_code AS "regionCode", o.indicator_code AS "indicatorCode", o.as_of AS "asOf", o.as_of_precision AS "asOfPrecision",
              o.as_of_inferred AS "asOfInferred", o.period_start AS "periodStart", o.value, o.qualifier,
              json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level) AS region,
              ${CELL_OBSERVATION_JSON} AS observation
         FROM observations o
         JOIN regions r ON r.code = o.region_code
         JOIN indicators i ON i.code = o.indicator_code
         JOIN sources s ON s.id = o.source_id
        WHERE o.indicator_code = $1 AND o.reporter IS NULL AND ($2::date IS NULL OR o.as_of <= $2) AND ${filter}
        ORDER BY o.region_code, o.as_of DESC`,
      [indicatorCode, query.asOf ?? null, ...params],
    );
    const rows = await newest(
      `($3::text IS NULL OR r.parent_code = $3) AND ($4::text[] IS NULL OR r.code = ANY ($4))
       AND (r.level = $5 OR ($5::text IS NULL AND r.level <> 'nation'))`,
      [parent, members, query.level ?? null],
    );
    const [national] = query.level === 'nation' ? [] : await newest(`r.code = 'CN'`, []);
    const ranked = rows.sort((a, b) => b.value - a.value || a.regionCode.localeCompare(b.regionCode));
    const ranks = competitionRanks(ranked.map((r) => r.value));
    return {
      indicator: info,
      asOf: query.asOf ?? null,
      entries: ranked.map((r, i) => ({ rank: ranks[i], region: r.region, observation: r.observation })),
      nationalBaseline: national?.observation ?? null,
      warnings: this.warnings(ranked, info),
    };
  }

  /** Unlike compare, any difference in dates is flagged: a ranking implies one moment. */
  private warnings(ranked: RankedRow[], info: IndicatorInfo): Warning[] {
    const indicator = info.code;
    const cells: Cell[] = ranked.map((r) => ({ region: r.regionCode, indicator, figure: r, rank: null, share: null }));
    const perCell = rowWarnings(cells, new Map([[indicator, info]]), []).filter((w) => w.code === 'APPROXIMATE' || w.code === 'INFERRED_DATE');
    const dates = [...new Set(ranked.map((r) => r.asOf))].sort();
    if (dates.length < 2) return perCell;
    const gap = daysBetween(dates[0], dates.at(-1)!);
    return [
      {
        code: 'AS_OF_MISMATCH',
        messageEn: `The ranked figures are of ${dates.length} different dates (${dates[0]} to ${dates.at(-1)}, ${gap} days apart).`,
        messageZh: `参与排名的数据截止日期不同（${dates[0]} 至 ${dates.at(-1)}，相差 ${gap} 天）。`,
        cells: ranked.filter((r) => r.asOf !== dates.at(-1)).map((r) => ({ region: r.regionCode, indicator })),
        gapDays: gap,
      },
      ...perCell,
    ];
  }
}
