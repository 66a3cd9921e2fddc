import { Injectable } from '@nestjs/common';
import { baselineFor, figureWarnings, judgeBaseline, mergeWarnings, warningCodesOf } from '../comparability/comparability.js';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException } from '../errors/problem.js';
import { FiguresRepository, NATION } from '../figures/figures.repository.js';
import { Vocabulary } from '../figures/vocabulary.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import { PROFILE_RECORD_SQL } from './regions.sql.js';
import type { ProfilePilotZoneDto, ProfileProgramDto, RegionProfileDto } from './region-profile.dto.js';
import type { ListRegionsQueryDto, RegionDetailDto, RegionDto, RegionPageDto, RegionRefDto } from './region.dto.js';

const REGION_COLUMNS = `r.code, r.name_zh AS "nameZh", r.name_en AS "nameEn", r.level, r.parent_code AS "parentCode"`;

interface ProfileRecord {
  region: RegionDto;
  topics: { code: string; nameZh: string; nameEn: string }[];
  programs: ProfileProgramDto[];
  pilotZone: ProfilePilotZoneDto | null;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class RegionsService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly vocabulary: Vocabulary,
    private readonly figures: FiguresRepository,
  ) {}

  async list(query: ListRegionsQueryDto, url: string): Promise<RegionPageDto> {
    const { page = 1, pageSize = 50 } = query;
    const filter = `
      WHERE ($1::text IS NULL OR r.level = $1)
        AND ($2::text IS NULL OR r.parent_code = $2)
        AND ($3::text IS NULL OR r.name_zh ILIKE $3 OR r.name_en ILIKE $3 OR r.code = $4)`;
    const parent = query.parent ? (await this.vocabulary.region(query.parent, 'parent')).code : null;
    const params = [query.level ?? null, parent, query.q ? `%${escapeLike(query.q)}%` : null, query.q ?? null];
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*) AS total FROM regions r ${filter}`, params);
    const data = await this.db.query<RegionDto[]>(
      `SELECT ${REGION_COLUMNS} FROM regions r ${filter}
       ORDER BY CASE r.level WHEN 'nation' THEN 0 WHEN 'province' THEN 1 WHEN 'city' THEN 2 ELSE 3 END, r.code
       LIMIT $5 OFFSET $6`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { data, ...pageEnvelope(url, page, pageSize, total) };
  }

  /**
   * The region's newest figure per indicator by topic (derived values included), each read against
   * the national figure of its date (or the nearest, with a warning; or a comparable indicator's,
   * with the caveat), with the warnings the comparability judge gives; its institutions' own
   * figures, programs and pilot-zone record.
   */
  async profile(code: string): Promise<RegionProfileDto> {
    const [catalog, catalogue] = await Promise.all([this.vocabulary.catalog(), this.vocabulary.catalogue()]);
    const [[record], newest, derived] = await Promise.all([
      this.db.query<ProfileRecord[]>(PROFILE_RECORD_SQL, [code]),
      this.figures.newestOfRegion(code),
      this.figures.regionalFigures([code], catalog.of(undefined, 'derived'), catalog, true),
    ]);
    const own = [...newest.filter((f) => !f.reporter), ...derived];
    const withPartners = (indicator: string) => [indicator, ...catalogue.pairings(indicator).map((p) => p.code)];
    const national =
      code === NATION
        ? []
        : await this.figures.nationalFigures(
            catalog.of().filter((i) => own.some((f) => withPartners(f.indicatorCode).includes(i.code))),
            catalog,
          );
    const context = { ...catalogue, toleratedGapDays: 0 };
    const figures = own.map((figure) => {
      // The same indicator's national figure, or else a comparable one's.
      const indicator = withPartners(figure.indicatorCode).find((candidate) => national.some((n) => n.indicatorCode === candidate));
      const baseline = indicator
        ? baselineFor(
            figure,
            national.filter((n) => n.indicatorCode === indicator),
          )
        : null;
      const regional = { region: code, indicator: figure.indicatorCode, figure };
      const partner = indicator && indicator !== figure.indicatorCode ? catalogue.pairings(figure.indicatorCode).find((p) => p.code === indicator) : undefined;
      return {
        topic: catalog.get(figure.indicatorCode)!.topic,
        indicator: catalog.get(figure.indicatorCode)!,
        observation: figure.observation,
        nationalBaseline: baseline?.observation ?? null,
        baselineIndicator: partner?.code ?? null,
        baselineCaveatEn: partner?.caveatEn ?? null,
        baselineCaveatZh: partner?.caveatZh ?? null,
        warnings: mergeWarnings([
          ...figureWarnings(regional, context),
          ...(baseline ? judgeBaseline(regional, { region: NATION, indicator: baseline.indicatorCode, figure: baseline }, context) : []),
        ]),
      };
    });
    return {
      region: record.region,
      topics: record.topics
        .map((topic) => ({
          ...topic,
          figures: figures.filter((f) => f.topic === topic.code).map(({ topic: _topic, warnings, ...figure }) => ({ ...figure, warningCodes: warningCodesOf(warnings) })),
        }))
        .filter((topic) => topic.figures.length > 0),
      warnings: mergeWarnings(figures.flatMap((f) => f.warnings)),
      institutionFigures: newest.filter((f) => f.reporter).map((f) => ({ reporter: f.reporter!, indicator: catalog.get(f.indicatorCode)!, observation: f.observation })),
      programs: record.programs,
      pilotZone: record.pilotZone,
    };
  }

  /** By code, or by any name a person types (浙江, 浙江省, Zhejiang). */
  async get(code: string): Promise<RegionDetailDto> {
    const [region] = await this.db.query<(RegionDto & { observationCount: number; pilotZone: RegionDetailDto['pilotZone'] })[]>(
      `SELECT ${REGION_COLUMNS},
              (SELECT count(*) FROM published_observations o WHERE o.region_code = r.code) AS "observationCount",
              (SELECT json_build_object('nameZh', z.name_zh, 'nameEn', z.name_en, 'approvalYear', z.approval_year)
                 FROM pilot_zones z WHERE z.region_code = r.code) AS "pilotZone"
         FROM regions r WHERE r.code = $1`,
      [code],
    );
    if (!region) throw ProblemException.notFound('region', `code "${code}"`, 'List known regions at /v1/regions; codes are GB/T 2260 six-digit codes, or CN for the nation.');
    const related = await this.db.query<(RegionRefDto & { relation: 'parent' | 'child' })[]>(
      `SELECT r.code, r.name_zh AS "nameZh", r.name_en AS "nameEn", r.level, 'parent' AS relation FROM regions r WHERE r.code = $2
       UNION ALL
       SELECT r.code, r.name_zh, r.name_en, r.level, 'child' FROM regions r WHERE r.parent_code = $1
       ORDER BY relation DESC, code`,
      [code, region.parentCode],
    );
    const strip = ({ relation: _relation, ...ref }: RegionRefDto & { relation: string }): RegionRefDto => ref;
    return {
      ...region,
      parent: related.filter((r) => r.relation === 'parent').map(strip)[0] ?? null,
      children: related.filter((r) => r.relation === 'child').map(strip),
    };
  }
}
