import { ApiProperty } from '@nestjs/swagger';
import { AS_OF_PRECISIONS, QUALIFIERS, UNITS, type AsOfPrecision, type Qualifier, type Unit } from '../catalog/schema.js';

// The response shapes of one figure with its citation, shared by every endpoint that serves figures.

export class SourceRefDto {
  /** @example "002_caa4a03adb5becde" */
  id: string;
  /** @example "002_caa4a03adb5becde.txt" */
  fileName: string;
}

/** A figure rescaled to the unit asked for with normalizeTo. */
export class ScaledValueDto {
  /** @example 65000 */
  value: number;
  /** @example "亿元" */
  unit: string;
}

export class CellObservationDto {
  /** Observation id; GET /v1/observations/{id} has the full record. Null for a derived value. */
  id: number | null;
  /** In base units (yuan, count, percent). @example 6500000000000 */
  value: number;
  @ApiProperty({ enum: UNITS, enumName: 'Unit' })
  unit: Unit;
  /** @example "6.5" */
  valuePrinted: string;
  /** @example "万亿元" */
  unitPrinted: string;
  @ApiProperty({ enum: QUALIFIERS, enumName: 'Qualifier' })
  qualifier: Qualifier;
  /** The period actually used for this cell. @example "2026-04-30" */
  asOf: string;
  @ApiProperty({ enum: AS_OF_PRECISIONS, enumName: 'AsOfPrecision' })
  asOfPrecision: AsOfPrecision;
  asOfInferred: boolean;
  periodStart: string | null;
  /** Null for a derived value: its inputs carry the citations. */
  source: SourceRefDto | null;
  /** The verbatim clause the figure comes from; null for a derived value. */
  quote: string | null;
  /** A derived value's numerator and denominator, each with its citation. */
  inputs?: CellObservationDto[];
  /** The figure for reading, in the language asked for (lang or Accept-Language). @example "about 6.5 trillion yuan" */
  display?: string;
  /** Present with normalizeTo when the figure's base unit matches. */
  scaled?: ScaledValueDto;
}
