import { NameParameter } from '../http/name-parameter.js';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../http/pagination.dto.js';
import { REGION_LEVELS, type RegionLevel } from '../catalog/schema.js';

export const REGION_CODE_PATTERN = /^(CN|[1-9]\d{5})$/;

export class RegionRefDto {
  /** GB/T 2260 six-digit code; the nation is "CN". @example "330000" */
  code: string;
  /** @example "浙江省" */
  nameZh: string;
  /** @example "Zhejiang" */
  nameEn: string;
  /** nameZh or nameEn, following lang or Accept-Language. @example "Zhejiang" */
  name?: string;
  @ApiProperty({ enum: REGION_LEVELS, enumName: 'RegionLevel' })
  level: RegionLevel;
}

export class RegionDto extends RegionRefDto {
  /** Code of the enclosing region; null for the nation. @example "CN" */
  parentCode: string | null;
}

export class RegionPilotZoneDto {
  /** @example "杭州科创金融改革试验区" */
  nameZh: string;
  nameEn: string;
  /** @example 2022 */
  approvalYear: number;
}

export class RegionDetailDto extends RegionDto {
  parent: RegionRefDto | null;
  children: RegionRefDto[];
  /** The region's sci-tech finance reform pilot zone, if it hosts one. */
  pilotZone: RegionPilotZoneDto | null;
  /** Observations recorded for this region itself (not its children). */
  observationCount: number;
}

export class RegionPageDto extends PageDto {
  data: RegionDto[];
}

export class ListRegionsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(REGION_LEVELS)
  @ApiProperty({ enum: REGION_LEVELS, enumName: 'RegionLevel', required: false })
  level?: RegionLevel;

  /** Only the direct children of this region (code or name). */
  @NameParameter('region', { example: '浙江' })
  parent?: string;

  /** Part of a Chinese or English name, case-insensitive. @example "杭州" */
  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(1)
  @MaxLength(50)
  q?: string;
}
