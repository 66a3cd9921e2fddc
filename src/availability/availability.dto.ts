import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, Matches } from 'class-validator';
import { MAX_COMPARED } from '../compare/compare.dto.js';
import { commaList } from '../http/comma-list.js';
import { DisplayQueryDto } from '../http/display.js';
import { REGION_SET_IDS } from '../region-sets/region-sets.service.js';
import { INDICATOR_CODE_PATTERN, TOPIC_CODE_PATTERN } from '../indicators/indicator.dto.js';

export class AvailabilityQueryDto extends DisplayQueryDto {
  /** Comma-separated regions (codes or names). @example "330000,320000" */
  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(MAX_COMPARED)
  @ApiProperty({ type: String, required: false, example: '330000,320000' })
  region?: string[];

  /** A peer group from /v1/region-sets, instead of or added to `region`. */
  @IsOptional()
  @IsIn(REGION_SET_IDS, { message: `regionSet must be one of ${REGION_SET_IDS.join(', ')}` })
  @ApiProperty({ enum: REGION_SET_IDS, enumName: 'RegionSetId', required: false })
  regionSet?: string;

  /** Comma-separated indicator codes. */
  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(MAX_COMPARED)
  @Matches(INDICATOR_CODE_PATTERN, { each: true, message: 'indicator must list indicator codes, separated by commas' })
  @ApiProperty({ type: String, required: false })
  indicator?: string[];

  /** @example "smb_outreach" */
  @IsOptional()
  @Matches(TOPIC_CODE_PATTERN, { message: 'topic must be a topic code such as smb_outreach (see /v1/topics)' })
  topic?: string;
}

export class AvailabilityEntryDto {
  /** @example "330000" */
  region: string;
  /** @example "smb_outreach.enterprises_visited" */
  indicator: string;
  /** @example "smb_outreach" */
  topic: string;
  /** Regional totals available (what compare and rankings use). */
  count: number;
  /** @example "2026-04-30" */
  firstAsOf: string;
  /** @example "2026-04-30" */
  lastAsOf: string;
}

export class AvailabilityDto {
  data: AvailabilityEntryDto[];
}
