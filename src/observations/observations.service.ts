import { Injectable } from '@nestjs/common';
import { DataVersion, KeptPerVersion } from '../database/data-version.js';
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

/**
 * The newest-figure table in the shape of an observation row (alias it o, as CELL_OBSERVATION_JSON
 * reads it): a series' newest figure with its citation, without visiting the observation itself.
 */
export const LATEST_AS_OBSERVATIONS = `(SELECT observation_id AS id, region_code, indicator_code, reporter, as_of, as_of_precision, as_of_inferred,
                                               period_start, value, value_printed, unit_printed, qualifier, source_id, quote
                                          FROM latest_observations)`;

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

/** The columns of published_observations, in order, for reading the same shape from the latest-value table. */
const FROM_LATEST_TABLE = `SELECT l.observation_id AS id, l.region_code, l.indicator_code, l.as_of, o.as_of_precision, o.as_of_inferred, o.period_start,
         o.value, o.value_printed, o.unit_printed, o.qualifier, l.reporter, o.program_id, o.source_id, o.quote, o.note, o.created_at, o.updated_at, o.retracted_at
    FROM latest_observations l JOIN observations o ON o.id = l.observation_id`;

/**
 * The SQL of one listing: `count` (with `params`) for the total, and `page` (with `pageParams`, then
 * LIMIT and OFFSET) for the rows, starting after `position` when paging by cursor. Only the filters
 * given are stated, so the planner sees a plain query (and plans it quickly) whatever the mix; values
 * always travel as parameters.
 */
