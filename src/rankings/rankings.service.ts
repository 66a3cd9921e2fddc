import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { daysBetween, pick, rowWarnings, competitionRanks, type Cell, type Figure, type IndicatorInfo, type Warning } from '../compare/comparison.js';
import type { CellObservationDto } from '../compare/compare.dto.js';
import { CompareService, type IndicatorCatalog } from '../compare/compare.service.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import { CELL_OBSERVATION_JSON, LATEST_AS_OBSERVATIONS } from '../observations/observations.service.js';
import { RegionSetsService } from '../region-sets/region-sets.service.js';
import type { RegionRefDto } from '../regions/region.dto.js';
import { RegionLookup } from '../regions/region-lookup.service.js';
import type { RankingDto, RankingEntryDto, RankingQueryDto } from './ranking.dto.js';

/** Which regions a ranking covers: the children of a parent, the members of a set, of one level (without one, every level but the nation); parameters $n to $n+2. */
const rankedRegion = (n: number) => `($${n}::text IS NULL OR r.parent_code = $${n}) AND ($${n + 1}::text[] IS NULL OR r.code = ANY ($${n + 1}))
                      AND (r.level = $${n + 2} OR ($${n + 2}::text IS NULL AND r.level <> 'nation'))`;

/** A figure's fields for ranking and flagging it, as JSON (alias of the figure: f). */
const FIGURE_JSON = `json_build_object('id', f.id, 'regionCode', f.region_code, 'indicatorCode', $1::text, 'asOf', f.as_of, 'asOfPrecision', f.as_of_precision,
                    'asOfInferred', f.as_of_inferred, 'periodStart', f.period_start, 'value', f.value, 'qualifier', f.qualifier)`;

/**
 * A ranking of one measured indicator ($1) by its newest regional totals, in one statement: the
 * figures come from the covering index of the newest-figure table, Postgres ranks them ("1224":
 * ties share a rank), and only the page asked for ($5 entries skipped, $6 shown) is joined to its
 * regions and to the citations the newest-figure table carries. Beside the page: the number ranked,
 * the national figure, the distinct dates, and the figures a warning is about (approximate, inferred
 * or older than the newest).
 */
export const RANKING_SQL = `
  WITH figures AS (
    SELECT l.observation_id AS id, l.region_code, l.as_of, l.as_of_precision, l.as_of_inferred, l.period_start, l.value, l.qualifier, ranked
      FROM latest_observations l JOIN regions r ON r.code = l.region_code
     CROSS JOIN LATERAL (SELECT COALESCE(${rankedRegion(2)}, false) AS ranked) f
     WHERE l.indicator_code = $1 AND l.reporter IS NULL AND (ranked OR r.code = 'CN')),
  ranked AS (
    SELECT *, rank() OVER (ORDER BY value DESC) AS rank, row_number() OVER (ORDER BY value DESC, region_code COLLATE "C") AS position
      FROM figures WHERE ranked)
  SELECT (SELECT count(*) FROM ranked) AS total,
         COALESCE((SELECT json_agg(json_build_object('rank', p.rank, 'region', json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level),
                                     'observation', ${CELL_OBSERVATION_JSON}) ORDER BY p.position)
                     FROM ranked p JOIN regions r ON r.code = p.region_code
                     JOIN ${LATEST_AS_OBSERVATIONS} o ON o.region_code = p.region_code AND o.indicator_code = $1 AND o.reporter IS NULL
                     JOIN indicators i ON i.code = o.indicator_code JOIN sources s ON s.id = o.source_id
                    WHERE p.position > $5::int AND p.position <= $5::int + $6::int), '[]') AS entries,
         (SELECT ${CELL_OBSERVATION_JSON} FROM figures n
            JOIN ${LATEST_AS_OBSERVATIONS} o ON o.region_code = n.region_code AND o.indicator_code = $1 AND o.reporter IS NULL
            JOIN indicators i ON i.code = o.indicator_code JOIN sources s ON s.id = o.source_id
           WHERE n.region_code = 'CN' AND NOT n.ranked) AS national,
         ARRAY(SELECT DISTINCT as_of::text FROM ranked ORDER BY 1) AS dates,
         COALESCE((SELECT json_agg(${FIGURE_JSON} ORDER BY f.position) FROM ranked f
                    WHERE f.qualifier <> 'exact' OR f.as_of_inferred OR f.as_of < (SELECT max(as_of) FROM ranked)), '[]') AS flagged`;

/** The regions a ranking covers, when its figures come from the history instead. */
const RANKED_REGIONS_SQL = `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level FROM regions r WHERE ${rankedRegion(1)}`;

type CitedFigure = Figure & { observation: CellObservationDto };

/** One page of a ranking and what its warnings need of the whole: the distinct dates and the figures worth a warning. */
interface RankedPage {
  total: number;
  entries: RankingEntryDto[];
  national: CellObservationDto | null;
  dates: string[];
  flagged: Figure[];
}

