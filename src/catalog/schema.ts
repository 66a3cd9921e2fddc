import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * The written shapes of the catalog, declared once: the seed files and sync batches are validated
 * against these (src/catalog/validation.ts), their TypeScript types are derived from them, the
 * OpenAPI document shows them as they are, and the CSV columns of an observation come from them.
 */

// The vocabulary: each closed list of values once, for every shape, query and response that uses it.
export const UNITS = ['CNY', 'count', 'percent', 'percentage_points', 'year', 'rank'] as const;
export const MEASURE_TYPES = [
  'cumulative',
  'balance',
  'count_at_date',
  'yoy_growth',
  'growth',
  'share',
  'limit',
  'rate',
  'rate_change',
  'flow',
  'duration',
  'ratio',
  'rank',
] as const;
export const INDICATOR_KINDS = ['measured', 'derived'] as const;
export const AS_OF_PRECISIONS = ['day', 'month', 'quarter', 'year', 'period'] as const;
export const DATE_PRECISIONS = ['day', 'month', 'quarter', 'year'] as const;
export const QUALIFIERS = ['exact', 'about', 'nearly', 'more_than', 'at_least', 'up_to'] as const;
export const PROGRAM_KINDS = ['loan_product', 'platform', 'policy_tool', 'mechanism', 'institution'] as const;
export const REGION_LEVELS = ['nation', 'province', 'city', 'district'] as const;

export type Unit = (typeof UNITS)[number];
export type MeasureType = (typeof MEASURE_TYPES)[number];
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export type AsOfPrecision = (typeof AS_OF_PRECISIONS)[number];
export type DatePrecision = (typeof DATE_PRECISIONS)[number];
export type Qualifier = (typeof QUALIFIERS)[number];
export type ProgramKind = (typeof PROGRAM_KINDS)[number];
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Rows a batch section may hold; the observations section holds more. */
export const MAX_SECTION_ROWS = 10_000;
export const MAX_BATCH_OBSERVATIONS = 50_000;
/** Problems listed in a rejection: a batch wrong in every row is told the first thousand and how many there are. */
export const MAX_LISTED_PROBLEMS = 1000;

/** `x-expect` says, in words, what a value must be: the error message when it is not. */
const described = (expect: string, description?: string) => ({ 'x-expect': expect, ...(description ? { description } : {}) });

export const OneOf = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...described(`one of ${values.join(', ')}`, description) });

/** Text as PostgreSQL can store it (no NUL, no unpaired surrogate) with something in it. */
export const Text = (maxLength: number, description?: string) =>
  Type.String({ format: 'text', maxLength, ...described(`text of 1 to ${maxLength} characters, not blank, without NUL or unpaired surrogates`, description) });

const Code = (pattern: string, maxLength: number, expect: string, description?: string) => Type.String({ pattern, maxLength, ...described(expect, description) });

export const RegionCode = Code('^(CN|[1-9][0-9]{5})$', 6, 'a six-digit GB/T 2260 code or CN');
export const IndicatorCode = Code('^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$', 100, 'an indicator code such as smb_outreach.enterprises_visited');
export const TopicCode = Code('^[a-z][a-z0-9_]*$', 100, 'a topic code such as smb_outreach');
export const SourceId = Code('^[a-z0-9][a-z0-9_-]*$', 100, 'a source id of lowercase letters, digits, - and _');
export const ProgramId = Code('^[a-z0-9][a-z0-9-]*$', 100, 'a program id of lowercase letters, digits and -');
export const CalendarDate = Type.String({ format: 'calendar-date', maxLength: 10, ...described('a calendar date from 0001-01-01 to 9999-12-31 in YYYY-MM-DD form') });

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Row = <P extends Parameters<typeof Type.Object>[0]>(properties: P, description: string, example: object) =>
  Type.Object(properties, { additionalProperties: false, description, examples: [example] });

export const TopicRow = Row({ code: TopicCode, nameZh: Text(200), nameEn: Text(200) }, 'A topic that groups indicators.', {
  code: 'smb_outreach',
  nameZh: '小微企业走访与融资对接',
  nameEn: 'Small/micro-enterprise outreach',
});

export const RegionEntry = Row(
  { code: RegionCode, nameEn: Text(200) },
  'A region by its GB/T 2260 code; its Chinese name, level and parent come from the standard, only the English name is given.',
  { code: '340100', nameEn: 'Hefei' },
);

export const SourceRow = Row(
  {
    id: SourceId,
    fileName: Text(300),
    headline: Text(500),
    publisher: Text(300),
    publishedOn: Type.String({ ...CalendarDate, description: 'No later than today in China (UTC+8).' }),
    publishedPrecision: OneOf(DATE_PRECISIONS),
    publishedInferred: Type.Boolean(),
    note: Type.Optional(Nullable(Text(5000))),
  },
  'A document figures are taken from.',
  {
    id: '002_caa4a03adb5becde',
    fileName: '002_caa4a03adb5becde.txt',
    headline: '金融业服务小微如何提质',
    publisher: '经济日报',
    publishedOn: '2026-05-31',
    publishedPrecision: 'month',
    publishedInferred: true,
  },
);

