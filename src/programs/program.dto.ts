import { NameParameter } from '../http/name-parameter.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageDto, PageQueryDto } from '../http/pagination.dto.js';
import { IndicatorRefDto } from '../indicators/indicator.dto.js';
import { UNITS, type Unit } from '../catalog/schema.js';
import { ObservationDto } from '../observations/observation.dto.js';
import { QUALIFIERS, type Qualifier } from '../catalog/schema.js';
import { RegionRefDto } from '../regions/region.dto.js';
import { DATE_PRECISIONS, type DatePrecision } from '../catalog/schema.js';
import { SourceRefDto } from '../figures/figure.dto.js';
import { PROGRAM_KINDS, type ProgramKind } from '../catalog/schema.js';

export class ProgramDto {
  /** @example "zheke-joint-loan" */
  id: string;
  /** @example "浙科联合贷" */
  nameZh: string;
  nameEn: string;
  region: RegionRefDto;
  @ApiProperty({ enum: PROGRAM_KINDS, enumName: 'ProgramKind' })
  kind: ProgramKind;
  /** Who runs it, as printed. */
  operator: string | null;
  launchedOn: string | null;
  @ApiProperty({ enum: DATE_PRECISIONS, enumName: 'DatePrecision', nullable: true })
  launchPrecision: DatePrecision | null;
  descriptionZh: string;
  descriptionEn: string;
  source: SourceRefDto;
  quote: string;
  observationCount: number;
}

export class DerivedProgramFigureDto {
  indicator: IndicatorRefDto;
  /** Numerator over denominator, in the indicator's unit. @example 55177664.9746 */
  value: number;
  @ApiProperty({ enum: UNITS, enumName: 'Unit' })
  unit: Unit;
  @ApiProperty({ enum: QUALIFIERS, enumName: 'Qualifier' })
  qualifier: Qualifier;
  asOf: string;
  asOfInferred: boolean;
  /** The two observations it is computed from, with their citations. */
  inputs: ObservationDto[];
}

export class ProgramDetailDto extends ProgramDto {
  /** The program's own figures. */
  observations: ObservationDto[];
  /** Derived indicators computed from the program's own figures (e.g. loans per enterprise). */
  derivedFigures: DerivedProgramFigureDto[];
}

export class ProgramPageDto extends PageDto {
  data: ProgramDto[];
}

export class ListProgramsQueryDto extends PageQueryDto {
  /** Only programs in this region (code or name). */
  @NameParameter('region', { example: '浙江' })
  region?: string;

  @IsOptional()
  @IsIn(PROGRAM_KINDS)
  @ApiProperty({ enum: PROGRAM_KINDS, enumName: 'ProgramKind', required: false })
  kind?: ProgramKind;
}
