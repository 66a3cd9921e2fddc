import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { ComparisonWarningDto } from '../comparability/comparability.dto.js';
import { CellObservationDto } from '../figures/figure.dto.js';
import { NameParameter } from '../http/name-parameter.js';
import { REGION_SET_IDS } from '../figures/region-sets.js';
import { IsCalendarDate, IsWholeNumber } from '../http/query-rules.js';
import { ChartQueryDto } from '../http/read-query.dto.js';
import { IndicatorRefDto } from '../indicators/indicator.dto.js';
import { PageDto } from '../http/pagination.dto.js';
import { RegionRefDto } from '../regions/region.dto.js';
import { REGION_LEVELS, type RegionLevel } from '../catalog/schema.js';

export const MAX_RANKING_PAGE_SIZE = 5000;

export class RankingQueryDto extends ChartQueryDto {
  /** Only regions of this level. Without it, every province, city and district with a figure. */
  @IsOptional()
  @IsIn(REGION_LEVELS, { message: `level must be one of ${REGION_LEVELS.join(', ')}` })
  @ApiProperty({ enum: REGION_LEVELS, enumName: 'RegionLevel', required: false, example: 'province' })
  level?: RegionLevel;

  /** Only the direct children of this region (code or name). */
  @NameParameter('region', { example: '江苏' })
  parent?: string;

  /** A peer group from /v1/region-sets: only its members are ranked. */
  @NameParameter('regionSet', { enum: REGION_SET_IDS, example: 'yangtze-river-delta' })
  regionSet?: string;

  /** Each region's newest figure on or before this date. @example "2026-04-30" */
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  /** 1-based page of the ranking. */
  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, 1_000_000)
  page?: number = 1;

  /** Entries per page. Up to 5000, so that every county-level region of the country fits in one page, as a map needs. */
  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, MAX_RANKING_PAGE_SIZE)
  pageSize?: number = 50;
}

export class RankingEntryDto {
  /** 1 for the highest value; ties share a rank. */
  rank: number;
  region: RegionRefDto;
  observation: CellObservationDto;
}

export class RankingDto extends PageDto {
  indicator: IndicatorRefDto;
  asOf: string | null;
  /** This page of the regions ordered by value, highest first; ranks count every region ranked (meta.total), not the page. */
  entries: RankingEntryDto[];
  /** The national figure for the same indicator, for reference; not ranked. */
  nationalBaseline: CellObservationDto | null;
  /** Of the whole ranking, not only this page: AS_OF_MISMATCH whenever the ranked figures are not all of one date; APPROXIMATE and INFERRED_DATE per figure. */
  warnings: ComparisonWarningDto[];
}
