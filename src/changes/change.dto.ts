import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import { IsWholeNumber } from '../http/query-rules.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { RevisionDto } from '../observations/observation.dto.js';

export class ChangesQueryDto extends DisplayQueryDto {
  /** The cursor from the previous page's nextCursor; omit it to start from the beginning. @example "120" */
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'since must be a cursor returned as nextCursor by a previous call' })
  since?: string;

  /** Changes per page. */
  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, 1000)
  limit?: number = 500;
}

export class ChangeDto {
  /** Position in the feed; strictly increasing in commit order. */
  seq: number;
  @ApiProperty({ enum: ['insert', 'update', 'retract'], enumName: 'ChangeKind' })
  kind: string;
  observationId: number;
  region: string;
  indicator: string;
  reporter: string | null;
  batchId: number | null;
  changedAt: Date;
  /** The values the change wrote. */
  revision: RevisionDto;
}

export class ChangePageDto {
  data: ChangeDto[];
  /** Pass as since to get what came after this page; equal to since when nothing did. */
  nextCursor: string;
  /** True when more changes are waiting beyond this page. */
  hasMore: boolean;
}
