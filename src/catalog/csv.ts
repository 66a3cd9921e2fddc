import { parse, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Type, type TSchema } from '@sinclair/typebox';
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
const READ_ONLY = new Set(Object.keys(OBSERVATION_READ_ONLY.properties));

/** What a cell holds for a field of this schema: the empty cell is an absent field, numbers and booleans are read as such. */
function baseType(schema: TSchema): string | undefined {
  const options = (schema.anyOf as TSchema[] | undefined) ?? [schema];
  return options.map((option) => option.type as string | undefined).find((type) => type !== 'null');
}
const TYPE_OF_COLUMN = new Map(Object.entries(WRITABLE).map(([name, schema]) => [name, baseType(schema)]));
/** Required fields that may be empty text (a unit printed as nothing, 约三分之一): there an empty cell is "", not an absent field. */
const EMPTY_IS_TEXT = new Set(
  Object.entries(WRITABLE)
    .filter(([name, schema]) => (ObservationRow.required as string[]).includes(name) && shapeProblems(schema, '').length === 0)
    .map(([name]) => name),
);

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is
 * written behind an apostrophe, as OWASP advises; so is one that already starts with apostrophes
 * before such a character, so reading drops exactly the one apostrophe writing added.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;
const escapeFormula = (text: string) => (FORMULA_LIKE.test(text) ? `'${text}` : text);
const unescapeFormula = (text: string) => (ESCAPED_FORMULA.test(text) ? text.slice(1) : text);

function fromCell(column: string, cell: string): unknown {
  const type = TYPE_OF_COLUMN.get(column);
  // A cell that is not a number stays text, so validation names it rather than the CSV reader.
  if (type === 'number' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell)) return Number(cell);
  if (type === 'boolean' && /^(true|false)$/.test(cell)) return cell === 'true';
  return unescapeFormula(cell);
}

/** One CSV record as a batch observation: empty cells are absent fields (or empty text where a field must be given), read-only columns are passed over. */
export function csvObservation(header: string[], cells: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const cell = cells[i] ?? '';
    if (READ_ONLY.has(name)) return;
    if (cell !== '') row[name] = fromCell(name, cell);
    else if (EMPTY_IS_TEXT.has(name)) row[name] = '';
  });
  return row;
}

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

/** A CSV batch: one observation per record, with the batch format's field names as the header. */
export function csvToBatch(text: string): CsvBatch {
  const [header, ...records] = parseSync(text, READER_OPTIONS) as unknown as CsvRecord[];
  const names = header?.record.map((name) => name.trim()) ?? [];
  return { batch: { observations: records.map(({ record }) => csvObservation(names, record)) }, lines: records.map(({ info }) => info.lines) };
}

/** A streaming reader of the same CSV, record by record, for files too large to hold. */
export function csvRecords(): Parser {
  return parse(READER_OPTIONS);
}

export type CsvCell = string | number | boolean | null | undefined;

const WRITER_OPTIONS = { record_delimiter: 'windows', cast: { boolean: (value: boolean) => String(value), string: escapeFormula } } as const;

/** RFC 4180 CSV with a UTF-8 byte-order mark (so Excel opens Chinese text correctly), its header row always, the given columns in order, no text cell a formula. */
export function toCsv(rows: Record<string, CsvCell>[], columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]): string {
  return `${csvHeader(columns)}${csvLines(rows, columns)}`;
}

/** The start of a CSV file written in parts: the byte-order mark and the header row. */
export function csvHeader(columns: string[]): string {
  return `\uFEFF${stringify([columns], WRITER_OPTIONS)}`;
}

/** Records of a CSV file written in parts, in the header's columns. */
export function csvLines(rows: Record<string, CsvCell>[], columns: string[]): string {
  return stringify(rows, { ...WRITER_OPTIONS, columns });
}
