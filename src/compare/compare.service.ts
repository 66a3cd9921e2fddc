import { Injectable } from '@nestjs/common';
import { DataVersion, KeptPerVersion } from '../database/data-version.js';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException, PROBLEM_TYPES } from '../errors/problem.js';
import { CELL_OBSERVATION_JSON, LATEST_AS_OBSERVATIONS } from '../observations/observations.service.js';
import type { IndicatorRefDto } from '../indicators/indicator.dto.js';
import { RegionSetsService } from '../region-sets/region-sets.service.js';
import { RegionLookup } from '../regions/region-lookup.service.js';
import { buildRows, type Figure, type IndicatorInfo, type Pairing } from './comparison.js';
import { derive, derivedInputWarning, type DerivedDefinition } from './derived.js';
import type { CellObservationDto, CompareQueryDto, CompareResponseDto, ComparedRegionDto } from './compare.dto.js';
import { MAX_COMPARED } from './compare.dto.js';

type FigureRow = Figure & { observation: CellObservationDto };

const FIGURE_COLUMNS = `o.id, o.region_code AS "regionCode", o.indicator_code AS "indicatorCode", o.as_of AS "asOf",
       o.as_of_precision AS "asOfPrecision", o.as_of_inferred AS "asOfInferred", o.period_start AS "periodStart",
       o.value, o.qualifier, ${CELL_OBSERVATION_JSON} AS observation`;

/** Every dated regional total of the regions ($1) and indicators ($2): the SQL under compare. */
export const MEASURED_FIGURES_SQL = `
  SELECT ${FIGURE_COLUMNS}
    FROM published_observations o
    JOIN indicators i ON i.code = o.indicator_code
    JOIN sources s ON s.id = o.source_id
   WHERE o.region_code = ANY ($1) AND o.indicator_code = ANY ($2) AND o.reporter IS NULL
   ORDER BY o.as_of`;

/** The newest regional total of each of the regions ($1) and indicators ($2): all latest-each needs without asOf. */
export const NEWEST_FIGURES_SQL = `
  SELECT ${FIGURE_COLUMNS}
    FROM ${LATEST_AS_OBSERVATIONS} o
    JOIN indicators i ON i.code = o.indicator_code
    JOIN sources s ON s.id = o.source_id
   WHERE o.region_code = ANY ($1) AND o.indicator_code = ANY ($2) AND o.reporter IS NULL`;

/** Each indicator's comparable indicators (the pairs both ways round), as a JSON array. */
export const COMPARABLE_PAIRS_JSON = `COALESCE((
  SELECT json_agg(json_build_object('of', c.of, 'code', c.code, 'caveatEn', c.caveat_en, 'caveatZh', c.caveat_zh) ORDER BY c.of, c.code)
    FROM (SELECT indicator_code AS of, comparable_code AS code, caveat_en, caveat_zh FROM indicator_comparisons
          UNION ALL SELECT comparable_code, indicator_code, caveat_en, caveat_zh FROM indicator_comparisons) c), '[]')`;

/**
 * The catalog in one statement: every indicator's metadata (by topic and code), every comparable
 * pair and the topic codes. Small tables, read whole, and kept until the data version moves on.
 */
export const INDICATOR_CATALOG_SQL = `
  SELECT COALESCE((SELECT json_agg(json_build_object('code', code, 'nameZh', name_zh, 'nameEn', name_en, 'topic', topic, 'unit', unit,
                     'measureType', measure_type, 'kind', kind, 'numerator', numerator_code, 'denominator', denominator_code) ORDER BY topic, code)
                     FROM indicators), '[]') AS indicators,
         ${COMPARABLE_PAIRS_JSON} AS pairs,
         COALESCE((SELECT json_agg(code) FROM topics), '[]') AS topics`;

export class IndicatorCatalog {
  private readonly byCode: Map<string, IndicatorInfo>;

  constructor(
    private readonly indicators: IndicatorInfo[],
    private readonly pairs: (Pairing & { of: string })[],
    private readonly topics: string[],
  ) {
    this.byCode = new Map(indicators.map((i) => [i.code, i]));
  }

