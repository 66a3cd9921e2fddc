import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { TARGET_UNITS } from './display.js';
import { LANGUAGE_TAG } from './language.js';
import { CHART_FORMATS, FormatParameter } from './representations.js';

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

/** For the comparisons, which answer as a table and as a chart too. */
export class ChartQueryDto extends DisplayQueryDto {
  /**
   * csv: UTF-8 with a byte-order mark (also Accept: text/csv). vega-lite: a Vega-Lite v6 spec with
   * its data inline, for vega-embed (also Accept: application/vnd.vegalite.v6+json). svg: that chart
   * drawn on the server, for an <img> (also Accept: image/svg+xml).
   */
  @FormatParameter(CHART_FORMATS, 'ChartFormat')
  format?: (typeof CHART_FORMATS)[number];
}
