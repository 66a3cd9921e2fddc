import { NameParameter } from '../http/name-parameter.js';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../http/query-rules.js';
import { commaList } from '../http/comma-list.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { FormatParameter, LISTING_FORMATS } from '../http/representations.js';
import { PageDto, PageQueryDto } from '../http/pagination.dto.js';
import { IndicatorRefDto } from '../indicators/indicator.dto.js';
import { UNITS, type Unit } from '../catalog/schema.js';
import { RegionRefDto } from '../regions/region.dto.js';
import { ScaledValueDto, SourceRefDto } from '../figures/figure.dto.js';
import { AS_OF_PRECISIONS, QUALIFIERS, type AsOfPrecision, type Qualifier } from '../catalog/schema.js';

export const OBSERVATION_SCOPES = ['region', 'program', 'institution'] as const;
export type ObservationScope = (typeof OBSERVATION_SCOPES)[number];

export class ObservationSourceDto extends SourceRefDto {
  /** @example "经济日报" */
  publisher: string;
  /** @example "2026-05-31" */
  publishedOn: string;
  publishedInferred: boolean;
}

export class ProgramRefDto {
  /** @example "zheke-joint-loan" */
  id: string;
  /** @example "浙科联合贷" */
  nameZh: string;
  nameEn: string;
}

export class ObservationDto {
  /** @example 1 */
  id: number;
  region: RegionRefDto;
  indicator: IndicatorRefDto;
  /** The date the figure refers to: the end of its month, quarter or year when only that is known. @example "2026-04-30" */
  asOf: string;
  @ApiProperty({ enum: AS_OF_PRECISIONS, enumName: 'AsOfPrecision', description: '`period` means the figure covers periodStart..asOf (a multi-year average or a running total).' })
  asOfPrecision: AsOfPrecision;
  /** True when the document does not print the date and it was inferred from the article's publication date. */
  asOfInferred: boolean;
  /** Start of the period a cumulative or averaged figure covers, when the document states it. */
  periodStart: string | null;
  /** The figure in base units (yuan, count, percent, percentage points). @example 6500000000000 */
  value: number;
  @ApiProperty({ enum: UNITS, enumName: 'Unit' })
  unit: Unit;
  /** The number exactly as printed. @example "6.5" */
  valuePrinted: string;
  /** The unit exactly as printed. @example "万亿元" */
  unitPrinted: string;
  @ApiProperty({ enum: QUALIFIERS, enumName: 'Qualifier', description: 'exact; about 约/左右; nearly 近; more_than 超/逾/余; at_least 以上/不低于; up_to 最高/不超过.' })
  qualifier: Qualifier;
  @ApiProperty({
    enum: OBSERVATION_SCOPES,
    enumName: 'ObservationScope',
    description: "region: a total for the region; program: a named scheme's own figure; institution: one bank's or platform's own figure, not a regional total.",
  })
  scope: ObservationScope;
  /** Whose figure it is when it is not the region's total (a bank, a platform). @example "平阳农商银行" */
  reporter: string | null;
  program: ProgramRefDto | null;
  source: ObservationSourceDto;
  /** The clause the figure was taken from, verbatim. */
  quote: string;
  /** Caveats: what is counted, how the date was inferred. */
  note: string | null;
  /** The figure for reading, in the language asked for (lang or Accept-Language). @example "6.5万亿元" */
  display?: string;
  /** Present with normalizeTo when the figure's base unit matches. */
  scaled?: ScaledValueDto;
  createdAt: Date;
  updatedAt: Date;
}

export class ObservationPageDto extends PageDto {
  data: ObservationDto[];
}

export const OBSERVATION_SORT_FIELDS = ['asOf', 'value', 'region', 'indicator', 'id'] as const;
const SORT_KEYS = OBSERVATION_SORT_FIELDS.flatMap((field) => [field, `-${field}`]);

