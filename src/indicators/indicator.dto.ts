import { NameParameter } from '../http/name-parameter.js';
import { ApiProperty } from '@nestjs/swagger';

import { PageDto, PageQueryDto } from '../http/pagination.dto.js';
import { INDICATOR_KINDS, MEASURE_TYPES, UNITS, type IndicatorKind, type MeasureType, type Unit } from '../catalog/schema.js';

export const INDICATOR_CODE_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
export const TOPIC_CODE_PATTERN = /^[a-z][a-z0-9_]*$/;

export class IndicatorRefDto {
  /** @example "smb_outreach.enterprises_visited" */
  code: string;
  /** @example "走访企业数" */
  nameZh: string;
  /** @example "Enterprises visited" */
  nameEn: string;
  /** nameZh or nameEn, following lang or Accept-Language. */
  name?: string;
  /** @example "smb_outreach" */
  topic: string;
  @ApiProperty({ enum: UNITS, enumName: 'Unit' })
  unit: Unit;
  @ApiProperty({ enum: MEASURE_TYPES, enumName: 'MeasureType' })
  measureType: MeasureType;
}

export class ComparableIndicatorDto {
  /** @example "smb_outreach.entities_visited" */
  code: string;
  nameZh: string;
  nameEn: string;
  /** Why comparing the two needs care. */
  caveatEn: string;
  caveatZh: string;
}

export class FormulaDto {
  /** @example "smb_outreach.entities_granted_credit" */
  numerator: string;
  /** @example "smb_outreach.enterprises_visited" */
  denominator: string;
  /** @example "smb_outreach.entities_granted_credit / smb_outreach.enterprises_visited × 100" */
  expression: string;
}

export class IndicatorDto extends IndicatorRefDto {
  definitionZh: string;
  definitionEn: string;
  /** measured: figures come from the sources; derived: computed on request from two other indicators. */
  @ApiProperty({ enum: INDICATOR_KINDS, enumName: 'IndicatorKind' })
  kind: IndicatorKind;
  /** How a derived indicator is computed; null for a measured one. A region whose denominator is a comparable indicator (business entities for enterprises) uses it, with a DEFINITION_MISMATCH warning. */
  formula: FormulaDto | null;
  /** Indicators this one may be set beside, each with its caveat. */
  comparableWith: ComparableIndicatorDto[];
  /** Observations recorded for this indicator. */
  observationCount: number;
  /** Regions with at least one observation. */
  regionCount: number;
}

export class IndicatorPageDto extends PageDto {
  data: IndicatorDto[];
}

export class ListIndicatorsQueryDto extends PageQueryDto {
  /** Only indicators of this topic (see /v1/topics). */
  @NameParameter('topic', { example: 'smb_outreach' })
  topic?: string;
}

export class TopicDto {
  /** @example "smb_outreach" */
  code: string;
  nameZh: string;
  nameEn: string;
  indicatorCount: number;
}

export class TopicListDto {
  data: TopicDto[];
}
