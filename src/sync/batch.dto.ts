import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MEASURE_TYPES, UNITS } from '../indicators/indicator.entity.js';
import { AS_OF_PRECISIONS, QUALIFIERS } from '../observations/observation.entity.js';
import { PROGRAM_KINDS } from '../programs/program.entity.js';
import { DATE_PRECISIONS } from '../sources/source.entity.js';
import { PageDto, PageQueryDto } from '../http/pagination.dto.js';

// The batch format, for the OpenAPI document. The rows are checked by parseBatch, which names each bad row by index and field.

export class BatchTopicDto {
  code: string;
  nameZh: string;
  nameEn: string;
}

export class BatchRegionDto {
  /** GB/T 2260 code; the Chinese name, level and parent come from the standard. @example "340100" */
  code: string;
  /** @example "Hefei" */
  nameEn: string;
}

export class BatchSourceDto {
  id: string;
  fileName: string;
  headline: string;
  publisher: string;
  publishedOn: string;
  @ApiProperty({ enum: DATE_PRECISIONS })
  publishedPrecision: string;
  publishedInferred: boolean;
  note?: string | null;
}

export class BatchIndicatorDto {
  code: string;
  nameZh: string;
  nameEn: string;
  topic: string;
  @ApiProperty({ enum: UNITS })
  unit: string;
  @ApiProperty({ enum: MEASURE_TYPES })
  measureType: string;
  definitionZh: string;
  definitionEn: string;
}

export class BatchProgramDto {
  id: string;
  nameZh: string;
  nameEn: string;
  region: string;
  @ApiProperty({ enum: PROGRAM_KINDS })
  kind: string;
  operator?: string | null;
  launchedOn?: string | null;
  @ApiProperty({ enum: DATE_PRECISIONS, required: false, nullable: true })
  launchPrecision?: string | null;
  descriptionZh: string;
  descriptionEn: string;
  source: string;
  quote: string;
}

export class BatchObservationDto {
  /** Natural key, with indicator, asOf and reporter. @example "330000" */
  region: string;
  /** @example "smb_outreach.enterprises_visited" */
  indicator: string;
  /** @example "2026-04-30" */
  asOf: string;
  /** Null for a regional total; the bank's or platform's name for its own figure. */
  reporter?: string | null;
  /** Retract this observation (only the key fields are needed): it disappears from reads, its history stays. */
  retract?: boolean;
  @ApiProperty({ enum: AS_OF_PRECISIONS, required: false })
  asOfPrecision?: string;
  asOfInferred?: boolean;
  periodStart?: string | null;
  /** In base units; must equal valuePrinted × the scale of unitPrinted. @example 5960000 */
  value?: number;
  /** @example "596" */
  valuePrinted?: string;
  /** @example "万家" */
  unitPrinted?: string;
  @ApiProperty({ enum: QUALIFIERS, required: false })
  qualifier?: string;
  program?: string | null;
  source?: string;
  quote?: string;
  note?: string | null;
}

export class BatchDto {
  topics?: BatchTopicDto[];
  regions?: BatchRegionDto[];
  sources?: BatchSourceDto[];
  indicators?: BatchIndicatorDto[];
  programs?: BatchProgramDto[];
  /** Up to 50,000 rows. */
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
  @ApiProperty({ enum: ['api', 'schedule', 'cli', 'seed'] })
  origin: string;
  /** The API key that sent it (its name, never the key). */
  apiKeyName: string | null;
  /** The file or URL a scheduled or command-line pull read. */
  sourceName: string | null;
  @ApiProperty({ enum: ['running', 'applied', 'dry_run', 'rejected', 'failed'] })
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
