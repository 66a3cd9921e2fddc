import { Injectable } from '@nestjs/common';
import { baselineFor, competitionRanks, judgeBaseline, judgeRanking, mergeWarnings, orderOf, type Figure, type Placed } from '../comparability/comparability.js';
import { pick } from '../compare/rows.js';
import { figureOf, FiguresRepository, type CitedFigure, type RankedPage, type RankingFilter } from '../figures/figures.repository.js';
import type { IndicatorCatalog, IndicatorInfo } from '../figures/indicator-catalog.js';
import { Vocabulary } from '../figures/vocabulary.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import type { RankingDto, RankingQueryDto } from './ranking.dto.js';

/** A page of a ranking with what its warnings need: the ranked cells of a derived indicator (their denominators), and the figure the baseline is read against. */
type Ranked = Omit<RankedPage, 'newest'> & { derived: CitedFigure[]; newest: CitedFigure | null };

@Injectable()
export class RankingsService {
  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly figures: FiguresRepository,
  ) {}

  async rank(indicatorCode: string, query: RankingQueryDto, url: string): Promise<RankingDto> {
    const { page = 1, pageSize = 50 } = query;
    const [catalog, catalogue] = await Promise.all([this.vocabulary.catalog(), this.vocabulary.catalogue()]);
    const info = catalog.get(indicatorCode)!;
    const filter: RankingFilter = {
      parent: query.parent ? (await this.vocabulary.region(query.parent, 'parent')).code : null,
      members: query.regionSet ? (await this.vocabulary.regionSet(query.regionSet, 'regionSet')).regions.map((r) => r.code) : null,
      level: query.level ?? null,
    };
    const skip = (page - 1) * pageSize;
    // A measured indicator's newest figures are ranked in Postgres from the newest-figure table; a
    // figure as of a past date, or a derived one, is chosen from the history as compare chooses it.
    const [ranked, national] = await Promise.all([
      info.kind === 'measured' && !query.asOf ? this.fromNewest(info, filter, skip, pageSize) : this.fromHistory(info, catalog, filter, query.asOf, skip, pageSize),
      query.level === 'nation' ? [] : this.figures.nationalFigures([info], catalog),
    ]);
    // The national figure of the ranking's date when there is one; else the nearest, and a warning.
    const eligible = national.filter((f) => !query.asOf || f.asOf <= query.asOf);
    const baseline = ranked.newest ? baselineFor(ranked.newest, eligible) : (pick(eligible, 'latest-each', query.asOf) ?? null);
    const context = { ...catalogue, toleratedGapDays: 0 };
    const cell = (figure: Figure & { regionCode: string }): Placed => ({ region: figure.regionCode, indicator: figure.indicatorCode, figure });
    const warnings = judgeRanking(ranked.flagged.map(cell), ranked.dates, ranked.derived.map(cell), context);
    if (baseline && ranked.newest) warnings.push(...judgeBaseline(cell(ranked.newest), cell(baseline), context));
    return {
      indicator: info,
      asOf: query.asOf ?? null,
      entries: ranked.entries,
      nationalBaseline: baseline?.observation ?? null,
      warnings: mergeWarnings(warnings),
      ...pageEnvelope(url, page, pageSize, ranked.total),
    };
  }

  private async fromNewest(info: IndicatorInfo, filter: RankingFilter, skip: number, pageSize: number): Promise<Ranked> {
    const indicator = info.code;
    const ranked = await this.figures.ranking(indicator, orderOf(info), filter, skip, pageSize);
    // The baseline is read against the ranking's highest placed figure of its newest date, whichever page is shown.
    return { ...ranked, derived: [], newest: ranked.newest ? figureOf(ranked.newest.regionCode, indicator, ranked.newest.observation) : null };
  }

  private async fromHistory(info: IndicatorInfo, catalog: IndicatorCatalog, filter: RankingFilter, asOf: string | undefined, skip: number, pageSize: number): Promise<Ranked> {
    const regionOf = new Map((await this.figures.rankedRegions(filter)).map((r) => [r.code, r]));
    const figures = await this.figures.regionalFigures([...regionOf.keys()], [info], catalog);
    const byRegion = new Map<string, CitedFigure[]>();
    for (const figure of figures) byRegion.set(figure.regionCode, [...(byRegion.get(figure.regionCode) ?? []), figure]);
    // Ties in value go by region code, as the SQL ranking orders them; ranks run lowest first.
    const order = orderOf(info);
    const ranked = [...regionOf.keys()]
      .map((code) => pick(byRegion.get(code) ?? [], 'latest-each', asOf))
      .filter((f): f is CitedFigure => f !== null)
      .sort((a, b) => order * (b.value - a.value) || (a.regionCode < b.regionCode ? -1 : a.regionCode > b.regionCode ? 1 : 0));
    const ranks = competitionRanks(ranked.map((r) => order * r.value));
    const dates = [...new Set(ranked.map((r) => r.asOf))].sort();
    return {
      total: ranked.length,
      entries: ranked.slice(skip, skip + pageSize).map((f, i) => ({ rank: ranks[skip + i], region: regionOf.get(f.regionCode)!, observation: f.observation })),
      dates,
      flagged: ranked.filter((f) => f.qualifier !== 'exact' || f.asOfInferred || f.asOf !== dates.at(-1)),
      derived: info.kind === 'derived' ? ranked : [],
      newest: ranked.find((f) => f.asOf === dates.at(-1)) ?? null,
    };
  }
}