export function listingSql(query: ListObservationsQueryDto, sortKeys: string[], position?: Position) {
  const params: unknown[] = [];
  const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
  // The newest figure of each series comes from the latest-value table unless the question is about
  // another moment (vintage), a cut-off date (to) or recent changes (updatedSince).
  const fromLatestTable = query.latest && !query.vintage && !query.to && !query.updatedSince;
  // Filters on the series and date read the latest-value table's own columns (l) where they can, so its indexes serve them.
  const series = fromLatestTable ? 'l' : 'o';
  const conditions: string[] = [];
  if (query.region) conditions.push(`${series}.region_code = ANY (${param(query.region, 'text[]')})`);
  if (query.indicator) conditions.push(`${series}.indicator_code = ANY (${param(query.indicator, 'text[]')})`);
  if (query.topic) conditions.push(`${series}.indicator_code IN (SELECT code FROM indicators WHERE topic = ${param(query.topic, 'text')})`);
  if (query.from) conditions.push(`${series}.as_of >= ${param(query.from, 'date')}`);
  if (query.to) conditions.push(`o.as_of <= ${param(query.to, 'date')}`);
  if (query.source) conditions.push(`o.source_id = ${param(query.source, 'text')}`);
  if (query.updatedSince) conditions.push(`o.updated_at >= ${param(query.updatedSince, 'timestamptz')}`);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const source = query.vintage ? `${observationsAt(param(query.vintage, 'timestamptz'))} o` : fromLatestTable ? null : 'published_observations o';
  const filtered = source ? `SELECT o.* FROM ${source} ${where}` : `${FROM_LATEST_TABLE} ${where}`;
  // DISTINCT ON keeps the newest row per series: region, indicator and whose figure it is.
  const matching =
    query.latest && !fromLatestTable
      ? `SELECT DISTINCT ON (o.region_code, o.indicator_code, o.reporter) o.* FROM (${filtered}) o
          ORDER BY o.region_code, o.indicator_code, o.reporter, o.as_of DESC`
      : filtered;
  // Counting the latest-value table needs no observation row unless the source filter is given (the only one on it there).
  const count = fromLatestTable && !query.source ? `SELECT count(*) AS total FROM latest_observations l ${where}` : `SELECT count(*) AS total FROM (${matching}) m`;

  // The id breaks ties, so the order is total and a keyset position is exact.
  const keys = [...sortKeys, 'id'].map((key) => ({ ...SORT_COLUMNS[key.replace(/^-/, '')], descending: key.startsWith('-') }));
  const orderBy = keys.map((k) => `${k.column} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  let after = '';
  const pageParams = [...params];
  if (position) {
    const at = (i: number) => `$${params.length + i + 1}::${keys[i].type}`;
    // Rows after the position: the leading keys that run the same way, compared as one row, bound
    // the index range; within their last group the remaining keys decide. No OR reaches the index
    // condition, so the planner keeps reading the index in order rather than merging bitmaps.
    const leading = keys.findIndex((k) => k.descending !== keys[0].descending);
    const prefix = keys.slice(0, leading < 0 ? keys.length : leading);
    const rest = keys.slice(prefix.length);
    const row = `(${prefix.map((k) => k.column).join(', ')})`;
    const start = `(${prefix.map((_, i) => at(i)).join(', ')})`;
    const beyond = (k: (typeof keys)[number]) => (k.descending ? '<' : '>');
    const restBeyond = rest.map((k, i) => [...rest.slice(0, i).map((p, j) => `${p.column} = ${at(prefix.length + j)}`), `${k.column} ${beyond(k)} ${at(prefix.length + i)}`].join(' AND '));
    after = rest.length
      ? `WHERE ${row} ${beyond(keys[0])}= ${start} AND (${row} <> ${start} OR (${restBeyond.join(') OR (')}))`
      : `WHERE ${row} ${beyond(keys[0])} ${start}`;
    pageParams.push(...position.after.map(String));
  }
  return {
    count,
    params,
    page: `WITH m AS (${matching})
      ${OBSERVATION_SELECT.replace('FROM published_observations o', 'FROM m o')}
      ${after}
      ORDER BY ${orderBy} LIMIT $${pageParams.length + 1} OFFSET $${pageParams.length + 2}`,
    pageParams,
    keys,
  };
}

/** Every code a listing's filters may name, by kind. */
interface KnownCodes {
  regions: Set<string>;
  indicators: Set<string>;
  topics: Set<string>;
  sources: Set<string>;
}

@Injectable()
export class ObservationsService {
  private readonly known: KeptPerVersion<KnownCodes>;

  constructor(
    private readonly db: ReadDatabase,
    version: DataVersion,
  ) {
    this.known = new KeptPerVersion(version, async () => {
      const [row] = await db.query<Record<keyof KnownCodes, string[]>[]>(
        `SELECT ARRAY(SELECT code FROM regions) AS regions, ARRAY(SELECT code FROM indicators) AS indicators,
                ARRAY(SELECT code FROM topics) AS topics, ARRAY(SELECT id FROM sources) AS sources`,
      );
      return { regions: new Set(row.regions), indicators: new Set(row.indicators), topics: new Set(row.topics), sources: new Set(row.sources) };
    });
  }

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
    const known = await this.known.get();
    const unknownRegions = (query.region ?? []).filter((code) => !known.regions.has(code));
    const unknownIndicators = (query.indicator ?? []).filter((code) => !known.indicators.has(code));
    const errors: FieldProblem[] = [];
    if (unknownRegions.length) errors.push({ location: 'query', name: 'region', message: `unknown region code(s): ${unknownRegions.join(', ')}; see /v1/regions` });
    if (unknownIndicators.length) errors.push({ location: 'query', name: 'indicator', message: `unknown indicator code(s): ${unknownIndicators.join(', ')}; see /v1/indicators` });
    if (query.topic && !known.topics.has(query.topic)) errors.push({ location: 'query', name: 'topic', message: `unknown topic "${query.topic}"; see /v1/topics` });
    if (query.source && !known.sources.has(query.source)) errors.push({ location: 'query', name: 'source', message: `unknown source "${query.source}"; see /v1/sources` });
    if (errors.length) throw ProblemException.validation(errors);
  }
}
