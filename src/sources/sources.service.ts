import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException } from '../errors/problem.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import type { ListSourcesQueryDto, SourceDto, SourcePageDto } from './source.dto.js';

const SOURCE_SELECT = `
  SELECT s.id, s.file_name AS "fileName", s.headline, s.publisher, s.published_on AS "publishedOn",
         s.published_precision AS "publishedPrecision", s.published_inferred AS "publishedInferred", s.note,
         (SELECT count(*) FROM published_observations o WHERE o.source_id = s.id) AS "observationCount"
    FROM sources s`;

@Injectable()
export class SourcesService {
  constructor(private readonly db: ReadDatabase) {}

  async list(query: ListSourcesQueryDto, url: string): Promise<SourcePageDto> {
    const { page = 1, pageSize = 50 } = query;
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*) AS total FROM sources`);
    const data = await this.db.query<SourceDto[]>(`${SOURCE_SELECT} ORDER BY s.id LIMIT $1 OFFSET $2`, [pageSize, (page - 1) * pageSize]);
    return { data, ...pageEnvelope(url, page, pageSize, total) };
  }

  async get(id: string): Promise<SourceDto> {
    const [source] = await this.db.query<SourceDto[]>(`${SOURCE_SELECT} WHERE s.id = $1 OR s.file_name = $1`, [id]);
    if (!source) throw ProblemException.notFound('source', `id "${id}"`, 'List the source documents at /v1/sources.');
    return source;
  }
}