export const ComparableLink = Row(
  { code: IndicatorCode, caveatEn: Text(2000), caveatZh: Text(2000) },
  'An indicator that may stand in for this one in a comparison, and why the two differ.',
  { code: 'smb_outreach.entities_visited', caveatEn: 'Business entities include sole proprietors.', caveatZh: '经营主体含个体工商户。' },
);

export const IndicatorRow = Row(
  {
    code: IndicatorCode,
    nameZh: Text(200),
    nameEn: Text(200),
    topic: TopicCode,
    unit: OneOf(UNITS),
    measureType: OneOf(MEASURE_TYPES),
    definitionZh: Text(5000),
    definitionEn: Text(5000),
    comparableWith: Type.Optional(Type.Array(ComparableLink, { maxItems: 50 })),
    derivedFrom: Type.Optional(
      Nullable(
        Row({ numerator: IndicatorCode, denominator: IndicatorCode }, 'numerator / denominator (× 100 in percent), computed on request.', { numerator: 'a.b', denominator: 'a.c' }),
      ),
    ),
  },
  'What is measured: unit, measure type, definition, and the indicators it may be compared with.',
  {
    code: 'smb_outreach.enterprises_visited',
    nameZh: '走访企业数',
    nameEn: 'Enterprises visited',
    topic: 'smb_outreach',
    unit: 'count',
    measureType: 'cumulative',
    definitionZh: '累计走访企业户数',
    definitionEn: 'Enterprises visited, cumulative',
  },
);

export const ProgramRow = Row(
  {
    id: ProgramId,
    nameZh: Text(300),
    nameEn: Text(300),
    region: RegionCode,
    kind: OneOf(PROGRAM_KINDS),
    operator: Type.Optional(Nullable(Text(300))),
    launchedOn: Type.Optional(Nullable(CalendarDate)),
    launchPrecision: Type.Optional(Nullable(OneOf(DATE_PRECISIONS))),
    descriptionZh: Text(5000),
    descriptionEn: Text(5000),
    source: SourceId,
    quote: Text(5000),
  },
  'A named scheme, platform or product, with the clause that describes it.',
  {
    id: 'zheke-joint-loan',
    nameZh: '浙科联合贷',
    nameEn: 'Zheke Joint Loan',
    region: '330000',
    kind: 'loan_product',
    descriptionZh: '银行联合授信产品',
    descriptionEn: 'A joint bank credit product',
    source: '001_5ecbe001600a554c',
    quote: '截至目前，浙江省共有27家银行参与“浙科联合贷”',
  },
);

export const PilotZoneRow = Row(
  {
    region: RegionCode,
    nameZh: Text(300),
    nameEn: Text(300),
    approvalYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
    batch: Type.Integer({ minimum: 1, maximum: 100 }),
    planDocument: Nullable(Text(500)),
    note: Type.Optional(Nullable(Text(5000))),
    source: SourceId,
    quote: Text(5000),
    distinctions: Type.Array(
      Row({ textZh: Text(500), textEn: Text(500), source: SourceId, quote: Text(5000) }, 'A distinction the source cites.', {
        textZh: '全国首个',
        textEn: 'The first',
        source: 's',
        quote: 'q',
      }),
      { maxItems: 100 },
    ),
  },
  'A sci-tech finance reform pilot zone (seed data only).',
  {
    region: '370100',
    nameZh: '济南科创金融改革试验区',
    nameEn: 'Jinan pilot zone',
    approvalYear: 2021,
    batch: 1,
    planDocument: null,
    source: '004_b44d97a985fe080b',
    quote: '济南市获批全国首个科创金融改革试验区',
    distinctions: [],
  },
);

/** The seed's figure of Zhejiang's enterprises visited, exactly: an example a dry run accepts as unchanged. */
const observationExample = {
  region: '330000',
  indicator: 'smb_outreach.enterprises_visited',
  asOf: '2026-04-30',
  asOfPrecision: 'month',
  asOfInferred: false,
  value: 5960000,
  valuePrinted: '596',
  unitPrinted: '万家',
  qualifier: 'exact',
  source: '002_caa4a03adb5becde',
  quote: '截至2026年4月末，浙江已组织走访企业596万家，纳入推荐清单数量172万家，其中147万家已获得授信支持，累放贷款6.5万亿元',
  note: 'Cumulative since the national small/micro financing coordination mechanism was deployed (text: 2024); figure from 国家金融监督管理总局浙江监管局. Repeated in the page graphic. Zhejiang counts enterprises (万家), not business entities.',
};

/** The natural key of a figure: one value per region, indicator, date and reporter. */
const observationKey = {
  region: Type.String({ ...RegionCode, description: 'Natural key, with indicator, asOf and reporter.' }),
  indicator: IndicatorCode,
  asOf: Type.String({ ...CalendarDate, description: 'The date the figure is as of (a period end for running totals); no later than today in China (UTC+8).' }),
  reporter: Type.Optional(Nullable(Text(200, 'Null for a regional total; the bank or platform whose own figure it is.'))),
};

