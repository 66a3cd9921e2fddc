import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CHINA_UTC_OFFSET_HOURS, dateHorizon } from '../catalog/check.js';
import { csvHeader, csvLines, type CsvCell } from '../catalog/csv.js';
import { CalendarDate, type SourceRow } from '../catalog/schema.js';
import { shapeProblems } from '../catalog/validation.js';
import { DataVersion, KeptPerVersion } from '../database/data-version.js';
import { ReadDatabase } from '../database/read-database.js';
import { ProblemException } from '../errors/problem.js';
import { pageEnvelope } from '../http/pagination.dto.js';
import { columnsOf, DATA_LICENSE, FORMULA_NOTE, SNAPSHOT_DIALECT, SNAPSHOT_FILES, SNAPSHOT_TABLES, tableNamed, tableSchema, type SnapshotTable } from './data-package.js';
import type { DataPackageDto, ListSnapshotsQueryDto, SnapshotDayDto, SnapshotDayPageDto } from './snapshot.dto.js';
import { SNAPSHOT_DAYS, SNAPSHOT_ROWS } from './snapshots.sql.js';

/** Rows per FETCH: statements are few, memory stays flat. */
const FETCH_ROWS = 5000;
/** Long enough to sort every figure of a national dataset before the first row. */
const SNAPSHOT_STATEMENT_TIMEOUT = '15min';
/** Days whose descriptors are kept (each for as long as the data version holds). */
const KEPT_DESCRIPTORS = 8;

/** The day a snapshot is of, and when the newest batch it holds was applied. */
export interface SnapshotDay {
  date: string;
  lastWritten: Date;
}

/** Text of a snapshot file, in pieces, and the rows each piece holds. */
interface FilePiece {
  table: SnapshotTable;
  text: string;
  rows: Record<string, CsvCell>[];
}

export const snapshotPath = (date: string, file = 'datapackage.json') => `/v1/snapshots/${date}/${file}`;

@Injectable()
export class SnapshotsService {
  private readonly descriptors = new Map<string, KeptPerVersion<DataPackageDto>>();

  constructor(
    private readonly db: ReadDatabase,
    private readonly version: DataVersion,
  ) {}