  /** The measured indicators (of one topic, if given), by topic and code. */
  measured(topic?: string): string[] {
    return this.indicators.filter((i) => i.kind === 'measured' && (!topic || i.topic === topic)).map((i) => i.code);
  }

  assertTopic(topic: string | undefined): void {
    if (topic && !this.topics.includes(topic)) throw ProblemException.notFound('topic', `code "${topic}"`, 'See /v1/topics.');
  }

  /** Metadata of the given codes, in their order; a 404 names every code that does not exist. */
  info(codes: string[]): Map<string, IndicatorInfo> {
    const unknown = codes.filter((c) => !this.byCode.has(c));
    if (unknown.length) {
      throw new ProblemException({
        type: PROBLEM_TYPES.notFound,
        title: 'Not Found',
        status: 404,
        detail: `No indicator with code ${unknown.map((c) => `"${c}"`).join(', ')}. See /v1/indicators.`,
      });
    }
    return new Map(codes.map((c) => [c, this.byCode.get(c)!]));
  }

  /** The indicators comparable with each of the given codes. */
  pairings(codes: string[]): Map<string, Pairing[]> {
    const wanted = new Set(codes);
    const map = new Map<string, Pairing[]>();
    for (const { of, ...pairing } of this.pairs) if (wanted.has(of)) map.set(of, [...(map.get(of) ?? []), pairing]);
    return map;
  }
}

@Injectable()
export class CompareService {
  private readonly kept: KeptPerVersion<IndicatorCatalog>;

  constructor(
    private readonly db: ReadDatabase,
    private readonly lookup: RegionLookup,
    private readonly regionSets: RegionSetsService,
    version: DataVersion,
  ) {
    this.kept = new KeptPerVersion(version, async () => {
      const [row] = await this.db.query<{ indicators: IndicatorInfo[]; pairs: (Pairing & { of: string })[]; topics: string[] }[]>(INDICATOR_CATALOG_SQL);
      return new IndicatorCatalog(row.indicators, row.pairs, row.topics);
    });
  }

  async compare(query: CompareQueryDto): Promise<CompareResponseDto> {
    const align = query.align ?? 'latest-each';
    if (align === 'exact' && !query.asOf) {
      throw ProblemException.validation([{ location: 'query', name: 'asOf', message: 'align=exact needs asOf, the date every figure must have' }]);
    }
    const regions = await this.regions(query);
    const codes = regions.map((r) => r.code);
    const catalog = await this.catalog();
    catalog.assertTopic(query.topic);
    // Without a list, every measured indicator (of the topic) is read, and those the regions have figures of are shown.
    const indicators = query.indicators ?? catalog.measured(query.topic);
    const info = catalog.info(indicators);
    const candidates = query.topic && query.indicators ? indicators.filter((c) => info.get(c)!.topic === query.topic) : indicators;
    const partners = [...new Set([...catalog.pairings(candidates).values()].flat().map((p) => p.code))].filter((code) => !info.has(code));
    for (const [code, partner] of catalog.info(partners)) info.set(code, partner);

    // Each region's newest figure is read from the newest-figure table when no other moment is asked for.
    const { figures, denominatorPairings } = await this.figures(codes, info, catalog, align === 'latest-each' && !query.asOf);
    const withFigures = new Set(figures.map((f) => f.indicatorCode));
    const requested = query.indicators ? candidates : candidates.filter((code) => withFigures.has(code));
    const pairings = catalog.pairings(requested);
    const { rows, warnings } = buildRows({ regions: codes, indicators: requested, info, pairings, figures, mode: align, asOf: query.asOf });
    for (const row of rows.filter((r) => info.get(r.indicator)!.kind === 'derived')) {
      const warning = derivedInputWarning(row.cells, denominatorPairings.get(info.get(row.indicator)!.denominator!) ?? []);
      if (warning) {
        row.warnings.push(warning);
        warnings.push(warning);
      }
    }
    const observation = new Map(figures.map((f) => [f.id, f.observation]));
    return {
      align,
      asOf: query.asOf ?? null,
      regions,
      rows: rows.map((row) => ({
        indicator: info.get(row.indicator)! as IndicatorRefDto,
        pairedWith: row.pairedWith,
        cells: row.cells.map((cell) => ({
          region: cell.region,
          indicator: cell.indicator,
          observation: cell.figure ? observation.get(cell.figure.id)! : null,
          rank: cell.rank,
          share: cell.share,
        })),
        summary: row.summary,
        warningCodes: [...new Set(row.warnings.map((w) => w.code))],
      })),
      warnings,
    };
  }