@Injectable()
export class RankingsService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly comparisons: CompareService,
    private readonly lookup: RegionLookup,
    private readonly regionSets: RegionSetsService,
  ) {}

  async rank(indicatorCode: string, query: RankingQueryDto, url: string): Promise<RankingDto> {
    const { page = 1, pageSize = 50 } = query;
    const catalog = await this.comparisons.catalog();
    const infoByCode = catalog.info([indicatorCode]);
    const info = infoByCode.get(indicatorCode)!;
    const parent = query.parent ? (await this.lookup.resolve(query.parent, 'parent')).code : null;
    const members = query.regionSet ? (await this.regionSets.get(query.regionSet)).regions.map((r) => r.code) : null;
    const filter = [parent, members, query.level ?? null];
    const skip = (page - 1) * pageSize;
    // A measured indicator's newest figures are ranked in Postgres from the newest-figure table; a
    // figure as of a past date, or a derived one, is chosen from the history as compare chooses it.
    const ranked =
      info.kind === 'measured' && !query.asOf
        ? (await this.db.query<RankedPage[]>(RANKING_SQL, [indicatorCode, ...filter, skip, pageSize]))[0]
        : await this.rankFromHistory(infoByCode, catalog, filter, query, skip, pageSize);
    return {
      indicator: info,
      asOf: query.asOf ?? null,
      entries: ranked.entries,
      nationalBaseline: ranked.national,
      warnings: this.warnings(ranked.flagged, ranked.dates, info),
      ...pageEnvelope(url, page, pageSize, ranked.total),
    };
  }

  private async rankFromHistory(
    infoByCode: Map<string, IndicatorInfo>,
    catalog: IndicatorCatalog,
    filter: unknown[],
    query: RankingQueryDto,
    skip: number,
    pageSize: number,
  ): Promise<RankedPage> {
    const regionOf = new Map((await this.db.query<RegionRefDto[]>(RANKED_REGIONS_SQL, filter)).map((r) => [r.code, r]));
    const rankedCodes = [...regionOf.keys()];
    const figures = (await this.comparisons.figures([...rankedCodes, 'CN'], infoByCode, catalog)).figures as CitedFigure[];
    const byRegion = new Map<string, CitedFigure[]>();
    for (const figure of figures) {
      const list = byRegion.get(figure.regionCode);
      if (list) list.push(figure);
      else byRegion.set(figure.regionCode, [figure]);
    }
    const newest = (code: string) => pick(byRegion.get(code) ?? [], 'latest-each', query.asOf) as CitedFigure | null;
    // Ties in value go by region code, as the SQL ranking orders them.
    const ranked = rankedCodes
      .map(newest)
      .filter((f): f is CitedFigure => f !== null)
      .sort((a, b) => b.value - a.value || (a.regionCode < b.regionCode ? -1 : a.regionCode > b.regionCode ? 1 : 0));
    const ranks = competitionRanks(ranked.map((r) => r.value));
    const shown = ranked.slice(skip, skip + pageSize);
    return {
      total: ranked.length,
      entries: shown.map((f, i) => ({ rank: ranks[skip + i], region: regionOf.get(f.regionCode)!, observation: f.observation })),
      national: query.level === 'nation' ? null : (newest('CN')?.observation ?? null),
      dates: [...new Set(ranked.map((r) => r.asOf))].sort(),
      flagged: ranked,
    };
  }

  /**
   * Unlike compare, any difference in dates is flagged: a ranking implies one moment. `flagged` holds
   * (at least) every ranked figure that is approximate, of an inferred date or older than the newest of `dates`.
   */
  private warnings(flagged: Figure[], dates: string[], info: IndicatorInfo): Warning[] {
    const indicator = info.code;
    const cells: Cell[] = flagged.map((r) => ({ region: r.regionCode, indicator, figure: r, rank: null, share: null }));
    const perCell = rowWarnings(cells, new Map([[indicator, info]]), []).filter((w) => w.code === 'APPROXIMATE' || w.code === 'INFERRED_DATE');
    if (dates.length < 2) return perCell;
    const gap = daysBetween(dates[0], dates.at(-1)!);
    return [
      {
        code: 'AS_OF_MISMATCH',
        messageEn: `The ranked figures are of ${dates.length} different dates (${dates[0]} to ${dates.at(-1)}, ${gap} days apart).`,
        messageZh: `参与排名的数据截止日期不同（${dates[0]} 至 ${dates.at(-1)}，相差 ${gap} 天）。`,
        cells: flagged.filter((r) => r.asOf !== dates.at(-1)).map((r) => ({ region: r.regionCode, indicator })),
        gapDays: gap,
      },
      ...perCell,
    ];
  }
}
