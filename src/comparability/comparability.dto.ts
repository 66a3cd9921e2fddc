import { ApiProperty } from '@nestjs/swagger';
import { WARNING_CODES, type WarningCode } from './comparability.js';

export class CellRefDto {
  region: string;
  indicator: string;
}

export class ComparisonWarningDto {
  @ApiProperty({ enum: WARNING_CODES, enumName: 'WarningCode' })
  code: WarningCode;
  /** In the request's language (lang, else Accept-Language), naming regions and indicators by name. */
  message?: string;
  messageEn: string;
  messageZh: string;
  /** The cells the warning concerns. */
  cells: CellRefDto[];
  /** AS_OF_MISMATCH only: days between the earliest and the latest date. */
  gapDays?: number;
}