  private async regions(query: CompareQueryDto): Promise<ComparedRegionDto[]> {
    if (!query.regions?.length && !query.regionSet) {
      throw ProblemException.validation([{ location: 'query', name: 'regions', message: 'give regions (codes or names, comma-separated) or regionSet (see /v1/region-sets)' }]);
    }
    const named = query.regions?.length ? await this.lookup.resolveMany(query.regions, 'regions') : [];
    const fromSet = query.regionSet ? (await this.regionSets.get(query.regionSet)).regions.map((r) => ({ ...r, input: query.regionSet! })) : [];
    const all = [...named, ...fromSet.filter((r) => !named.some((n) => n.code === r.code))];
    if (all.length > MAX_COMPARED) {
      throw ProblemException.validation([{ location: 'query', name: 'regions', message: `at most ${MAX_COMPARED} regions can be compared; got ${all.length}` }]);
    }
    return all;
  }

  /** The indicator catalog, read once per data version. */
  catalog(): Promise<IndicatorCatalog> {
    return this.kept.get();
  }

  /**
   * Regional totals of measured indicators, and values of derived ones computed from them: each
   * numerator over the denominator of the same region and date, or over a comparable denominator
   * (Jiangsu counts business entities where Zhejiang counts enterprises). `info` is the metadata
   * of the indicators wanted, as the catalog's info() returns it; the denominators' pairings come back too.
   */
  async figures(
    regions: string[],
    info: Map<string, IndicatorInfo>,
    catalog: IndicatorCatalog,
    newestOnly = false,
  ): Promise<{ figures: FigureRow[]; denominatorPairings: Map<string, Pairing[]> }> {
    const indicators = [...info.keys()];
    const derived = [...info.values()].filter((i) => i.kind === 'derived') as DerivedDefinition[];
    const denominatorPairings = catalog.pairings(derived.map((d) => d.denominator));
    const inputs = derived.flatMap((d) => [d.numerator, d.denominator, ...(denominatorPairings.get(d.denominator) ?? []).map((p) => p.code)]);
    const measuredCodes = indicators.filter((code) => info.get(code)!.kind === 'measured');
    // With newestOnly, measured indicators need only their newest figures; a derived value still
    // needs its inputs' history, to divide figures of the same date.
    const historyCodes = [...new Set([...(newestOnly ? [] : measuredCodes), ...inputs])];
    const [newest, measured] = await Promise.all([
      newestOnly ? this.db.query<FigureRow[]>(NEWEST_FIGURES_SQL, [regions, measuredCodes]) : [],
      historyCodes.length ? this.measuredFigures(regions, historyCodes) : [],
    ]);
    const result = newestOnly ? newest : measured.filter((f) => info.get(f.indicatorCode)?.kind === 'measured');
    for (const definition of derived) {
      const alternatives = (denominatorPairings.get(definition.denominator) ?? []).map((p) => p.code);
      const denominators = regions.flatMap((region) => {
        const own = measured.filter((f) => f.regionCode === region && f.indicatorCode === definition.denominator);
        if (own.length) return own;
        const partner = alternatives.find((code) => measured.some((f) => f.regionCode === region && f.indicatorCode === code));
        return measured.filter((f) => f.regionCode === region && f.indicatorCode === partner);
      });
      const numerators = measured.filter((f) => f.indicatorCode === definition.numerator);
      for (const value of derive(definition, numerators, denominators)) {
        const [numerator, denominator] = [value.numerator as FigureRow, value.denominator as FigureRow];
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
          numerator,
          denominator,
        } as FigureRow);
      }
    }
    return { figures: result, denominatorPairings };
  }

  /** Regional totals only: a bank's or programme's own figure never stands in for a region. */
  private async measuredFigures(regions: string[], indicators: string[]): Promise<FigureRow[]> {
    return this.db.query<FigureRow[]>(MEASURED_FIGURES_SQL, [regions, indicators]);
  }
}
