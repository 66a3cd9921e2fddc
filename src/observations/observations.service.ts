import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException, PROBLEM_TYPES } from '../errors/problem.js';
import { observationRecords, observationsAt } from '../figures/observation-records.js';
import { Vocabulary } from '../figures/vocabulary.js';
import { Download } from '../http/download.js';
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
/** Rows per statement of a download: large enough that statements are few, small enough that memory stays flat. */
const DOWNLOAD_BATCH = 5000;

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
    const restBeyond = rest.map((k, i) =>
      [...rest.slice(0, i).map((p, j) => `${p.column} = ${at(prefix.length + j)}`), `${k.column} ${beyond(k)} ${at(prefix.length + i)}`].join(' AND '),
    );
    after = rest.length ? `WHERE ${row} ${beyond(keys[0])}= ${start} AND (${row} <> ${start} OR (${restBeyond.join(') OR (')}))` : `WHERE ${row} ${beyond(keys[0])} ${start}`;
    pageParams.push(...position.after.map(String));
  }
  return {
    count,
    params,
    page: `WITH m AS (${matching})
      ${observationRecords('m')}
      ${after}
      ORDER BY ${orderBy} LIMIT $${pageParams.length + 1} OFFSET $${pageParams.length + 2}`,
    pageParams,
    keys,
  };
}

@Injectable()
export class ObservationsService {
  constructor(
    private readonly db: ReadDatabase,
    private readonly vocabulary: Vocabulary,
  ) {}

  /** The query with names turned into the codes the statement filters by (浙江 is 330000; a region set, its members). */
  private async filters(query: ListObservationsQueryDto): Promise<ListObservationsQueryDto> {
    if (query.from && query.to && query.from > query.to) {
      throw ProblemException.validation([{ location: 'query', name: 'from', message: `from (${query.from}) is after to (${query.to})` }]);
    }
    return {
      ...query,
      region: query.region ? (await this.vocabulary.regions(query.region, 'region')).map((r) => r.code) : undefined,
      indicator: query.indicator ? (await this.vocabulary.indicators(query.indicator, 'indicator')).map((i) => i.code) : undefined,
      topic: query.topic ? (await this.vocabulary.topic(query.topic, 'topic')).code : undefined,
      source: query.source ? (await this.vocabulary.source(query.source, 'source')).id : undefined,
    };
  }

  /**
   * Every matching figure, in the listing's order, read DOWNLOAD_BATCH rows at a time by keyset (each
   * read one statement under the statement timeout) and handed on as it is read.
   */
  async download(query: ListObservationsQueryDto): Promise<Download<ObservationDto>> {
    const filters = await this.filters(query);
    const sortKeys = query.sort ?? DEFAULT_SORT;
    const db = this.db;
    return new Download(
      (async function* () {
        let position: Position | undefined;
        for (;;) {
          const listing = listingSql(filters, sortKeys, position);
          const rows = await db.query<ObservationDto[]>(listing.page, [...listing.pageParams, DOWNLOAD_BATCH, 0]);
          if (rows.length) yield rows;
          if (rows.length < DOWNLOAD_BATCH) return;
          position = { sort: sortKeys.join(','), after: listing.keys.map((k) => k.of(rows.at(-1)!)), page: 0, total: 0 };
        }
      })(),
    );
  }

  async list(query: ListObservationsQueryDto, url: string): Promise<ObservationPageDto> {
    const pageSize = query.pageSize ?? 50;
    const filters = await this.filters(query);
    const sortKeys = query.sort ?? DEFAULT_SORT;
    const position = query.cursor ? decodeCursor(query.cursor, sortKeys.join(',')) : undefined;
    const page = position?.page ?? query.page ?? 1;
    const listing = listingSql(filters, sortKeys, position);
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
    const [observation] = await this.db.query<ObservationDto[]>(`${observationRecords(source)} WHERE o.id = $1`, vintage ? [id, vintage] : [id]);
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

  /** Every value the figure has had, oldest first, with when and by which batch, and what it is a figure of. */
  async revisions(id: number): Promise<RevisionListDto> {
    const rows = await this.db.query<(Omit<RevisionDto, 'unit'> & { regionCode: string; indicatorCode: string })[]>(
      `SELECT r.id, r.valid_from AS "validFrom", r.valid_to AS "validTo", r.retracted, r.batch_id AS "batchId", b.origin AS "batchOrigin",
              r.as_of AS "asOf", r.as_of_precision AS "asOfPrecision", r.as_of_inferred AS "asOfInferred", r.period_start AS "periodStart",
              r.value, r.value_printed AS "valuePrinted", r.unit_printed AS "unitPrinted", r.qualifier, r.source_id AS "sourceId", r.quote, r.note,
              r.region_code AS "regionCode", r.indicator_code AS "indicatorCode"
         FROM observation_revisions r LEFT JOIN sync_batches b ON b.id = r.batch_id
        WHERE r.observation_id = $1 ORDER BY r.valid_from, r.id`,
      [id],
    );
    if (!rows.length) throw ProblemException.notFound('observation', `id ${id}`, 'Find observation ids with /v1/observations.');
    const { regionCode, indicatorCode } = rows[rows.length - 1];
    const indicator = (await this.vocabulary.catalog()).get(indicatorCode)!;
    const { parentCode: _parentCode, ...region } = (await this.vocabulary.regionByCode(regionCode))!;
    const data = rows.map(({ regionCode: _region, indicatorCode: _indicator, ...revision }) => ({ ...revision, unit: indicator.unit }));
    return { observationId: id, region, indicator, data };
  }
}
