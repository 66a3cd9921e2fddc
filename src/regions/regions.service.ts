import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import type { CellObservationDto } from '../compare/compare.dto.js';
import { COMPARABLE_PAIRS_JSON } from '../compare/compare.service.js';
import type { IndicatorRefDto } from '../indicators/indicator.dto.js';
import { CELL_OBSERVATION_JSON, LATEST_AS_OBSERVATIONS } from '../observations/observations.service.js';
import { RegionLookup } from './region-lookup.service.js';
import type { ProfileFigureDto, ProfilePilotZoneDto, ProfileProgramDto, RegionProfileDto } from './region-profile.dto.js';
import { ProblemException } from '../errors/problem.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import type { ListRegionsQueryDto, RegionDetailDto, RegionDto, RegionPageDto, RegionRefDto } from './region.dto.js';

const REGION_COLUMNS = `r.code, r.name_zh AS "nameZh", r.name_en AS "nameEn", r.level, r.parent_code AS "parentCode"`;

/**
 * Everything a profile shows, in one statement: the region ($1), the newest figure of each of its
 * series and of the nation's (from the latest-value table, citations included), the comparable-indicator pairs, topics,
 * programmes and pilot-zone record. No row: $1 is not a region code.
 */
export const PROFILE_SQL = `
  SELECT json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level, 'parentCode', r.parent_code) AS region,
         COALESCE((
           SELECT json_agg(json_build_object(
                    'regionCode', o.region_code, 'indicatorCode', o.indicator_code, 'reporter', o.reporter,
                    'indicator', json_build_object('code', i.code, 'nameZh', i.name_zh, 'nameEn', i.name_en, 'topic', i.topic, 'unit', i.unit, 'measureType', i.measure_type),
                    'observation', ${CELL_OBSERVATION_JSON}) ORDER BY o.indicator_code, o.reporter)
             FROM ${LATEST_AS_OBSERVATIONS} o
             JOIN indicators i ON i.code = o.indicator_code JOIN sources s ON s.id = o.source_id
            WHERE o.region_code IN (r.code, 'CN')), '[]') AS latest,
         ${COMPARABLE_PAIRS_JSON} AS comparable,
         (SELECT json_agg(json_build_object('code', t.code, 'nameZh', t.name_zh, 'nameEn', t.name_en) ORDER BY t.code) FROM topics t) AS topics,
         COALESCE((SELECT json_agg(json_build_object('id', p.id, 'nameZh', p.name_zh, 'nameEn', p.name_en, 'kind', p.kind) ORDER BY p.id)
                     FROM programs p WHERE p.region_code = r.code), '[]') AS programs,
         (SELECT json_build_object('nameZh', z.name_zh, 'nameEn', z.name_en, 'approvalYear', z.approval_year, 'batch', z.batch, 'planDocument', z.plan_document,
                   'distinctions', COALESCE((SELECT json_agg(json_build_object('textZh', d.text_zh, 'textEn', d.text_en, 'quote', d.quote) ORDER BY d.id)
                                               FROM pilot_zone_distinctions d WHERE d.region_code = z.region_code), '[]'))
            FROM pilot_zones z WHERE z.region_code = r.code) AS "pilotZone"
    FROM regions r WHERE r.code = $1`;

interface ProfileRow {
  region: RegionDto;
  latest: { regionCode: string; indicatorCode: string; reporter: string | null; indicator: IndicatorRefDto; observation: CellObservationDto }[];
  comparable: { of: string; code: string; caveatEn: string; caveatZh: string }[];
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
    private readonly lookup: RegionLookup,
  ) {}

  async list(query: ListRegionsQueryDto, url: string): Promise<RegionPageDto> {
    const { page = 1, pageSize = 50 } = query;
    const filter = `
      WHERE ($1::text IS NULL OR r.level = $1)
        AND ($2::text IS NULL OR r.parent_code = $2)
        AND ($3::text IS NULL OR r.name_zh ILIKE $3 OR r.name_en ILIKE $3 OR r.code = $4)`;
    const params = [query.level ?? null, query.parent ?? null, query.q ? `%${escapeLike(query.q)}%` : null, query.q ?? null];
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*) AS total FROM regions r ${filter}`, params);
    const data = await this.db.query<RegionDto[]>(
      `SELECT ${REGION_COLUMNS} FROM regions r ${filter}
       ORDER BY CASE r.level WHEN 'nation' THEN 0 WHEN 'province' THEN 1 WHEN 'city' THEN 2 ELSE 3 END, r.code
       LIMIT $5 OFFSET $6`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { data, ...pageEnvelope(url, page, pageSize, total) };
  }

  /** The region's newest figure per indicator by topic, with national baselines, programs and pilot-zone record. */
  async profile(codeOrName: string): Promise<RegionProfileDto> {
    // A code, the common case, is one statement; a name is resolved first.
    let [row] = await this.db.query<ProfileRow[]>(PROFILE_SQL, [codeOrName]);
    if (!row) [row] = await this.db.query<ProfileRow[]>(PROFILE_SQL, [(await this.lookup.resolve(codeOrName, 'code')).code]);
    const { region, latest, comparable } = row;
    const code = region.code;
    const own = latest.filter((l) => l.regionCode === code);
    const national = new Map(latest.filter((l) => l.regionCode === 'CN' && !l.reporter).map((l) => [l.indicatorCode, l.observation]));
    const figures: (ProfileFigureDto & { topic: string })[] = own
      .filter((l) => !l.reporter)
      .map((l) => {
        const same = code === 'CN' ? null : national.get(l.indicatorCode);
        const partner = same || code === 'CN' ? undefined : comparable.find((c) => c.of === l.indicatorCode && national.has(c.code));
        return {
          topic: l.indicator.topic,
          indicator: l.indicator,
          observation: l.observation,
          nationalBaseline: same ?? (partner ? national.get(partner.code)! : null),
          baselineIndicator: partner?.code ?? null,
          baselineCaveatEn: partner?.caveatEn ?? null,
          baselineCaveatZh: partner?.caveatZh ?? null,
        };
      });
    return {
      region,
      topics: row.topics
        .map((topic) => ({ ...topic, figures: figures.filter((f) => f.topic === topic.code).map(({ topic: _topic, ...figure }) => figure) }))
        .filter((topic) => topic.figures.length > 0),
      institutionFigures: own.filter((l) => l.reporter).map((l) => ({ reporter: l.reporter!, indicator: l.indicator, observation: l.observation })),
      programs: row.programs,
      pilotZone: row.pilotZone,
    };
  }

  /** By code, or by any name a person types (浙江, 浙江省, Zhejiang). */
  async get(codeOrName: string): Promise<RegionDetailDto> {
    const { code } = await this.lookup.resolve(codeOrName, 'code');
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