  /** The days on which something was published, newest first: each a snapshot that differs from the day before. */
  async list(query: ListSnapshotsQueryDto, url: string): Promise<SnapshotDayPageDto> {
    const { page = 1, pageSize = 50 } = query;
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*) AS total FROM (${SNAPSHOT_DAYS}) d`, [CHINA_UTC_OFFSET_HOURS]);
    const days = await this.db.query<SnapshotDay[]>(`SELECT * FROM (${SNAPSHOT_DAYS}) d ORDER BY date DESC LIMIT $2 OFFSET $3`, [
      CHINA_UTC_OFFSET_HOURS,
      pageSize,
      (page - 1) * pageSize,
    ]);
    const data: SnapshotDayDto[] = days.map((day) => ({ ...day, url: snapshotPath(day.date) }));
    return { data, ...pageEnvelope(url, page, pageSize, total) };
  }

  /**
   * The day a snapshot URL names: latest is the newest day anything was published; any day from the
   * first such day to today (in China) has a snapshot, the same as that of the last day written before it.
   */
  async day(date: string): Promise<SnapshotDay> {
    const newest = (until?: string) =>
      this.db
        .query<SnapshotDay[]>(`SELECT * FROM (${SNAPSHOT_DAYS}) d ${until ? 'WHERE date <= $2' : ''} ORDER BY date DESC LIMIT 1`, [
          CHINA_UTC_OFFSET_HOURS,
          ...(until ? [until] : []),
        ])
        .then((rows) => rows[0]);
    const hint = 'The days with snapshots are listed at /v1/snapshots; the newest is at /v1/snapshots/latest.';
    if (date === 'latest') {
      const latest = await newest();
      if (!latest) throw ProblemException.notFound('snapshot', 'date latest', 'Nothing has been published yet.');
      return latest;
    }
    if (shapeProblems(CalendarDate, date).length) {
      throw ProblemException.validation([{ location: 'path', name: 'date', message: 'date must be latest or a calendar date in YYYY-MM-DD form' }]);
    }
    const today = dateHorizon();
    if (date > today) throw ProblemException.notFound('snapshot', `date ${date}`, `That day has not begun in China yet (today in China is ${today}). ${hint}`);
    const written = await newest(date);
    if (!written) throw ProblemException.notFound('snapshot', `date ${date}`, `Nothing had been published by then. ${hint}`);
    return { date, lastWritten: written.lastWritten };
  }

  /** The descriptor of a day's snapshot: every file's schema, size and sha256, worked out once per day and data version. */
  async descriptor(date: string): Promise<DataPackageDto> {
    const day = await this.day(date);
    let kept = this.descriptors.get(day.date);
    if (!kept) {
      kept = new KeptPerVersion(this.version, () => this.describe(day));
      this.descriptors.set(day.date, kept);
      if (this.descriptors.size > KEPT_DESCRIPTORS) this.descriptors.delete(this.descriptors.keys().next().value!);
    }
    return kept.get();
  }

  /** The table a file name holds (none for datapackage.json); 404 for a name that is not a snapshot's. */
  tableOf(name: string): SnapshotTable | undefined {
    const table = tableNamed(name);
    if (!table && name !== 'datapackage.json')
      throw ProblemException.notFound('snapshot file', `name "${name}"`, `A snapshot holds datapackage.json, ${SNAPSHOT_FILES.join(', ')}.`);
    return table;
  }

  /** One CSV file of a day's snapshot, in pieces as it is read. */
  async file(date: string, name: string): Promise<AsyncIterable<string>> {
    // datapackage.json has a route of its own: here every name is a CSV file's or none.
    const table = this.tableOf(name)!;
    const day = await this.day(date);
    const pieces = this.read([table], day.date);
    // The first piece is read before anything is sent, so a database that cannot answer gets its 503.
    const first = await pieces.next();
    return (async function* () {
      for (let next = first; !next.done; next = await pieces.next()) yield next.value.text;
    })();
  }

  private async describe(day: SnapshotDay): Promise<DataPackageDto> {
    const digests = new Map(SNAPSHOT_TABLES.map((table) => [table, { hash: createHash('sha256'), bytes: 0 }]));
    const sources: DataPackageDto['sources'] = [];
    for await (const { table, text, rows } of this.read(SNAPSHOT_TABLES, day.date)) {
      const digest = digests.get(table)!;
      digest.hash.update(text);
      digest.bytes += Buffer.byteLength(text);
      if (table.name === 'sources') sources.push(...(rows as unknown as SourceRow[]).map((s) => ({ id: s.id, title: `${s.publisher}: ${s.headline} (${s.publishedOn})` })));
    }
    return {
      profile: 'tabular-data-package',
      name: 'regional-finance-figures',
      title: `Regional sci-tech and small-business finance figures, China: published by the end of ${day.date}`,
      description:
        `Every figure published by the end of ${day.date} (China, UTC+8), each with its unit, as-of date, qualifier and the verbatim clause it was taken from, ` +
        `and the catalog as it stands (topics, regions, sources, indicators, programs: the catalog keeps no history). ` +
        `Load it into an empty instance with: npm run sync -- --file <URL of this datapackage.json>.`,
      version: day.date,
      created: day.lastWritten,
      licenses: [DATA_LICENSE],
      sources,
      resources: SNAPSHOT_TABLES.map((table) => {
        const digest = digests.get(table)!;
        return {
          name: table.name,
          path: `${table.name}.csv`,
          title: table.title,
          description: FORMULA_NOTE,
          profile: 'tabular-data-resource',
          format: 'csv',
          mediatype: 'text/csv',
          encoding: 'utf-8',
          bytes: digest.bytes,
          hash: `sha256:${digest.hash.digest('hex')}`,
          dialect: SNAPSHOT_DIALECT,
          schema: tableSchema(table),
        };
      }),
    };
  }

  /** The text of these files as of the end of `date`, read in one consistent state of the database. */
  private async *read(tables: SnapshotTable[], date: string): AsyncGenerator<FilePiece> {
    // The end of the day in China: figures published before it are in the snapshot.
    const end = new Date(Date.parse(`${date}T00:00:00Z`) + (24 - CHINA_UTC_OFFSET_HOURS) * 3_600_000).toISOString();
    const statements = tables.map((table) => ({ sql: SNAPSHOT_ROWS[table.name], parameters: table.name === 'observations' ? [end] : [] }));
    let started = -1;
    for await (const { statement, rows } of this.db.readConsistently<Record<string, CsvCell>>(statements, {
      batchRows: FETCH_ROWS,
      statementTimeout: SNAPSHOT_STATEMENT_TIMEOUT,
    })) {
      const table = tables[statement];
      // A file with no rows still has its header: each header is written before the rows that follow it.
      while (started < statement) {
        started++;
        yield { table: tables[started], text: csvHeader(columnsOf(tables[started]), { byteOrderMark: false }), rows: [] };
      }
      yield { table, text: csvLines(rows, columnsOf(table)), rows };
    }
    while (started < tables.length - 1) {
      started++;
      yield { table: tables[started], text: csvHeader(columnsOf(tables[started]), { byteOrderMark: false }), rows: [] };
    }
  }
}
