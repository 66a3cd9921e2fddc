import { IndicatorRefDto } from '../indicators/indicator.dto.js';
import { RegionDto } from '../regions/region.dto.js';
import { MAX_COMPARED } from '../compare/compare.dto.js';
import { NameParameter } from '../http/name-parameter.js';
import { REGION_SET_IDS } from '../figures/region-sets.js';
import { ChartQueryDto } from '../http/read-query.dto.js';

export class AvailabilityQueryDto extends ChartQueryDto {
  /** Comma-separated regions: GB/T 2260 codes, CN, names (浙江, 浙江省, Zhejiang) or a region set's id. */
  @NameParameter('regions', { list: MAX_COMPARED, example: '浙江,江苏' })
  region?: string[];

  /** A peer group from /v1/region-sets, instead of or added to `region`. */
  @NameParameter('regionSet', { enum: REGION_SET_IDS, example: 'yangtze-river-delta' })
  regionSet?: string;

  /** Comma-separated indicator codes. */
  @NameParameter('indicators', { list: MAX_COMPARED })
  indicator?: string[];

  /** Only indicators of this topic (see /v1/topics). */
  @NameParameter('topic', { example: 'smb_outreach' })
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
  /** The grid's rows: the regions asked for (each once, in order), else every region with a figure. */
  regions: RegionDto[];
  /** The grid's columns: the indicators asked for, else the topic's measured indicators, else every indicator with a figure. */
  indicators: IndicatorRefDto[];
  /** The pairs that have figures; a pair of the grid not listed has none. */
  data: AvailabilityEntryDto[];
}
