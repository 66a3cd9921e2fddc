import { NameParameter } from '../http/name-parameter.js';
import { ApiProperty } from '@nestjs/swagger';

import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../http/query-rules.js';

import { ChartQueryDto } from '../http/read-query.dto.js';
import { IndicatorRefDto } from '../indicators/indicator.dto.js';
import { UNITS, type Unit } from '../catalog/schema.js';
import { REGION_SET_IDS } from '../figures/region-sets.js';
import { RegionRefDto } from '../regions/region.dto.js';
import { CellObservationDto } from '../figures/figure.dto.js';
import { WARNING_CODES, type WarningCode } from '../comparability/comparability.js';
import { ComparisonWarningDto } from '../comparability/comparability.dto.js';
import { ALIGN_MODES, type AlignMode } from './rows.js';

export const MAX_COMPARED = 50;
export const COMPARE_SHAPES = ['long', 'wide'] as const;
export type CompareShape = (typeof COMPARE_SHAPES)[number];

export class CompareQueryDto extends ChartQueryDto {
  /** Comma-separated regions: GB/T 2260 codes, CN, names (浙江, 浙江省, Zhejiang) or a region set's id. */
  @NameParameter('regions', { list: MAX_COMPARED, example: '330000,320000', tryItOut: true })
  regions?: string[];

  /** A peer group from /v1/region-sets instead of (or added to) `regions`. */
  @NameParameter('regionSet', { enum: REGION_SET_IDS, example: 'yangtze-river-delta' })
  regionSet?: string;

  /** Comma-separated indicator codes; without it, every indicator any of the regions has (in `topic`, if given). @example "smb_outreach.enterprises_visited,smb_outreach.loans_disbursed_cumulative" */
  @NameParameter('indicators', { list: MAX_COMPARED, example: 'smb_outreach.enterprises_visited,smb_outreach.loans_disbursed_cumulative' })
  indicators?: string[];

  /** Only indicators of this topic, derived ones included. */
  @NameParameter('topic', { example: 'smb_outreach' })
  topic?: string;

  /** With latest-each and common-latest: ignore figures after this date. With exact: the only date used. @example "2026-04-30" */
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  /** The CSV's layout: long, a line per region and indicator (default); wide, a line per region and columns per indicator, with the warnings beside them. Only with CSV. */
  @IsOptional()
  @IsIn(COMPARE_SHAPES, { message: `shape must be one of ${COMPARE_SHAPES.join(', ')}` })
  @ApiProperty({ enum: COMPARE_SHAPES, enumName: 'CompareShape', required: false, default: 'long' })
  shape?: CompareShape;

  /** How each cell's figure is chosen. latest-each: each region's newest; common-latest: the newest date all regions share (else each region's newest, with a NO_COMMON_DATE warning); exact: only figures dated asOf. */
  @IsOptional()
  @IsIn(ALIGN_MODES, { message: `align must be one of ${ALIGN_MODES.join(', ')}` })
  @ApiProperty({ enum: ALIGN_MODES, enumName: 'AlignMode', required: false, default: 'latest-each' })
  align?: AlignMode;
}

export class ComparedRegionDto extends RegionRefDto {
  /** What the request said for this region, echoed back. @example "浙江" */
  input: string;
}

export class CompareCellDto {
  /** @example "330000" */
  region: string;
  /** The indicator of this cell's figure: the row's, or a comparable one paired into the row. */
  indicator: string;
  /** Null when the region has no figure under the alignment (see the MISSING warning). */
  observation: CellObservationDto | null;
  /** 1 for the highest value; ties share a rank. */
  rank: number | null;
  /** Share of the row total, for amounts and counts when three or more regions are compared. */
  share: number | null;
}

export class PairingDto {
  /** @example "smb_outreach.entities_visited" */
  code: string;
  caveatEn: string;
  caveatZh: string;
}

export class RowSummaryDto {
  /** Region with the highest value, or null on a tie or when fewer than two regions have a figure. @example "330000" */
  leader: string | null;
  /** First region's value minus the second's (two regions only), in `differenceUnit`. */
  difference: number | null;
  /** percentage_points when two percentages are compared. */
  @ApiProperty({ enum: UNITS, enumName: 'Unit', nullable: true })
  differenceUnit: Unit | null;
  /** First region's value divided by the second's (two regions only). */
  ratio: number | null;
}

export class CompareRowDto {
  indicator: IndicatorRefDto;
  /** Comparable indicators whose figures fill cells of this row, with the caveat. */
  pairedWith: PairingDto[];
  cells: CompareCellDto[];
  summary: RowSummaryDto;
  @ApiProperty({ enum: WARNING_CODES, enumName: 'WarningCode', isArray: true })
  warningCodes: WarningCode[];
}

export class CompareResponseDto {
  @ApiProperty({ enum: ALIGN_MODES, enumName: 'AlignMode' })
  align: AlignMode;
  asOf: string | null;
  regions: ComparedRegionDto[];
  rows: CompareRowDto[];
  warnings: ComparisonWarningDto[];
}
