import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MEASURE_TYPES, UNITS } from '../indicators/indicator.entity.js';
import { AS_OF_PRECISIONS, QUALIFIERS } from '../observations/observation.entity.js';
import { PROGRAM_KINDS } from '../programs/program.entity.js';
import { DATE_PRECISIONS } from '../sources/source.entity.js';
import { PageDto, PageQueryDto } from '../http/pagination.dto.js';

// The batch format, for the OpenAPI document. The rows are checked by parseBatch, which names each bad row by index and field.

export class BatchTopicDto {
  @ApiProperty({ maxLength: 100 })
  code: string;
  @ApiProperty({ maxLength: 200 })
  nameZh: string;
  @ApiProperty({ maxLength: 200 })
  nameEn: string;
}

export class BatchRegionDto {
  /** GB/T 2260 code; the Chinese name, level and parent come from the standard. @example "340100" */
  @ApiProperty({ maxLength: 6 })
  code: string;
  /** @example "Hefei" */
  @ApiProperty({ maxLength: 200 })
  nameEn: string;
}

export class BatchSourceDto {
  @ApiProperty({ maxLength: 100 })
  id: string;
  @ApiProperty({ maxLength: 300 })
  fileName: string;
  @ApiProperty({ maxLength: 500 })
  headline: string;
  @ApiProperty({ maxLength: 300 })
  publisher: string;
  @ApiProperty({ maxLength: 10 })
  publishedOn: string;
  @ApiProperty({ enum: DATE_PRECISIONS, enumName: 'DatePrecision' })
  publishedPrecision: string;
  publishedInferred: boolean;
  @ApiProperty({ maxLength: 5000, required: false, nullable: true })
  note?: string | null;
}

export class BatchIndicatorDto {
  @ApiProperty({ maxLength: 100 })
  code: string;
  @ApiProperty({ maxLength: 200 })
  nameZh: string;
  @ApiProperty({ maxLength: 200 })
  nameEn: string;
  @ApiProperty({ maxLength: 100 })
  topic: string;
  @ApiProperty({ enum: UNITS, enumName: 'Unit' })
  unit: string;
  @ApiProperty({ enum: MEASURE_TYPES, enumName: 'MeasureType' })
  measureType: string;
  @ApiProperty({ maxLength: 5000 })
  definitionZh: string;
  @ApiProperty({ maxLength: 5000 })
  definitionEn: string;
}

export class BatchProgramDto {
  @ApiProperty({ maxLength: 100 })
  id: string;
  @ApiProperty({ maxLength: 300 })
  nameZh: string;
  @ApiProperty({ maxLength: 300 })
  nameEn: string;
  @ApiProperty({ maxLength: 6 })
  region: string;
  @ApiProperty({ enum: PROGRAM_KINDS, enumName: 'ProgramKind' })
  kind: string;
  @ApiProperty({ maxLength: 300, required: false, nullable: true })
  operator?: string | null;
  @ApiProperty({ maxLength: 10, required: false, nullable: true })
  launchedOn?: string | null;
  @ApiProperty({ enum: DATE_PRECISIONS, enumName: 'DatePrecision', required: false, nullable: true })
  launchPrecision?: string | null;
  @ApiProperty({ maxLength: 5000 })
  descriptionZh: string;
  @ApiProperty({ maxLength: 5000 })
  descriptionEn: string;
  @ApiProperty({ maxLength: 100 })
  source: string;
  @ApiProperty({ maxLength: 5000 })
  quote: string;
}

export class BatchObservationDto {
  /** Natural key, with indicator, asOf and reporter. @example "330000" */
  @ApiProperty({ maxLength: 6 })
  region: string;
  /** @example "smb_outreach.enterprises_visited" */
  @ApiProperty({ maxLength: 100 })
  indicator: string;
  /** @example "2026-04-30" */
  @ApiProperty({ maxLength: 10 })
  asOf: string;
  /** Null for a regional total; the bank's or platform's name for its own figure. */
  @ApiProperty({ maxLength: 200, required: false, nullable: true })
  reporter?: string | null;
  /** Retract this observation (only the key fields are needed): it disappears from reads, its history stays. */
  retract?: boolean;
  @ApiProperty({ enum: AS_OF_PRECISIONS, enumName: 'AsOfPrecision', required: false })
  asOfPrecision?: string;
  asOfInferred?: boolean;
  @ApiProperty({ maxLength: 10, required: false, nullable: true })
  periodStart?: string | null;
  /** In base units; must equal valuePrinted × the scale of unitPrinted. @example 5960000 */
  value?: number;
  /** @example "596" */
  @ApiProperty({ maxLength: 50, required: false })
  valuePrinted?: string;
  /** @example "万家" */
  @ApiProperty({ maxLength: 20, required: false })
  unitPrinted?: string;
  @ApiProperty({ enum: QUALIFIERS, enumName: 'Qualifier', required: false })
  qualifier?: string;
  @ApiProperty({ maxLength: 100, required: false, nullable: true })
  program?: string | null;
  @ApiProperty({ maxLength: 100, required: false })
  source?: string;
  @ApiProperty({ maxLength: 5000, required: false })
  quote?: string;
  @ApiProperty({ maxLength: 5000, required: false, nullable: true })
  note?: string | null;
}

export class BatchDto {
  @ApiProperty({ type: [BatchTopicDto], maxItems: 10_000, required: false })
  topics?: BatchTopicDto[];
  @ApiProperty({ type: [BatchRegionDto], maxItems: 10_000, required: false })
  regions?: BatchRegionDto[];
  @ApiProperty({ type: [BatchSourceDto], maxItems: 10_000, required: false })
  sources?: BatchSourceDto[];
  @ApiProperty({ type: [BatchIndicatorDto], maxItems: 10_000, required: false })
  indicators?: BatchIndicatorDto[];
  @ApiProperty({ type: [BatchProgramDto], maxItems: 10_000, required: false })
  programs?: BatchProgramDto[];
  /** Up to 50,000 rows. */
  @ApiProperty({ type: [BatchObservationDto], maxItems: 50_000 })
  observations: BatchObservationDto[];
}

export class SubmitBatchQueryDto {
  /** Validate and report what would change, with before and after values, without writing. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}

export class BatchSummaryDto {
  /** @example 12 */
  id: number;
  @ApiProperty({ enum: ['api', 'schedule', 'cli', 'seed'], enumName: 'BatchOrigin' })
  origin: string;
  /** The API key that sent it (its name, never the key). */
  apiKeyName: string | null;
  /** The file or URL a scheduled or command-line pull read. */
  sourceName: string | null;
  @ApiProperty({ enum: ['running', 'applied', 'dry_run', 'rejected', 'failed'], enumName: 'BatchStatus' })
  status: string;
  dryRun: boolean;
  receivedAt: Date;
  finishedAt: Date | null;
  /** Created, updated and unchanged rows per section. */
  counts: Record<string, unknown> | null;
  /** Why it was rejected or failed. */
  error: string | null;
}

export class BatchDetailDto extends BatchSummaryDto {
  /** The response the sender received. */
  response: Record<string, unknown> | null;
}

export class BatchPageDto extends PageDto {
  data: BatchSummaryDto[];
}

export class ListBatchesQueryDto extends PageQueryDto {}