const MAX_LIST_ITEMS = 50;

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListObservationsQueryDto extends PageQueryDto {
  /** Comma-separated regions: GB/T 2260 codes, CN, names (浙江, 浙江省, Zhejiang) or a region set's id. */
  @NameParameter('regions', { list: MAX_LIST_ITEMS, example: '浙江,江苏' })
  region?: string[];

  /** Comma-separated indicator codes. */
  @NameParameter('indicators', { list: MAX_LIST_ITEMS, example: 'smb_outreach.enterprises_visited' })
  indicator?: string[];

  /** Only indicators of this topic. */
  @NameParameter('topic', { example: 'smb_outreach' })
  topic?: string;

  /** Only figures citing this source document (its id or file name). */
  @NameParameter('source', { example: '002_caa4a03adb5becde' })
  source?: string;

  /** Earliest as-of date, inclusive (YYYY-MM-DD). @example "2025-01-01" */
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  /** Latest as-of date, inclusive (YYYY-MM-DD). @example "2026-12-31" */
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  /** Only the newest figure for each region, indicator and reporter (after the date filters). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'latest must be true or false' })
  latest?: boolean;

  /** Comma-separated sort keys; a leading "-" sorts descending. Default: region,indicator,-asOf. @example "-asOf" */
  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(OBSERVATION_SORT_FIELDS.length)
  @IsIn(SORT_KEYS, { each: true, message: `sort must list keys from ${SORT_KEYS.join(', ')}` })
  @ApiProperty({ type: String, required: false, example: '-asOf', description: `Comma-separated keys from: ${SORT_KEYS.join(', ')}` })
  sort?: string[];

  /** Where the page starts: an opaque token from links.next (page is then ignored). Pages reached this way cost the same at any depth. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the token from links.next of the previous page' })
  cursor?: string;

  /** Only figures created or changed at or after this moment (ISO 8601), for simple incremental pulls; /v1/changes never misses one. @example "2026-11-01T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'updatedSince must be an ISO 8601 timestamp such as 2026-11-01T00:00:00Z' })
  updatedSince?: string;

  /** Answer as the API would have at this moment (ISO 8601), from the revision history. @example "2026-11-01T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'vintage must be an ISO 8601 timestamp such as 2026-11-01T00:00:00Z' })
  vintage?: string;

  /**
   * csv (UTF-8 with a byte-order mark; also chosen by Accept: text/csv) or ndjson (also chosen by
   * Accept: application/x-ndjson): a download of every matching row, without page, pageSize or cursor.
   */
  @FormatParameter(LISTING_FORMATS, 'ListingFormat')
  format?: (typeof LISTING_FORMATS)[number];
}

export class ObservationQueryDto extends DisplayQueryDto {
  /** The figure as it stood at this moment (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'vintage must be an ISO 8601 timestamp such as 2026-11-01T00:00:00Z' })
  vintage?: string;
}

export class RevisionDto {
  /** @example 1 */
  id: number;
  /** From when the figure had these values. */
  validFrom: Date;
  /** Until when; null for the current values. */
  validTo: Date | null;
  /** True from the moment a batch retracted the figure. */
  retracted: boolean;
  /** The batch that wrote it; null for the initial seed load. */
  batchId: number | null;
  batchOrigin: string | null;
  asOf: string;
  @ApiProperty({ enum: AS_OF_PRECISIONS, enumName: 'AsOfPrecision' })
  asOfPrecision: AsOfPrecision;
  asOfInferred: boolean;
  periodStart: string | null;
  /** In base units of `unit`. */
  value: number;
  @ApiProperty({ enum: UNITS, enumName: 'Unit' })
  unit: Unit;
  valuePrinted: string;
  unitPrinted: string;
  @ApiProperty({ enum: QUALIFIERS, enumName: 'Qualifier' })
  qualifier: Qualifier;
  /** The value for reading, in the language asked for. */
  display?: string;
  sourceId: string;
  quote: string;
  note: string | null;
}

export class RevisionListDto {
  observationId: number;
  /** The region the figure is of (as its newest revision says). */
  region: RegionRefDto;
  indicator: IndicatorRefDto;
  data: RevisionDto[];
}
