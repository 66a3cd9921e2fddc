import { Injectable } from '@nestjs/common';
import type { RegionLevel, Unit } from '../catalog/schema.js';
import type { Figure } from './figure.js';
import { ReadDatabase } from '../database/read-database.js';
import { DataVersion, KeptPerVersion } from '../database/data-version.js';
import { derive } from './derived.js';
import { HISTORY_SQL, LEVEL_RANKING_SQL, NEWEST_SQL, RANKED_REGIONS_SQL, RANKING_SQL, REGION_NEWEST_SQL } from './figures.sql.js';
import type { IndicatorCatalog, IndicatorInfo } from './indicator-catalog.js';

/**
 * The read model of figures: every statement that reads figures for compare, rankings, profiles,
 * the pilot zones and programs, in one place. Statements are fixed text; values travel as parameters.
 */

/** A figure as a comparison, ranking or profile shows it, with its citation (a derived value: with its inputs'). */
export interface CellObservation {
  id: number | null;
  value: number;
  unit: Unit;
  valuePrinted: string;
  unitPrinted: string;
  qualifier: Figure['qualifier'];
  asOf: string;
  asOfPrecision: Figure['asOfPrecision'];
  asOfInferred: boolean;
  periodStart: string | null;
  source: { id: string; fileName: string } | null;
  quote: string | null;
  inputs?: CellObservation[];
}

export type CitedFigure = Figure & { observation: CellObservation; reporter?: string | null };

export interface RankingFilter {
  parent: string | null;
  members: string[] | null;
  level: string | null;
}

export interface RankedRegion {
  code: string;
  nameZh: string;
  nameEn: string;
  level: RegionLevel;
}

export interface RankedPage {
  total: number;
  entries: { rank: number; region: RankedRegion; observation: CellObservation }[];
  dates: string[];
  /** At least every ranked figure that is approximate, of an inferred date or older than the newest. */
  flagged: Figure[];
  /** The highest placed figure of the newest date, of the whole ranking: the one its baseline is read against. */
  newest: { regionCode: string; observation: CellObservation } | null;
}

/** The region every other is read against. */
export const NATION = 'CN';

@Injectable()
export class FiguresRepository {
  /**
   * The national series: a few figures per indicator, read by every profile and ranking as their
   * baselines, so kept per data version instead of costing each cold read a statement.
   */
  private readonly nationalHistory: KeptPerVersion<CitedFigure[]>;

  constructor(
    private readonly db: ReadDatabase,
    version: DataVersion,
  ) {
    this.nationalHistory = new KeptPerVersion(version, () => db.query<CitedFigure[]>(HISTORY_SQL, [[NATION], null]));
  }

  /** The nation's figures of the indicators (derived ones computed), the baselines of profiles and rankings. */
  nationalFigures(indicators: IndicatorInfo[], catalog: IndicatorCatalog): Promise<CitedFigure[]> {
    return this.regionalFigures([NATION], indicators, catalog);
  }

