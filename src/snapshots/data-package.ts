import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { csvRowReader, emptyIsText } from '../catalog/csv.js';
import { IndicatorRow, ObservationRow, OneOf, ProgramRow, REGION_LEVELS, RegionCode, RegionEntry, SourceRow, TopicRow, type Batch } from '../catalog/schema.js';

/**
 * A snapshot as a Frictionless Tabular Data Package (https://specs.frictionlessdata.io/): one CSV file
 * per section of a batch, its columns and Table Schema taken from the section's row shape, so the
 * files load back through the sync CLI as they are.
 */

/** What the standard gives a region beside its code: written for people reading the file, taken from GB/T 2260 again on loading. */
const REGION_FROM_STANDARD = Type.Object({
  nameZh: Type.String({ description: 'The GB/T 2260 name.' }),
  level: OneOf(REGION_LEVELS),
  parentCode: Type.Union([RegionCode, Type.Null()], { description: 'The GB/T 2260 parent; empty for the nation.' }),
});

type Section = keyof Batch;

export interface SnapshotTable {
  name: Section;
  title: string;
  row: TObject;
  readOnly?: TObject;
  primaryKey?: string[];
  /** field → resource.field */
  references?: Record<string, `${Section}.${string}`>;
}

/** The files of a snapshot, in the order they load: each refers only to those before it. */
export const SNAPSHOT_TABLES: SnapshotTable[] = [
  { name: 'topics', title: 'Topics that group indicators', row: TopicRow, primaryKey: ['code'] },
  { name: 'regions', title: 'Regions by GB/T 2260 code', row: RegionEntry, readOnly: REGION_FROM_STANDARD, primaryKey: ['code'] },
  { name: 'sources', title: 'Source documents', row: SourceRow, primaryKey: ['id'] },
  { name: 'indicators', title: 'Indicators: unit, measure type, definition, comparability', row: IndicatorRow, primaryKey: ['code'], references: { topic: 'topics.code' } },
  {
    name: 'programs',
    title: 'Named schemes, platforms and products',
    row: ProgramRow,
    primaryKey: ['id'],
    references: { region: 'regions.code', source: 'sources.id' },
  },
  {
    name: 'observations',
    title: 'Published figures with unit, as-of date, qualifier and citation',
    row: ObservationRow,
    // No primaryKey: the natural key (region, indicator, asOf, reporter) has an empty reporter for regional totals.
    references: { region: 'regions.code', indicator: 'indicators.code', program: 'programs.id', source: 'sources.id' },
  },
];

export const SNAPSHOT_FILES = SNAPSHOT_TABLES.map((table) => `${table.name}.csv`);

export const tableNamed = (file: string) => SNAPSHOT_TABLES.find((table) => `${table.name}.csv` === file);

/** A file's columns, in order: the row's own fields, then those written for people. */
export const columnsOf = (table: SnapshotTable) => [...Object.keys(table.row.properties), ...Object.keys(table.readOnly?.properties ?? {})];

/** Reads a file's records back as batch rows. */
export const rowReaderOf = (table: SnapshotTable) => csvRowReader(table.row, Object.keys(table.readOnly?.properties ?? {}));

export interface TableField {
  name: string;
  type: string;
  description?: string;
  constraints?: Record<string, unknown>;
}

/** A field of a Table Schema from its JSON Schema: date for calendar dates, lists and objects as JSON, the same enum, pattern and length. */
function tableField(name: string, schema: TSchema, required: boolean): TableField {
  const options = (schema.anyOf as TSchema[] | undefined) ?? [schema];
  const base = options.find((option) => option.type !== 'null') ?? schema;
  const constraints: Record<string, unknown> = {};
  if (required) constraints.required = true;
  if (base.enum) constraints.enum = base.enum;
  // Table Schema patterns are whole-value XML Schema patterns: no anchors.
  if (base.pattern) constraints.pattern = String(base.pattern).replace(/^\^/, '').replace(/\$$/, '');
  if (base.maxLength !== undefined) constraints.maxLength = base.maxLength;
  if (base.minimum !== undefined) constraints.minimum = base.minimum;
  if (base.maximum !== undefined) constraints.maximum = base.maximum;
  const description = schema.description ?? base.description;
  return {
    name,
    type: base.format === 'calendar-date' ? 'date' : (base.type as string),
    ...(description ? { description } : {}),
    ...(Object.keys(constraints).length ? { constraints } : {}),
  };
}

/** The Table Schema of a file: an empty cell is a missing value, except where a field must be given yet may be empty text. */
export function tableSchema(table: SnapshotTable) {
  const text = emptyIsText(table.row);
  const fields = [
    ...Object.entries(table.row.properties).map(([name, schema]) => tableField(name, schema, (table.row.required ?? []).includes(name) && !text.has(name))),
    ...Object.entries(table.readOnly?.properties ?? {}).map(([name, schema]) => tableField(name, schema, false)),
  ];
  return {
    fields,
    missingValues: [''],
    ...(table.primaryKey ? { primaryKey: table.primaryKey } : {}),
    ...(table.references
      ? {
          foreignKeys: Object.entries(table.references).map(([field, target]) => {
            const [resource, fields] = target.split('.');
            return { fields: field, reference: { resource, fields } };
          }),
        }
      : {}),
  };
}

/** The licence the compiled figures are published under; each quote stays its publisher's, cited by source. */
export const DATA_LICENSE = { name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' };

/** How every snapshot file is written: RFC 4180 CSV in UTF-8 without a byte-order mark, CRLF line ends, a header row. */
export const SNAPSHOT_DIALECT = { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true };

export const FORMULA_NOTE =
  'A text cell that would start with = + - @, a tab or a carriage return is written behind one apostrophe, so a spreadsheet does not run it (OWASP); a reader drops that one apostrophe.';
