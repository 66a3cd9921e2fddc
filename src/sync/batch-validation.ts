import { isCalendarDate } from '../http/calendar-date.js';
import { MEASURE_TYPES, UNITS } from '../indicators/indicator.entity.js';
import { AS_OF_PRECISIONS, QUALIFIERS } from '../observations/observation.entity.js';
import { PROGRAM_KINDS } from '../programs/program.entity.js';
import type { CatalogProblem } from '../seed/catalog-check.js';
import type { IndicatorRow, ObservationRow, ProgramRow, SourceRow, TopicRow } from '../seed/catalog.js';
import { DATE_PRECISIONS } from '../sources/source.entity.js';

export const MAX_BATCH_OBSERVATIONS = 50_000;

export interface RetractionRow {
  region: string;
  indicator: string;
  asOf: string;
  reporter?: string | null;
  retract: true;
}

export interface BatchRegion {
  code: string;
  nameEn: string;
}

/** What a sync sends: the seed's shapes, keyed by natural keys; observations may be retractions. */
export interface Batch {
  topics: TopicRow[];
  regions: BatchRegion[];
  sources: SourceRow[];
  indicators: IndicatorRow[];
  programs: ProgramRow[];
  observations: ObservationRow[];
  /** Position in the request of each entry of `observations` (retractions are taken out). */
  observationIndexes: number[];
  retractions: { index: number; row: RetractionRow }[];
}

