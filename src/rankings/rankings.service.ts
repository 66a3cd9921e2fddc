import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { daysBetween, pick, rowWarnings, competitionRanks, type Cell, type Figure, type IndicatorInfo, type Warning } from '../compare/comparison.js';
import type { CellObservationDto } from '../compare/compare.dto.js';
import { CompareService } from '../compare/compare.service.js';
import { RegionSetsService } from '../region-sets/region-sets.service.js';
import type { RegionRefDto } from '../regions/region.dto.js';
import { RegionLookup } from '../regions/region-lookup.service.js';
import type { RankingDto, RankingQueryDto } from './ranking.dto.js';

type RankedRow = Figure & { observation: CellObservationDto };

@Injectable()
export class RankingsService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly comparisons: CompareService,
    private readonly lookup: RegionLookup,
    private readonly regionSets: RegionSetsService,
  ) {}

  async rank(indicatorCode: string, query: RankingQueryDto): Promise<RankingDto> {
    const catalog = await this.comparisons.catalog();
    const infoByCode = catalog.info([indicatorCode]);
    const info = infoByCode.get(indicatorCode)!;
    const parent = query.parent ? (await this.lookup.resolve(query.parent, 'parent')).code : null;
    const members = query.regionSet ? (await this.regionSets.get(query.regionSet)).regions.map((r) => r.code) : null;
    const regions = await this.db.query<RegionRefDto[]>(
      `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level FROM regions r
        WHERE ($1::text IS NULL OR r.parent_code = $1) AND ($2::text[] IS NULL OR r.code = ANY ($2))
          AND (r.level = $3 OR ($3::text IS NULL AND r.level <> 'nation'))`,
      [parent, members, query.level ?? null],
    );
    const byCode = new Map(regions.map((r) => [r.code, r]));
    // Each region's newest figure (on or before asOf); derived indicators are computed like in compare.
    const codes = [...byCode.keys(), 'CN'];
    const figures = (
      info.kind === 'measured' && !query.asOf ? await this.comparisons.latestMeasuredFigures(codes, indicatorCode) : (await this.comparisons.figures(codes, infoByCode, catalog)).figures
    ) as RankedRow[];
    const byRegion = new Map<string, RankedRow[]>();
    for (const figure of figures) {
      const list = byRegion.get(figure.regionCode);
      if (list) list.push(figure);
      else byRegion.set(figure.regionCode, [figure]);
    }
    const newest = (code: string) => pick(byRegion.get(code) ?? [], 'latest-each', query.asOf) as RankedRow | null;
    const ranked = [...byCode.keys()]
      .map(newest)
      .filter((f): f is RankedRow => f !== null)
      .sort((a, b) => b.value - a.value || a.regionCode.localeCompare(b.regionCode));
    const national = query.level === 'nation' ? null : newest('CN');
    const ranks = competitionRanks(ranked.map((r) => r.value));
    return {
      indicator: info,
      asOf: query.asOf ?? null,
      entries: ranked.map((r, i) => ({ rank: ranks[i], region: byCode.get(r.regionCode)!, observation: r.observation })),
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
