import { NameParameter } from '../http/name-parameter.js';

import { CompareResponseDto, MAX_COMPARED } from '../compare/compare.dto.js';

import { DisplayQueryDto } from '../http/read-query.dto.js';
import { RegionRefDto } from '../regions/region.dto.js';
import { SourceRefDto } from '../figures/figure.dto.js';

export class DistinctionDto {
  /** What sets the zone apart, in Chinese. */
  textZh: string;
  /** @example "The country's first sci-tech finance reform pilot zone" */
  textEn: string;
  source: SourceRefDto;
  /** The clause that states it, verbatim. */
  quote: string;
}

export class PilotZoneProgramDto {
  /** @example "wode-maitian" */
  id: string;
  nameZh: string;
  nameEn: string;
}

export class PilotZoneDto {
  /** @example "370100" */
  regionCode: string;
  region: RegionRefDto;
  /** @example "济南科创金融改革试验区" */
  nameZh: string;
  nameEn: string;
  /** Year the State Council approved the zone. @example 2021 */
  approvalYear: number;
  /** Order of approval: 1 for Jinan (2021), 2 for the five zones of 2022, 3 for Zhongguancun (2023). @example 1 */
  batch: number;
  /** The plan document as printed, or null when the source does not name it. */
  planDocument: string | null;
  source: SourceRefDto;
  quote: string;
  /** What was inferred rather than printed (batch numbers, a title split across the page). */
  note: string | null;
  distinctions: DistinctionDto[];
  /** Named schemes and platforms in the zone's region. */
  programs: PilotZoneProgramDto[];
  /** Observations recorded for the zone's region. */
  observationCount: number;
}

export class PilotZoneListDto {
  data: PilotZoneDto[];
}

export class PilotZoneComparisonQueryDto extends DisplayQueryDto {
  /** Comma-separated zone regions (codes or names); all seven when omitted. */
  @NameParameter('regions', { list: MAX_COMPARED, example: '济南,合肥,嘉兴' })
  zones?: string[];
}

export class PilotZoneComparisonDto {
  /** The zones' records: approval year, batch, plan document, distinctions. */
  zones: PilotZoneDto[];
  /** Their figures by indicator, as /v1/compare returns them. */
  comparison: CompareResponseDto;
}