export const ObservationRow = Row(
  {
    ...observationKey,
    asOfPrecision: OneOf(AS_OF_PRECISIONS),
    asOfInferred: Type.Boolean({ description: 'True when the date is not printed but inferred (from the publication date, a heading, 今年 …).' }),
    periodStart: Type.Optional(Nullable(Type.String({ ...CalendarDate, description: 'Start of the period of a running total or average (asOfPrecision "period").' }))),
    value: Type.Number({ description: 'In base units: valuePrinted × the scale of unitPrinted.' }),
    valuePrinted: Text(50, 'The number as printed, e.g. 596 or 三分之一.'),
    unitPrinted: Type.String({
      format: 'plain',
      maxLength: 20,
      ...described('a unit as printed, at most 20 characters, without NUL or unpaired surrogates (may be empty)', 'The unit as printed, e.g. 万家 or 万亿元.'),
    }),
    qualifier: OneOf(QUALIFIERS, 'How the figure is qualified in print: 约 about, 近 nearly, 超/逾/余 more_than, 以上 at_least, 最高 up_to.'),
    program: Type.Optional(Nullable(ProgramId)),
    source: SourceId,
    quote: Text(5000, 'The clause the figure was taken from, verbatim.'),
    note: Type.Optional(Nullable(Text(5000))),
  },
  'A figure with its unit, as-of date, qualifier and citation.',
  observationExample,
);

export const RetractionRow = Row(
  { ...observationKey, retract: Type.Literal(true, { description: 'Retract this figure: it disappears from reads, its history stays.' }) },
  'Retracts the figure with this key.',
  { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2026-04-30', retract: true },
);

/** A batch observation is a figure, or (retract: true) the key of one to retract. */
export const BatchObservation = Type.Unsafe<Static<typeof ObservationRow> | Static<typeof RetractionRow>>({
  if: { type: 'object', properties: { retract: { const: true } }, required: ['retract'] },
  then: RetractionRow,
  else: ObservationRow,
  description: 'A figure to create or update, or with retract: true the key of a figure to retract.',
});

const section = <T extends TSchema>(rows: T, maxItems: number, description: string) => Type.Optional(Type.Array(rows, { maxItems, description }));

export const Batch = Type.Object(
  {
    topics: section(TopicRow, MAX_SECTION_ROWS, `Up to ${MAX_SECTION_ROWS.toLocaleString('en')} topics.`),
    regions: section(RegionEntry, MAX_SECTION_ROWS, `Up to ${MAX_SECTION_ROWS.toLocaleString('en')} regions.`),
    sources: section(SourceRow, MAX_SECTION_ROWS, `Up to ${MAX_SECTION_ROWS.toLocaleString('en')} sources.`),
    indicators: section(IndicatorRow, MAX_SECTION_ROWS, `Up to ${MAX_SECTION_ROWS.toLocaleString('en')} indicators.`),
    programs: section(ProgramRow, MAX_SECTION_ROWS, `Up to ${MAX_SECTION_ROWS.toLocaleString('en')} programs.`),
    observations: section(BatchObservation, MAX_BATCH_OBSERVATIONS, `Up to ${MAX_BATCH_OBSERVATIONS.toLocaleString('en')} figures and retractions.`),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Rows to upsert by their natural keys, in one transaction: all of them or none.',
    examples: [{ observations: [observationExample] }],
  },
);

export type TopicRow = Static<typeof TopicRow>;
export type RegionEntry = Static<typeof RegionEntry>;
export type SourceRow = Static<typeof SourceRow>;
export type IndicatorRow = Static<typeof IndicatorRow>;
export type ProgramRow = Static<typeof ProgramRow>;
export type PilotZoneRow = Static<typeof PilotZoneRow>;
export type ObservationRow = Static<typeof ObservationRow>;
export type RetractionRow = Static<typeof RetractionRow>;
export type Batch = Static<typeof Batch>;

/** Every section of a batch, in the order its rows are written. */
export const BATCH_SECTIONS = Object.keys(Batch.properties) as (keyof Batch)[];

/** A region as stored: the GB/T 2260 name, level and parent beside the given English name. */
export interface RegionRow {
  code: string;
  nameZh: string;
  nameEn: string;
  level: RegionLevel;
  parentCode: string | null;
}

/** The whole catalog, as the seed holds it: every section of a batch, and the pilot zones. */
export interface Catalog {
  topics: TopicRow[];
  regions: RegionRow[];
  sources: SourceRow[];
  indicators: IndicatorRow[];
  programs: ProgramRow[];
  pilotZones: PilotZoneRow[];
  observations: ObservationRow[];
}

export interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The schemas the OpenAPI document lists, by name. */
export const DOCUMENTED_SCHEMAS = { Batch, TopicRow, RegionEntry, SourceRow, IndicatorRow, ComparableLink, ProgramRow, ObservationRow, RetractionRow };
