import { ApiProperty } from '@nestjs/swagger';
import { ComparisonWarningDto } from '../comparability/comparability.dto.js';
import { WARNING_CODES, type WarningCode } from '../comparability/comparability.js';
import { CellObservationDto } from '../figures/figure.dto.js';
import { IndicatorRefDto } from '../indicators/indicator.dto.js';
import { PROGRAM_KINDS, type ProgramKind } from '../catalog/schema.js';
import { RegionDto } from './region.dto.js';

export class ProfileFigureDto {
  indicator: IndicatorRefDto;
  /** The region's newest regional total for the indicator (a derived value: with its inputs). */
  observation: CellObservationDto;
  /** The national figure of the same date when there is one, else the nearest (see warnings); of the same indicator, or of a comparable one (see baselineCaveatEn). */
  nationalBaseline: CellObservationDto | null;
  /** The indicator of the national baseline, when it is a comparable one rather than the same. */
  baselineIndicator: string | null;
  baselineCaveatEn: string | null;
  baselineCaveatZh: string | null;
  // Described on RegionProfileDto.warnings: a description here would land on the shared WarningCode enum.
  @ApiProperty({ enum: WARNING_CODES, enumName: 'WarningCode', isArray: true })
  warningCodes: WarningCode[];
}

export class ProfileTopicDto {
  /** @example "smb_outreach" */
  code: string;
  nameZh: string;
  nameEn: string;
  figures: ProfileFigureDto[];
}

export class InstitutionFigureDto {
  /** The bank or platform whose own figure this is; not a regional total. @example "杭州银行" */
  reporter: string;
  indicator: IndicatorRefDto;
  observation: CellObservationDto;
}

export class ProfileProgramDto {
  /** @example "zheke-joint-loan" */
  id: string;
  nameZh: string;
  nameEn: string;
  @ApiProperty({ enum: PROGRAM_KINDS, enumName: 'ProgramKind' })
  kind: ProgramKind;
}

export class ProfileDistinctionDto {
  textZh: string;
  textEn: string;
  quote: string;
}

export class ProfilePilotZoneDto {
  nameZh: string;
  nameEn: string;
  approvalYear: number;
  batch: number;
  planDocument: string | null;
  distinctions: ProfileDistinctionDto[];
}

export class RegionProfileDto {
  region: RegionDto;
  /** The region's newest figure for every indicator it has, grouped by topic, each with the national baseline. */
  topics: ProfileTopicDto[];
  /** What to bear in mind reading each figure and its baseline (an approximate value, an inferred date, a baseline of another date or definition): every warning once, with the cells it concerns; each figure lists the codes of its own in `warningCodes`. */
  warnings: ComparisonWarningDto[];
  /** Newest figures that banks, platforms and programmes in the region report for themselves. */
  institutionFigures: InstitutionFigureDto[];
  programs: ProfileProgramDto[];
  pilotZone: ProfilePilotZoneDto | null;
}
