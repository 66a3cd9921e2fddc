import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RegionLookup } from './region-lookup.service.js';
import { ProblemException } from '../errors/problem.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import type { ListRegionsQueryDto, RegionDetailDto, RegionDto, RegionPageDto, RegionRefDto } from './region.dto.js';

const REGION_COLUMNS = `r.code, r.name_zh AS "nameZh", r.name_en AS "nameEn", r.level, r.parent_code AS "parentCode"`;

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class RegionsService {
  constructor(
    private readonly db: DataSource,
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

  /** By code, or by any name a person types (浙江, 浙江省, Zhejiang). */
  async get(codeOrName: string): Promise<RegionDetailDto> {
    const { code } = await this.lookup.resolve(codeOrName, 'code');
    const [region] = await this.db.query<(RegionDto & { observationCount: number; pilotZone: RegionDetailDto['pilotZone'] })[]>(
      `SELECT ${REGION_COLUMNS},
              (SELECT count(*) FROM observations o WHERE o.region_code = r.code) AS "observationCount",
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
