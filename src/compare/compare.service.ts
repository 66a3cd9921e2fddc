import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException, PROBLEM_TYPES } from '../errors/problem.js';
import { CELL_OBSERVATION_JSON } from '../observations/observations.service.js';
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

/**
 * The newest regional total of one indicator ($1) in every region: the SQL under a ranking. Callers
 * keep the regions they rank; a list of thousands of codes in the query would cost more than the rows.
 */
export const LATEST_FIGURES_SQL = `
  SELECT ${FIGURE_COLUMNS}
    FROM latest_observations l
    JOIN observations o ON o.id = l.observation_id
    JOIN indicators i ON i.code = o.indicator_code
    JOIN sources s ON s.id = o.source_id
   WHERE l.indicator_code = $1 AND l.reporter IS NULL`;

@Injectable()
export class CompareService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly lookup: RegionLookup,
    private readonly regionSets: RegionSetsService,
  ) {}

  async compare(query: CompareQueryDto): Promise<CompareResponseDto> {
    const align = query.align ?? 'latest-each';
    if (align === 'exact' && !query.asOf) {
      throw ProblemException.validation([{ location: 'query', name: 'asOf', message: 'align=exact needs asOf, the date every figure must have' }]);
    }
    const regions = await this.regions(query);
    const codes = regions.map((r) => r.code);
    await this.assertTopic(query.topic);
    const indicators = query.indicators ?? (await this.indicatorsWithFigures(codes, query.topic));
    const info = await this.indicatorInfo(indicators);
    const requested = query.topic && query.indicators ? indicators.filter((c) => info.get(c)!.topic === query.topic) : indicators;
    const pairings = await this.pairings(requested);
    const partners = [...new Set([...pairings.values()].flat().map((p) => p.code))].filter((code) => !info.has(code));
    if (partners.length) for (const [code, partner] of await this.indicatorInfo(partners)) info.set(code, partner);

    const { figures, denominatorPairings } = await this.figures(codes, info);
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

  private async assertTopic(topic: string | undefined): Promise<void> {
    if (!topic) return;
    const [known] = await this.db.query<{ exists: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM topics WHERE code = $1) AS exists`, [topic]);
    if (!known.exists) throw ProblemException.notFound('topic', `code "${topic}"`, 'See /v1/topics.');
  }

  private async indicatorsWithFigures(regions: string[], topic: string | undefined): Promise<string[]> {
    const rows = await this.db.query<{ code: string }[]>(
      `SELECT DISTINCT i.topic, i.code FROM published_observations o JOIN indicators i ON i.code = o.indicator_code
        WHERE o.region_code = ANY ($1) AND o.reporter IS NULL AND ($2::text IS NULL OR i.topic = $2)
        ORDER BY i.topic, i.code`,
      [regions, topic ?? null],
    );
    return rows.map((r) => r.code);
  }

  /** Indicator metadata by code; a 404 names every code that does not exist. */
  async indicatorInfo(codes: string[]): Promise<Map<string, IndicatorInfo>> {
    const rows = await this.db.query<IndicatorInfo[]>(
      `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", topic, unit, measure_type AS "measureType",
              kind, numerator_code AS numerator, denominator_code AS denominator
         FROM indicators WHERE code = ANY ($1)`,
      [codes],
    );
    const found = new Map(rows.map((r) => [r.code, r]));
    const unknown = codes.filter((c) => !found.has(c));
    if (unknown.length) {
      throw new ProblemException({
        type: PROBLEM_TYPES.notFound,
        title: 'Not Found',
        status: 404,
        detail: `No indicator with code ${unknown.map((c) => `"${c}"`).join(', ')}. See /v1/indicators.`,
      });
    }
    return new Map(codes.map((c) => [c, found.get(c)!]));
  }

  async pairings(codes: string[]): Promise<Map<string, Pairing[]>> {
    const rows = await this.db.query<(Pairing & { of: string })[]>(
      `SELECT indicator_code AS of, comparable_code AS code, caveat_en AS "caveatEn", caveat_zh AS "caveatZh" FROM indicator_comparisons WHERE indicator_code = ANY ($1)
       UNION ALL
       SELECT comparable_code, indicator_code, caveat_en, caveat_zh FROM indicator_comparisons WHERE comparable_code = ANY ($1)
       ORDER BY 1, 2`,
      [codes],
    );
    const map = new Map<string, Pairing[]>();
    for (const { of, ...pairing } of rows) map.set(of, [...(map.get(of) ?? []), pairing]);
    return map;
  }

  /**
   * Regional totals of measured indicators, and values of derived ones computed from them: each
   * numerator over the denominator of the same region and date, or over a comparable denominator
   * (Jiangsu counts business entities where Zhejiang counts enterprises). `info` is the metadata
   * of the indicators wanted, as indicatorInfo returns it; the denominators' pairings come back too.
   */
  async figures(regions: string[], info: Map<string, IndicatorInfo>): Promise<{ figures: FigureRow[]; denominatorPairings: Map<string, Pairing[]> }> {
    const indicators = [...info.keys()];
    const derived = [...info.values()].filter((i) => i.kind === 'derived') as DerivedDefinition[];
    const denominatorPairings = await this.pairings(derived.map((d) => d.denominator));
    const inputs = derived.flatMap((d) => [d.numerator, d.denominator, ...(denominatorPairings.get(d.denominator) ?? []).map((p) => p.code)]);
    const measured = await this.measuredFigures(regions, [...new Set([...indicators, ...inputs])]);
    const result = measured.filter((f) => info.get(f.indicatorCode)?.kind === 'measured');
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

  /** Each region's newest regional total of a measured indicator, read from the latest-value table. */
  async latestMeasuredFigures(regions: string[], indicator: string): Promise<FigureRow[]> {
    const wanted = new Set(regions);
    return (await this.db.query<FigureRow[]>(LATEST_FIGURES_SQL, [indicator])).filter((f) => wanted.has(f.regionCode));
  }
}
