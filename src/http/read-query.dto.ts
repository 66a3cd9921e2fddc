import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { TARGET_UNITS } from './display.js';
import { LANGUAGE_TAG } from './language.js';

/** The query parameter every read accepts. */
export class LanguageQueryDto {
  /** Language of `name`, `display` and warning messages: zh or en, or a tag such as zh-CN, zh-Hans or en-US; defaults to Accept-Language (with its q-values), then English. */
  @IsOptional()
  @Matches(LANGUAGE_TAG, { message: 'lang must be zh or en, or a language tag of either such as zh-CN, zh-Hans or en-US' })
  @ApiProperty({ type: String, required: false, example: 'zh', maxLength: 35 })
  lang?: string;
}

/** Query parameters every read of figures accepts. */
export class DisplayQueryDto extends LanguageQueryDto {
  /** Adds `scaled: { value, unit }` to every figure in this unit's base unit (yuan or count); `value` stays in base units. */
  @IsOptional()
  @IsIn(Object.keys(TARGET_UNITS), { message: `normalizeTo must be one of ${Object.keys(TARGET_UNITS).join(', ')}` })
  @ApiProperty({ enum: Object.keys(TARGET_UNITS), enumName: 'TargetUnit', required: false, example: '亿元' })
  normalizeTo?: string;
}

export const FORMATS = ['json', 'csv'] as const;
/** A listing also downloads whole as NDJSON. */
export const LISTING_FORMATS = ['json', 'csv', 'ndjson'] as const;

/** For endpoints that also speak CSV. */
export class ExportQueryDto extends DisplayQueryDto {
  /** csv: UTF-8 with a byte-order mark (also chosen by Accept: text/csv). */
  @IsOptional()
  @IsIn(FORMATS, { message: 'format must be json or csv' })
  @ApiProperty({ enum: FORMATS, enumName: 'Format', required: false })
  format?: (typeof FORMATS)[number];
}