type Check = (value: unknown) => string | null;
const required = (check: Check): Check => (value) => (value === undefined || value === null ? 'is required' : check(value));
const optional = (check: Check): Check => (value) => (value === undefined || value === null ? null : check(value));
const text = (max = 5000): Check => (v) => (typeof v === 'string' && v.length <= max && /\S/.test(v) ? null : `must be a non-empty string of at most ${max} characters`);
const pattern = (re: RegExp, what: string, max = 100): Check => (v) => (typeof v === 'string' && v.length <= max && re.test(v) ? null : `must be ${what} (at most ${max} characters)`);
const oneOf = (values: readonly string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`);
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const date: Check = (v) => (isCalendarDate(v) ? null : 'must be a calendar date in YYYY-MM-DD form');
const finite: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'must be a finite number');

export const BATCH_SECTION_LIMIT = 10_000;
const REGION = pattern(/^(CN|[1-9]\d{5})$/, 'a six-digit GB/T 2260 code or CN', 6);
const INDICATOR = pattern(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'an indicator code such as smb_outreach.enterprises_visited');

const SCHEMAS: Record<Exclude<keyof Batch, 'retractions' | 'observationIndexes'>, Record<string, Check>> = {
  topics: { code: required(pattern(/^[a-z][a-z0-9_]*$/, 'a topic code')), nameZh: required(text(200)), nameEn: required(text(200)) },
  regions: { code: required(REGION), nameEn: required(text(200)) },
  sources: {
    id: required(pattern(/^[a-z0-9][a-z0-9_-]*$/, 'a source id of lowercase letters, digits, - and _')),
    fileName: required(text(300)),
    headline: required(text(500)),
    publisher: required(text(300)),
    publishedOn: required(date),
    publishedPrecision: required(oneOf(DATE_PRECISIONS)),
    publishedInferred: required(bool),
    note: optional(text()),
  },
  indicators: {
    code: required(INDICATOR),
    nameZh: required(text(200)),
    nameEn: required(text(200)),
    topic: required(text(100)),
    unit: required(oneOf(UNITS)),
    measureType: required(oneOf(MEASURE_TYPES)),
    definitionZh: required(text()),
    definitionEn: required(text()),
  },
  programs: {
    id: required(pattern(/^[a-z0-9][a-z0-9-]*$/, 'a program id of lowercase letters, digits and -')),
    nameZh: required(text(300)),
    nameEn: required(text(300)),
    region: required(REGION),
    kind: required(oneOf(PROGRAM_KINDS)),
    operator: optional(text(300)),
    launchedOn: optional(date),
    launchPrecision: optional(oneOf(DATE_PRECISIONS)),
    descriptionZh: required(text()),
    descriptionEn: required(text()),
    source: required(text(100)),
    quote: required(text()),
  },
  observations: {
    region: required(REGION),
    indicator: required(INDICATOR),
    asOf: required(date),
    asOfPrecision: required(oneOf(AS_OF_PRECISIONS)),
    asOfInferred: required(bool),
    periodStart: optional(date),
    value: required(finite),
    valuePrinted: required(text(50)),
    unitPrinted: required((v) => (typeof v === 'string' && v.length <= 20 ? null : 'must be a string of at most 20 characters')),
    qualifier: required(oneOf(QUALIFIERS)),
    reporter: optional(text(200)),
    program: optional(text(100)),
    source: required(text(100)),
    quote: required(text()),
    note: optional(text()),
  },
};
const RETRACTION: Record<string, Check> = { region: required(REGION), indicator: required(INDICATOR), asOf: required(date), reporter: optional(text(200)), retract: required(bool) };
const OBSERVATION: Record<string, Check> = { ...SCHEMAS.observations, retract: optional(bool) };
/** Each schema's checks as a list, made once: a batch runs them on up to 50,000 rows. */
const CHECKS = new Map([...Object.values(SCHEMAS), RETRACTION, OBSERVATION].map((schema) => [schema, Object.entries(schema)]));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of every row of a batch and names each problem by section, index and field.
 * Unknown fields are problems too: a misspelt field must never be silently dropped. The batch
 * returned holds only the well-shaped rows, for the checks that need the database.
 */
export function parseBatch(body: unknown): { batch?: Batch; problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  if (!isRecord(body)) return { problems: [{ section: 'observations', index: null, field: null, message: 'the body must be a JSON object with an observations array' }] };
  const sections = Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[];
  for (const key of Object.keys(body)) {
    if (!sections.includes(key as keyof typeof SCHEMAS)) problems.push({ section: 'observations', index: null, field: key, message: `"${key}" is not a batch section; sections are ${sections.join(', ')}` });
  }
  const batch: Batch = { topics: [], regions: [], sources: [], indicators: [], programs: [], observations: [], observationIndexes: [], retractions: [] };
  for (const section of sections) {
    const rows = body[section] ?? [];
    if (!Array.isArray(rows)) {
      problems.push({ section, index: null, field: null, message: `${section} must be an array` });
      continue;
    }
    rows.forEach((row: unknown, index: number) => {
      if (!isRecord(row)) return problems.push({ section, index, field: null, message: `${section}[${index}] must be an object` });
      const retraction = section === 'observations' && row.retract === true;
      const schema = retraction ? RETRACTION : section === 'observations' ? OBSERVATION : SCHEMAS[section];
      for (const field in row) {
        if (!Object.hasOwn(schema, field) && !(section === 'indicators' && (field === 'comparableWith' || field === 'derivedFrom'))) {
          problems.push({ section, index, field, message: `${section}[${index}].${field} is not a known field` });
        }
      }
      const before = problems.length;
      for (const [field, check] of CHECKS.get(schema)!) {
        const message = check(row[field]);
        if (message) problems.push({ section, index, field, message: `${section}[${index}].${field} ${message}` });
      }
      if (problems.length > before) return;
      if (retraction) batch.retractions.push({ index, row: row as unknown as RetractionRow });
      else {
        (batch[section] as unknown[]).push(row);
        if (section === 'observations') batch.observationIndexes.push(index);
      }
    });
  }
  for (const section of sections.filter((s) => s !== 'observations')) {
    if ((batch[section] as unknown[]).length > BATCH_SECTION_LIMIT) problems.push({ section, index: null, field: null, message: `a batch holds at most ${BATCH_SECTION_LIMIT} ${section}` });
  }
  if (batch.observations.length + batch.retractions.length > MAX_BATCH_OBSERVATIONS) {
    problems.push({ section: 'observations', index: null, field: null, message: `a batch holds at most ${MAX_BATCH_OBSERVATIONS} observations` });
  }
  return { batch, problems };
}