  /**
   * Regional totals of the indicators, measured and derived: a bank's or programme's own figure never
   * stands in for a region. With `newestOnly`, each series' newest figure; otherwise the history. A
   * derived value is the numerator over the denominator of the same region and date, or over a
   * comparable denominator (Jiangsu counts business entities where Zhejiang counts enterprises).
   */
  async regionalFigures(regions: string[], indicators: IndicatorInfo[], catalog: IndicatorCatalog, newestOnly = false): Promise<CitedFigure[]> {
    const measured = indicators.filter((i) => i.kind === 'measured').map((i) => i.code);
    const derived = indicators.filter((i) => i.kind === 'derived');
    const alternatives = (code: string) => catalog.pairings(code).map((p) => p.code);
    const inputs = derived.flatMap((d) => [d.numerator!, d.denominator!, ...alternatives(d.denominator!)]);
    // A derived value needs its inputs' history, to divide figures of the same date.
    const historyCodes = [...new Set([...(newestOnly ? [] : measured), ...inputs])];
    const [newest, history] = await Promise.all([
      newestOnly && measured.length ? this.db.query<CitedFigure[]>(NEWEST_SQL, [regions, measured]) : [],
      historyCodes.length ? this.history(regions, historyCodes) : [],
    ]);
    const result = newestOnly ? newest.filter((f) => !f.reporter) : history.filter((f) => measured.includes(f.indicatorCode));
    for (const definition of derived) {
      const denominators = regions.flatMap((region) => {
        const own = history.filter((f) => f.regionCode === region && f.indicatorCode === definition.denominator);
        if (own.length) return own;
        const partner = alternatives(definition.denominator!).find((code) => history.some((f) => f.regionCode === region && f.indicatorCode === code));
        return history.filter((f) => f.regionCode === region && f.indicatorCode === partner);
      });
      const numerators = history.filter((f) => f.indicatorCode === definition.numerator);
      for (const value of derive(definition, numerators, denominators)) {
        const [numerator, denominator] = [value.numerator as CitedFigure, value.denominator as CitedFigure];
        result.push({
          ...value,
          observation: {
            id: null,
            value: value.value,
            unit: definition.unit,
            valuePrinted: String(value.value),
            unitPrinted: definition.unit === 'percent' ? '%' : '元',
            qualifier: value.qualifier,
            asOf: value.asOf,
            asOfPrecision: value.asOfPrecision,
            asOfInferred: value.asOfInferred,
            periodStart: null,
            source: null,
            quote: null,
            inputs: [numerator.observation, denominator.observation],
          },
        });
      }
    }
    if (newestOnly) return newestOfEachSeries(result);
    return result;
  }

  /** Regional totals of the indicators over time, oldest first. */
  private async history(regions: string[], indicators: string[]): Promise<CitedFigure[]> {
    if (regions.length === 1 && regions[0] === NATION) {
      const wanted = new Set(indicators);
      return (await this.nationalHistory.get()).filter((f) => wanted.has(f.indicatorCode));
    }
    return this.db.query<CitedFigure[]>(HISTORY_SQL, [regions, indicators]);
  }

  /** The newest figure of every series of a region, its banks' and programmes' own ones included. */
  newestOfRegion(region: string): Promise<CitedFigure[]> {
    return this.db.query<CitedFigure[]>(REGION_NEWEST_SQL, [region]);
  }

  /** A measured indicator's newest regional totals, ranked in the database (lowest first for ranks), one page of them. */
  async ranking(indicator: string, order: 1 | -1, filter: RankingFilter, skip: number, take: number): Promise<RankedPage> {
    // A whole level is ranked when its figures are written; a parent's children or a set's members are ranked here.
    const [page] =
      filter.level && !filter.parent && !filter.members
        ? await this.db.query<RankedPage[]>(LEVEL_RANKING_SQL, [indicator, filter.level, skip, take, order])
        : await this.db.query<RankedPage[]>(RANKING_SQL, [indicator, filter.parent, filter.members, filter.level, skip, take, order]);
    return page;
  }

  rankedRegions(filter: RankingFilter): Promise<RankedRegion[]> {
    return this.db.query<RankedRegion[]>(RANKED_REGIONS_SQL, [filter.parent, filter.members, filter.level]);
  }
}

/** A figure as the cell a statement returned it in, for the judge. */
export function figureOf(regionCode: string, indicatorCode: string, observation: CellObservation): CitedFigure {
  const { id, asOf, asOfPrecision, asOfInferred, periodStart, value, qualifier } = observation;
  return { id: id ?? 0, regionCode, indicatorCode, asOf, asOfPrecision, asOfInferred, periodStart, value, qualifier, observation };
}

/** The newest figure of each region and indicator (a derived value computed for every date its inputs share). */
function newestOfEachSeries(figures: CitedFigure[]): CitedFigure[] {
  const newest = new Map<string, CitedFigure>();
  for (const figure of figures) {
    const key = `${figure.regionCode}|${figure.indicatorCode}`;
    const kept = newest.get(key);
    if (!kept || figure.asOf > kept.asOf) newest.set(key, figure);
  }
  return [...newest.values()];
}
