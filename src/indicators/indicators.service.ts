import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { Vocabulary } from '../figures/vocabulary.js';
import { ProblemException } from '../errors/problem.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import type { IndicatorDto, IndicatorPageDto, ListIndicatorsQueryDto, TopicListDto } from './indicator.dto.js';

const INDICATOR_SELECT = `
  SELECT i.code, i.name_zh AS "nameZh", i.name_en AS "nameEn", i.topic, i.unit, i.measure_type AS "measureType",
         i.definition_zh AS "definitionZh", i.definition_en AS "definitionEn", i.kind,
         CASE WHEN i.kind = 'derived' THEN json_build_object(
           'numerator', i.numerator_code, 'denominator', i.denominator_code,
           'expression', i.numerator_code || ' / ' || i.denominator_code || CASE WHEN i.unit = 'percent' THEN ' × 100' ELSE '' END)
         END AS formula,
         COALESCE((
           SELECT json_agg(json_build_object('code', other.code, 'nameZh', other.name_zh, 'nameEn', other.name_en,
                                             'caveatEn', c.caveat_en, 'caveatZh', c.caveat_zh) ORDER BY other.code)
             FROM indicator_comparisons c
             JOIN indicators other ON other.code = CASE WHEN c.indicator_code = i.code THEN c.comparable_code ELSE c.indicator_code END
            WHERE i.code IN (c.indicator_code, c.comparable_code)
         ), '[]') AS "comparableWith",
         (SELECT count(*) FROM published_observations o WHERE o.indicator_code = i.code) AS "observationCount",
         (SELECT count(DISTINCT o.region_code) FROM published_observations o WHERE o.indicator_code = i.code) AS "regionCount"
    FROM indicators i`;

@Injectable()
export class IndicatorsService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly vocabulary: Vocabulary,
  ) {}

  async list(query: ListIndicatorsQueryDto, url: string): Promise<IndicatorPageDto> {
    const { page = 1, pageSize = 50 } = query;
    const filter = `WHERE ($1::text IS NULL OR i.topic = $1)`;
    const topic = query.topic ? (await this.vocabulary.topic(query.topic, 'topic')).code : null;
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*) AS total FROM indicators i ${filter}`, [topic]);
    const data = await this.db.query<IndicatorDto[]>(`${INDICATOR_SELECT} ${filter} ORDER BY i.topic, i.code LIMIT $2 OFFSET $3`, [topic, pageSize, (page - 1) * pageSize]);
    return { data, ...pageEnvelope(url, page, pageSize, total) };
  }

  async get(code: string): Promise<IndicatorDto> {
    const [indicator] = await this.db.query<IndicatorDto[]>(`${INDICATOR_SELECT} WHERE i.code = $1`, [code]);
    if (!indicator) throw ProblemException.notFound('indicator', `code "${code}"`, 'List indicator codes at /v1/indicators.');
    return indicator;
  }

  async topics(): Promise<TopicListDto> {
    const data = await this.db.query<TopicListDto['data']>(
      `SELECT t.code, t.name_zh AS "nameZh", t.name_en AS "nameEn",
              (SELECT count(*) FROM indicators i WHERE i.topic = t.code) AS "indicatorCount"
         FROM topics t ORDER BY t.code`,
    );
    return { data };
  }
}
