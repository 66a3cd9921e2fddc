import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException } from '../errors/problem.js';
import { CompareService } from '../compare/compare.service.js';
import { Vocabulary } from '../figures/vocabulary.js';
import type { PilotZoneComparisonDto, PilotZoneDto, PilotZoneListDto } from './pilot-zone.dto.js';

const PILOT_ZONE_SELECT = `
  SELECT z.region_code AS "regionCode",
         json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level) AS region,
         z.name_zh AS "nameZh", z.name_en AS "nameEn", z.approval_year AS "approvalYear", z.batch,
         z.plan_document AS "planDocument",
         json_build_object('id', s.id, 'fileName', s.file_name) AS source, z.quote, z.note,
         COALESCE((SELECT json_agg(json_build_object('textZh', d.text_zh, 'textEn', d.text_en,
                                                     'source', json_build_object('id', ds.id, 'fileName', ds.file_name),
                                                     'quote', d.quote) ORDER BY d.id)
                     FROM pilot_zone_distinctions d JOIN sources ds ON ds.id = d.source_id
                    WHERE d.region_code = z.region_code), '[]') AS distinctions,
         COALESCE((SELECT json_agg(json_build_object('id', p.id, 'nameZh', p.name_zh, 'nameEn', p.name_en) ORDER BY p.id)
                     FROM programs p WHERE p.region_code = z.region_code), '[]') AS programs,
         (SELECT count(*) FROM published_observations o WHERE o.region_code = z.region_code) AS "observationCount"
    FROM pilot_zones z
    JOIN regions r ON r.code = z.region_code
    JOIN sources s ON s.id = z.source_id`;

@Injectable()
export class PilotZonesService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly vocabulary: Vocabulary,
    private readonly comparisons: CompareService,
  ) {}

  /** The zones side by side: their records, then every indicator any of them has, compared like regions. */
  async compare(zones: string[] | undefined): Promise<PilotZoneComparisonDto> {
    const all = (await this.list()).data;
    const codes = zones?.length ? (await this.vocabulary.regions(zones, 'zones')).map((r) => r.code) : all.map((z) => z.regionCode);
    const notZones = codes.filter((code) => !all.some((z) => z.regionCode === code));
    if (notZones.length) {
      // A region that is not a zone is a query value naming nothing: 400, with the zones there are.
      throw ProblemException.validation([
        {
          location: 'query',
          name: 'zones',
          message: `${notZones.join(', ')} ${notZones.length === 1 ? 'is not a pilot zone' : 'are not pilot zones'}; the zones are ${all.map((z) => `${z.regionCode} ${z.region.nameZh}`).join(', ')}`,
        },
      ]);
    }
    const comparison = await this.comparisons.compare({ regions: codes });
    return { zones: codes.map((code) => all.find((z) => z.regionCode === code)!), comparison };
  }

  async list(): Promise<PilotZoneListDto> {
    return { data: await this.db.query<PilotZoneDto[]>(`${PILOT_ZONE_SELECT} ORDER BY z.batch, z.approval_year, z.region_code`) };
  }

  /** By its region's code (a name in the path is resolved to it before). */
  async get(regionCode: string): Promise<PilotZoneDto> {
    const [zone] = await this.db.query<PilotZoneDto[]>(`${PILOT_ZONE_SELECT} WHERE z.region_code = $1`, [regionCode]);
    if (!zone) {
      throw ProblemException.notFound('pilot zone', `region code "${regionCode}"`, 'The seven sci-tech finance reform pilot zones are listed at /v1/pilot-zones.');
    }
    return zone;
  }
}
