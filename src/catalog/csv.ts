import { parse, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { ObservationRow, RetractionRow } from './schema.js';
import { shapeProblems } from './validation.js';

/**
 * The CSV form of an observation, from the schema: the columns of a batch row under the batch's
 * own names (so an exported file syncs back as it is), then read-only columns for people reading
 * it, which an import passes over.
 */
const WRITABLE = { ...ObservationRow.properties, retract: RetractionRow.properties.retract } as Record<string, TSchema>;

export const OBSERVATION_READ_ONLY = Type.Object({
  id: Type.Integer({ description: "The figure's id in this API." }),
  regionNameZh: Type.String(),
  regionNameEn: Type.String(),
  indicatorNameZh: Type.String(),
  indicatorNameEn: Type.String(),
  unit: Type.String({ description: 'The base unit of value.' }),
  scope: Type.String({ description: 'region, program or institution.' }),
  display: Type.String({ description: "The figure as a person reads it, in the request's language." }),
  scaledValue: Type.Optional(Type.Number()),
  scaledUnit: Type.Optional(Type.String()),
});

/** Columns of an exported observation, in order. */
export const OBSERVATION_CSV_COLUMNS = [...Object.keys(ObservationRow.properties), ...Object.keys(OBSERVATION_READ_ONLY.properties)];

/** What a cell holds for a field of this schema: the empty cell is an absent field, numbers and booleans are read as such. */
function baseType(schema: TSchema): string | undefined {
  const options = (schema.anyOf as TSchema[] | undefined) ?? [schema];
  return options.map((option) => option.type as string | undefined).find((type) => type !== 'null');
}

/** Columns of this row shape that must be given yet may be empty text (a unit printed as nothing, 约三分之一): there an empty cell is "", not an absent field. */
export function emptyIsText(row: TObject): Set<string> {
  return new Set(
    Object.entries(row.properties)
      .filter(([name, schema]) => (row.required ?? []).includes(name) && shapeProblems(schema, '').length === 0)
      .map(([name]) => name),
  );
}

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is
 * written behind an apostrophe, as OWASP advises; so is one that already starts with apostrophes
 * before such a character, so reading drops exactly the one apostrophe writing added.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;
const escapeFormula = (text: string) => (FORMULA_LIKE.test(text) ? `'${text}` : text);
const unescapeFormula = (text: string) => (ESCAPED_FORMULA.test(text) ? text.slice(1) : text);

/** A cell as the field's type reads it; a cell that is not of that type stays text, so validation names it rather than the CSV reader. */
function fromCell(type: string | undefined, cell: string): unknown {
  if ((type === 'number' || type === 'integer') && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell)) return Number(cell);
  if (type === 'boolean' && /^(true|false)$/.test(cell)) return cell === 'true';
  if (type === 'array' || type === 'object') {
    try {
      return JSON.parse(cell) as unknown;
    } catch {
      return cell;
    }
  }
  return unescapeFormula(cell);
}

/**
 * Reads CSV records as rows of this shape, by the header's names: empty cells are absent fields (or
 * empty text where a field must be given), lists and objects are JSON, `readOnly` columns (written
 * for people reading the file) are passed over, and any other column is kept for validation to name.
 */
export function csvRowReader(row: TObject, readOnly: Iterable<string> = []): (header: string[], cells: string[]) => Record<string, unknown> {
  const types = new Map(Object.entries(row.properties).map(([name, schema]) => [name, baseType(schema)]));
  const text = emptyIsText(row);
  const skipped = new Set(readOnly);
  return (header, cells) => {
    const read: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const cell = cells[i] ?? '';
      if (skipped.has(name)) return;
      if (cell !== '') read[name] = fromCell(types.get(name), cell);
      else if (text.has(name)) read[name] = '';
    });
    return read;
  };
}

/** One CSV record as a batch observation (a figure, or with retract a retraction). */
export const csvObservation = csvRowReader(Type.Object(WRITABLE), Object.keys(OBSERVATION_READ_ONLY.properties));

/**
 * Options every CSV reader here shares: RFC 4180, a byte-order mark dropped, blank lines skipped,
 * each record with its line. Strict on cell counts: an unquoted comma in a quote would otherwise
 * shift or drop what follows it without a word.
 */
const READER_OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: false, info: true } as const;

export interface CsvRecord {
  record: string[];
  /** The line of the file the record ends on (a quoted field may hold line breaks). */
  info: { lines: number };
}

/** Observations read from CSV, and the line each came from, so a problem can be named by its line. */
export interface CsvBatch {
  batch: { observations: Record<string, unknown>[] };
  lines: number[];
}

/** Rows of a CSV text read by `readRow` from its header's names, and the line each came from. */
export function csvToRows(text: string, readRow: (header: string[], cells: string[]) => Record<string, unknown>): { rows: Record<string, unknown>[]; lines: number[] } {
  const [header, ...records] = parseSync(text, READER_OPTIONS) as unknown as CsvRecord[];
  const names = header?.record.map((name) => name.trim()) ?? [];
  return { rows: records.map(({ record }) => readRow(names, record)), lines: records.map(({ info }) => info.lines) };
}

/** A CSV batch: one observation per record, with the batch format's field names as the header. */
export function csvToBatch(text: string): CsvBatch {
  const { rows, lines } = csvToRows(text, csvObservation);
  return { batch: { observations: rows }, lines };
}

/** A streaming reader of the same CSV, record by record, for files too large to hold. */
export function csvRecords(): Parser {
  return parse(READER_OPTIONS);
}

/** A cell's value; a list or an object is written as JSON (a Table Schema array or object field). */
export type CsvCell = string | number | boolean | null | undefined | object;

const WRITER_OPTIONS = {
  record_delimiter: 'windows',
  cast: { boolean: (value: boolean) => String(value), string: escapeFormula, object: (value: object) => JSON.stringify(value) },
} as const;

/** RFC 4180 CSV with a UTF-8 byte-order mark (so Excel opens Chinese text correctly), its header row always, the given columns in order, no text cell a formula. */
export function toCsv(rows: Record<string, CsvCell>[], columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]): string {
  return `${csvHeader(columns)}${csvLines(rows, columns)}`;
}

/** The start of a CSV file written in parts: the byte-order mark (unless the file is for programs, which may read it as part of the first name) and the header row. */
export function csvHeader(columns: string[], { byteOrderMark = true } = {}): string {
  return `${byteOrderMark ? '\uFEFF' : ''}${stringify([columns], WRITER_OPTIONS)}`;
}

/** Records of a CSV file written in parts, in the header's columns. */
export function csvLines(rows: Record<string, CsvCell>[], columns: string[]): string {
  return stringify(rows, { ...WRITER_OPTIONS, columns });
}
