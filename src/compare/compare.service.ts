import { Injectable } from '@nestjs/common';
import { mergeWarnings, warningCodesOf } from '../comparability/comparability.js';
import { ProblemException } from '../errors/problem.js';
import { FiguresRepository, type CitedFigure } from '../figures/figures.repository.js';
import { Vocabulary, type ResolvedRegion } from '../figures/vocabulary.js';
import { MAX_COMPARED, type CompareQueryDto, type CompareResponseDto } from './compare.dto.js';
import { buildRows } from './rows.js';

@Injectable()
export class CompareService {
  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly figures: FiguresRepository,
  ) {}

  async compare(query: CompareQueryDto): Promise<CompareResponseDto> {
    const align = query.align ?? 'latest-each';
    if (align === 'exact' && !query.asOf) {
      throw ProblemException.validation([{ location: 'query', name: 'asOf', message: 'align=exact needs asOf, the date every figure must have' }]);
    }
    const regions = await this.regions(query);
    const codes = regions.map((r) => r.code);
    const [catalog, catalogue] = await Promise.all([this.vocabulary.catalog(), this.vocabulary.catalogue()]);
    const topic = query.topic ? (await this.vocabulary.topic(query.topic, 'topic')).code : undefined;
    // Named indicators (of the topic, when both are given), or every indicator of the topic, derived ones included.
    const listed = query.indicators ? (await this.vocabulary.indicators(query.indicators, 'indicators')).filter((i) => !topic || i.topic === topic) : catalog.of(topic);
    const partners = catalog.info([...new Set(listed.flatMap((i) => catalog.pairings(i.code)).map((p) => p.code))].filter((code) => !listed.some((i) => i.code === code)));
    // Each region's newest figure comes from the newest-figure table when no other moment is asked for.
    const figures = await this.figures.regionalFigures(codes, [...listed, ...partners.values()], catalog, align === 'latest-each' && !query.asOf);
    const withFigures = new Set(figures.map((f) => f.indicatorCode));
    // Without a list, only indicators some region has a figure of (or can pair one into) are shown.
    const requested = query.indicators ? listed : listed.filter((i) => withFigures.has(i.code) || catalog.pairings(i.code).some((p) => withFigures.has(p.code)));
    const rows = buildRows({ regions: codes, indicators: requested.map((i) => i.code), catalog: catalogue, figures, mode: align, asOf: query.asOf });
    return {
      align,
      asOf: query.asOf ?? null,
      regions,
      rows: rows.map((row) => ({
        indicator: catalog.get(row.indicator)!,
        pairedWith: row.pairedWith,
        cells: row.cells.map((cell) => ({
          region: cell.region,
          indicator: cell.indicator,
          observation: cell.figure ? (cell.figure as CitedFigure).observation : null,
          rank: cell.rank,
          share: cell.share,
        })),
        summary: row.summary,
        warningCodes: warningCodesOf(row.warnings),
      })),
      warnings: mergeWarnings(rows.flatMap((row) => row.warnings)),
    };
  }

  private async regions(query: CompareQueryDto): Promise<ResolvedRegion[]> {
    if (!query.regions?.length && !query.regionSet) {
      throw ProblemException.validation([{ location: 'query', name: 'regions', message: 'give regions (codes or names, comma-separated) or regionSet (see /v1/region-sets)' }]);
    }
    const named = query.regions?.length ? await this.vocabulary.regions(query.regions, 'regions') : [];
    const fromSet = query.regionSet ? (await this.vocabulary.regionSet(query.regionSet, 'regionSet')).regions.map((r) => ({ ...r, input: query.regionSet! })) : [];
    const all = [...named, ...fromSet.filter((r) => !named.some((n) => n.code === r.code))];
    if (all.length > MAX_COMPARED) {
      throw ProblemException.validation([{ location: 'query', name: 'regions', message: `at most ${MAX_COMPARED} regions can be compared; got ${all.length}` }]);
    }
    return all;
  }
}
