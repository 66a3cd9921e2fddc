import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageDto, PageQueryDto } from '../http/pagination.dto.js';

// The batch itself is declared once, in src/catalog/schema.ts; these are the endpoint's parameters and answers.

export class SubmitBatchQueryDto {
  /** Validate and report what would change, with before and after values, without writing. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}

export class BatchReportDto {
  /** @example 12 */
  batchId: number;
  @ApiProperty({ enum: ['applied', 'dry_run'] })
  status: string;
  dryRun: boolean;
  /** Created, updated and unchanged rows per section; retracted and unchanged retractions. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer', format: 'int32', minimum: 0, maximum: 50_000 } } })
  counts: Record<string, Record<string, number>>;
  /** A dry run's changes: each figure with the fields that would change, before and after. */
  @ApiProperty({ type: 'array', items: { type: 'object' }, required: false })
  updates?: object[];
}

/** A batch as anyone may see it: what happened and how much, not what was sent or why it failed. */
export class BatchSummaryDto {
  /** @example 12 */
  id: number;
  @ApiProperty({ enum: ['api', 'schedule', 'cli', 'seed'], enumName: 'BatchOrigin' })
  origin: string;
  @ApiProperty({ enum: ['running', 'applied', 'dry_run', 'rejected', 'failed', 'interrupted'], enumName: 'BatchStatus' })
  status: string;
  dryRun: boolean;
  receivedAt: Date;
  finishedAt: Date | null;
  /** Created, updated and unchanged rows per section. */
  counts: Record<string, unknown> | null;
  /** The API key that sent it (its name, never the key). Only to a key with the sync:read scope. */
  @ApiProperty({ required: false, nullable: true, type: String })
  apiKeyName?: string | null;
  /** The file or URL a scheduled or command-line pull read, without credentials. Only to a key with the sync:read scope. */
  @ApiProperty({ required: false, nullable: true, type: String })
  sourceName?: string | null;
  /** Why it was rejected or failed. Only to a key with the sync:read scope. */
  @ApiProperty({ required: false, nullable: true, type: String })
  error?: string | null;
}

export class BatchDetailDto extends BatchSummaryDto {
  /** The response the sender received, its status and body (a dry run's proposed values too). Only to a key with the sync:read scope. */
  @ApiProperty({ required: false, nullable: true, type: Object })
  response?: Record<string, unknown> | null;
}

export class BatchPageDto extends PageDto {
  data: BatchSummaryDto[];
}

export class ListBatchesQueryDto extends PageQueryDto {}
