import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException, PROBLEM_TYPES, type FieldProblem } from '../errors/problem.js';
import { pageEnvelope, withQuery } from '../http/pagination.dto.js';
import { decodeCursor, encodeCursor, type Position } from './observation-cursor.js';
import type { ListObservationsQueryDto, ObservationDto, ObservationPageDto, RevisionDto, RevisionListDto } from './observation.dto.js';

/** Sort keys map to fixed SQL (column, its type, and where a row of the answer holds it); user input only ever selects among them. */
const SORT_COLUMNS: Record<string, { column: string; type: string; of: (row: ObservationDto) => string | number }> = {
  asOf: { column: 'o.as_of', type: 'date', of: (row) => row.asOf },
  value: { column: 'o.value', type: 'numeric', of: (row) => row.value },
  region: { column: 'o.region_code', type: 'text', of: (row) => row.region.code },
  indicator: { column: 'o.indicator_code', type: 'text', of: (row) => row.indicator.code },
  id: { column: 'o.id', type: 'bigint', of: (row) => row.id },
};
const DEFAULT_SORT = ['region', 'indicator', '-asOf'];

/**
 * The observations as they stood at a moment (the SQL parameter named), from the revision history:
 * the same columns as published_observations, so every read can be asked about the past.
 */
export function observationsAt(param: string): string {
  return `(SELECT r.observation_id AS id, r.region_code, r.indicator_code, r.as_of, r.as_of_precision, r.as_of_inferred, r.period_start,
                  r.value, r.value_printed, r.unit_printed, r.qualifier, r.reporter, r.program_id, r.source_id, r.quote, r.note,
                  r.created_at, r.valid_from AS updated_at, NULL::timestamptz AS retracted_at
             FROM observation_revisions r
            WHERE r.valid_from <= ${param}::timestamptz AND (r.valid_to IS NULL OR r.valid_to > ${param}::timestamptz) AND NOT r.retracted)`;
}

/** The compact form of a figure used in comparisons, rankings and profiles (aliases o, i, s). */
export const CELL_OBSERVATION_JSON = `json_build_object(
  'id', o.id, 'value', o.value, 'unit', i.unit, 'valuePrinted', o.value_printed, 'unitPrinted', o.unit_printed,
  'qualifier', o.qualifier, 'asOf', o.as_of, 'asOfPrecision', o.as_of_precision, 'asOfInferred', o.as_of_inferred,
  'periodStart', o.period_start, 'source', json_build_object('id', s.id, 'fileName', s.file_name), 'quote', o.quote)`;

export const OBSERVATION_SELECT = `
  SELECT o.id,
         json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level) AS region,
         json_build_object('code', i.code, 'nameZh', i.name_zh, 'nameEn', i.name_en, 'topic', i.topic,
                           'unit', i.unit, 'measureType', i.measure_type) AS indicator,
         o.as_of AS "asOf", o.as_of_precision AS "asOfPrecision", o.as_of_inferred AS "asOfInferred",
         o.period_start AS "periodStart", o.value, i.unit,
         o.value_printed AS "valuePrinted", o.unit_printed AS "unitPrinted", o.qualifier,
         CASE WHEN o.reporter IS NULL THEN 'region' WHEN o.program_id IS NOT NULL THEN 'program' ELSE 'institution' END AS scope,
         o.reporter,
         CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object('id', p.id, 'nameZh', p.name_zh, 'nameEn', p.name_en) END AS program,
         json_build_object('id', s.id, 'fileName', s.file_name, 'publisher', s.publisher,
                           'publishedOn', s.published_on, 'publishedInferred', s.published_inferred) AS source,
         o.quote, o.note, o.created_at AS "createdAt", o.updated_at AS "updatedAt"
    FROM published_observations o
    JOIN regions r ON r.code = o.region_code
    JOIN indicators i ON i.code = o.indicator_code
    JOIN sources s ON s.id = o.source_id
    LEFT JOIN programs p ON p.id = o.program_id`;

/**
 * The SQL of one listing: `count` (with `params`) for the total, and `page` (with `pageParams`, then
 * LIMIT and OFFSET) for the rows, starting after `position` when paging by cursor.
 */
