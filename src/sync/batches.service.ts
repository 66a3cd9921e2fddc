import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '../errors/problem.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import type { BatchDetailDto, BatchPageDto, BatchSummaryDto, ListBatchesQueryDto } from './sync.dto.js';

/** What anyone may see of a batch. */
const SUMMARY = `id, origin, status, dry_run AS "dryRun", received_at AS "receivedAt", finished_at AS "finishedAt", counts`;
/** What only a key with the sync:read scope sees: who sent it, from where, and what came back (unpublished values, database errors). */
const PRIVATE = `api_key_name AS "apiKeyName", source_name AS "sourceName", error`;

@Injectable()
export class BatchesService {
  constructor(private readonly db: DataSource) {}

  async list(query: ListBatchesQueryDto, url: string, full: boolean): Promise<BatchPageDto> {
    const { page = 1, pageSize = 50 } = query;
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*) AS total FROM sync_batches`);
    const data = await this.db.query<BatchSummaryDto[]>(`SELECT ${SUMMARY}${full ? `, ${PRIVATE}` : ''} FROM sync_batches ORDER BY id DESC LIMIT $1 OFFSET $2`, [
      pageSize,
      (page - 1) * pageSize,
    ]);
    return { data, ...pageEnvelope(url, page, pageSize, total) };
  }

  async get(id: number, full: boolean): Promise<BatchDetailDto> {
    const [batch] = await this.db.query<BatchDetailDto[]>(`SELECT ${SUMMARY}${full ? `, ${PRIVATE}, response_body AS response` : ''} FROM sync_batches WHERE id = $1`, [id]);
    if (!batch) throw ProblemException.notFound('batch', `id ${id}`, 'List batches at /v1/sync/batches.');
    return batch;
  }
}
