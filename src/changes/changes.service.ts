import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import type { ChangePageDto, ChangesQueryDto } from './change.dto.js';

@Injectable()
export class ChangesService {
  constructor(private readonly db: ReadDatabase) {}

  /**
   * Changes after the cursor, in commit order. Writers hold the sync lock while they write, so
   * sequence numbers become visible in order and a poller never skips or repeats one.
   */
  async list(query: ChangesQueryDto): Promise<ChangePageDto> {
    const since = query.since ?? '0';
    const limit = query.limit ?? 500;
    const rows = await this.db.query<(ChangePageDto['data'][number] & { seq: number })[]>(
      `SELECT c.seq, c.kind, c.observation_id AS "observationId", r.region_code AS region, r.indicator_code AS indicator, r.reporter,
              c.batch_id AS "batchId", c.changed_at AS "changedAt",
              json_build_object('id', r.id, 'validFrom', r.valid_from, 'validTo', r.valid_to, 'retracted', r.retracted, 'batchId', r.batch_id, 'batchOrigin', b.origin,
                                'asOf', r.as_of, 'asOfPrecision', r.as_of_precision, 'asOfInferred', r.as_of_inferred, 'periodStart', r.period_start,
                                'value', r.value, 'unit', i.unit, 'valuePrinted', r.value_printed, 'unitPrinted', r.unit_printed, 'qualifier', r.qualifier,
                                'sourceId', r.source_id, 'quote', r.quote, 'note', r.note) AS revision
         FROM observation_changes c JOIN observation_revisions r ON r.id = c.revision_id JOIN indicators i ON i.code = r.indicator_code
              LEFT JOIN sync_batches b ON b.id = r.batch_id
        WHERE c.seq > $1::bigint ORDER BY c.seq LIMIT $2`,
      [since, limit + 1],
    );
    const data = rows.slice(0, limit);
    return { data, nextCursor: data.length ? String(data.at(-1)!.seq) : since, hasMore: rows.length > limit };
  }
}