export function listingSql(query: ListObservationsQueryDto, sortKeys: string[], position?: Position) {
  const params: unknown[] = [query.region ?? null, query.indicator ?? null, query.topic ?? null, query.source ?? null, query.from ?? null, query.to ?? null, query.updatedSince ?? null, query.vintage ?? null];
  // The newest figure of each series comes from the latest-value table unless the question is about
  // another moment (vintage), a cut-off date (to) or recent changes (updatedSince); the region and
  // indicator filters are repeated on it, where its indexes can use them.
  const fromLatestTable = query.latest && !query.vintage && !query.to && !query.updatedSince;
  const source = query.vintage
    ? observationsAt('$8')
    : fromLatestTable
      ? `(SELECT o.* FROM latest_observations l JOIN published_observations o ON o.id = l.observation_id
           WHERE $8::timestamptz IS NULL AND ($1::text[] IS NULL OR l.region_code = ANY ($1)) AND ($2::text[] IS NULL OR l.indicator_code = ANY ($2)))`
      : '(SELECT * FROM published_observations WHERE $8::timestamptz IS NULL)';
  const filtered = `
    SELECT o.* FROM ${source} o JOIN indicators i ON i.code = o.indicator_code
     WHERE ($1::text[] IS NULL OR o.region_code = ANY ($1))
       AND ($2::text[] IS NULL OR o.indicator_code = ANY ($2))
       AND ($3::text IS NULL OR i.topic = $3)
       AND ($4::text IS NULL OR o.source_id = $4)
       AND ($5::date IS NULL OR o.as_of >= $5)
       AND ($6::date IS NULL OR o.as_of <= $6)
       AND ($7::timestamptz IS NULL OR o.updated_at >= $7)`;
  // DISTINCT ON keeps the newest row per series: region, indicator and whose figure it is.
  const matching =
    query.latest && !fromLatestTable
      ? `SELECT DISTINCT ON (o.region_code, o.indicator_code, o.reporter) o.* FROM (${filtered}) o
          ORDER BY o.region_code, o.indicator_code, o.reporter, o.as_of DESC`
      : filtered;

  // The id breaks ties, so the order is total and a keyset position is exact.
  const keys = [...sortKeys, 'id'].map((key) => ({ ...SORT_COLUMNS[key.replace(/^-/, '')], descending: key.startsWith('-') }));
  const orderBy = keys.map((k) => `${k.column} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  let after = '';
  const pageParams = [...params];
  if (position) {
    const at = (i: number) => `$${params.length + i + 1}::${keys[i].type}`;
    const beyond = keys.map((k, i) => [...keys.slice(0, i).map((p, j) => `${p.column} = ${at(j)}`), `${k.column} ${k.descending ? '<' : '>'} ${at(i)}`].join(' AND '));
    // The first key's bound is implied by the rest; stated alone it lets an index start at the position.
    after = `WHERE ${keys[0].column} ${keys[0].descending ? '<=' : '>='} ${at(0)} AND ((${beyond.join(') OR (')}))`;
    pageParams.push(...position.after.map(String));
  }
  return {
    count: `SELECT count(*) AS total FROM (${matching}) m`,
    params,
    page: `WITH m AS (${matching})
      ${OBSERVATION_SELECT.replace('FROM published_observations o', 'FROM m o')}
      ${after}
      ORDER BY ${orderBy} LIMIT $${pageParams.length + 1} OFFSET $${pageParams.length + 2}`,
    pageParams,
    keys,
  };
}

@Injectable()
export class ObservationsService {
  constructor(private readonly db: ReadDatabase) {}

  async list(query: ListObservationsQueryDto, url: string): Promise<ObservationPageDto> {
    const pageSize = query.pageSize ?? 50;
    await this.assertKnown(query);
    const sortKeys = query.sort ?? DEFAULT_SORT;
    const position = query.cursor ? decodeCursor(query.cursor, sortKeys.join(',')) : undefined;
    const page = position?.page ?? query.page ?? 1;
    const listing = listingSql(query, sortKeys, position);
    const total = position?.total ?? (await this.db.query<{ total: number }[]>(listing.count, listing.params))[0].total;
    const rows = await this.db.query<ObservationDto[]>(listing.page, [...listing.pageParams, pageSize + 1, position ? 0 : (page - 1) * pageSize]);
    const data = rows.slice(0, pageSize);
    const envelope = pageEnvelope(url, page, pageSize, total);
    if (position) envelope.links.self = url;
    // links.next continues from the last row served, whatever the depth; null when nothing follows.
    const last = data.at(-1);
    envelope.links.next =
      rows.length > pageSize && last
        ? withQuery(url, { page: null, cursor: encodeCursor({ sort: sortKeys.join(','), after: listing.keys.map((k) => k.of(last)), page: page + 1, total }) })
        : null;
    return { data, ...envelope };
  }

  /** One figure as it stands, or as it stood at `vintage`. A retracted figure is 410 Gone, its history still readable. */
  async get(id: number, vintage?: string): Promise<ObservationDto> {
    const source = vintage ? observationsAt('$2') : 'published_observations';
    const [observation] = await this.db.query<ObservationDto[]>(`${OBSERVATION_SELECT.replace('FROM published_observations o', `FROM ${source} o`)} WHERE o.id = $1`, vintage ? [id, vintage] : [id]);
    if (observation) return observation;
    const [retracted] = await this.db.query<{ retractedAt: Date }[]>(`SELECT retracted_at AS "retractedAt" FROM observations WHERE id = $1 AND retracted_at IS NOT NULL`, [id]);
    if (retracted && !vintage) {
      throw new ProblemException({
        type: PROBLEM_TYPES.gone,
        title: 'Gone',
        status: 410,
        detail: `Observation ${id} was retracted at ${retracted.retractedAt.toISOString()}; its history is at /v1/observations/${id}/revisions.`,
      });
    }
    throw ProblemException.notFound('observation', `id ${id}${vintage ? ` at vintage ${vintage}` : ''}`, 'Find observation ids with /v1/observations.');
  }

  /** Every value the figure has had, oldest first, with when and by which batch. */
  async revisions(id: number): Promise<RevisionListDto> {
    const data = await this.db.query<RevisionDto[]>(
      `SELECT r.id, r.valid_from AS "validFrom", r.valid_to AS "validTo", r.retracted, r.batch_id AS "batchId", b.origin AS "batchOrigin",
              r.as_of AS "asOf", r.as_of_precision AS "asOfPrecision", r.as_of_inferred AS "asOfInferred", r.period_start AS "periodStart",
              r.value, r.value_printed AS "valuePrinted", r.unit_printed AS "unitPrinted", r.qualifier, r.source_id AS "sourceId", r.quote, r.note
         FROM observation_revisions r LEFT JOIN sync_batches b ON b.id = r.batch_id
        WHERE r.observation_id = $1 ORDER BY r.valid_from, r.id`,
      [id],
    );
    if (!data.length) throw ProblemException.notFound('observation', `id ${id}`, 'Find observation ids with /v1/observations.');
    return { observationId: id, data };
  }

  /** Unknown codes in filters are reported by name rather than silently matching nothing. */
  private async assertKnown(query: ListObservationsQueryDto): Promise<void> {
    if (query.from && query.to && query.from > query.to) {
      throw ProblemException.validation([{ location: 'query', name: 'from', message: `from (${query.from}) is after to (${query.to})` }]);
    }
    if (!query.region?.length && !query.indicator?.length && !query.topic && !query.source) return;
    const [unknown] = await this.db.query<{ regions: string[]; indicators: string[]; topic: boolean; source: boolean }[]>(
      `SELECT ARRAY(SELECT c FROM unnest($1::text[]) c WHERE NOT EXISTS (SELECT 1 FROM regions WHERE code = c)) AS regions,
              ARRAY(SELECT c FROM unnest($2::text[]) c WHERE NOT EXISTS (SELECT 1 FROM indicators WHERE code = c)) AS indicators,
              ($3::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM topics WHERE code = $3)) AS topic,
              ($4::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources WHERE id = $4)) AS source`,
      [query.region ?? [], query.indicator ?? [], query.topic ?? null, query.source ?? null],
    );
    const errors: FieldProblem[] = [];
    if (unknown.regions.length) errors.push({ location: 'query', name: 'region', message: `unknown region code(s): ${unknown.regions.join(', ')}; see /v1/regions` });
    if (unknown.indicators.length) errors.push({ location: 'query', name: 'indicator', message: `unknown indicator code(s): ${unknown.indicators.join(', ')}; see /v1/indicators` });
    if (unknown.topic) errors.push({ location: 'query', name: 'topic', message: `unknown topic "${query.topic}"; see /v1/topics` });
    if (unknown.source) errors.push({ location: 'query', name: 'source', message: `unknown source "${query.source}"; see /v1/sources` });
    if (errors.length) throw ProblemException.validation(errors);
  }
}
