import { ApiProperty } from '@nestjs/swagger';
import { PageDto, PageQueryDto } from '../http/pagination.dto.js';
import { SourceRefDto } from '../figures/figure.dto.js';
import { DATE_PRECISIONS, type DatePrecision } from '../catalog/schema.js';

export class SourceDto extends SourceRefDto {
  /** @example "金融业服务小微如何提质" */
  headline: string;
  /** @example "经济日报" */
  publisher: string;
  /** Publication date; when inferred, the end of the period the article's events place it in. @example "2026-05-31" */
  publishedOn: string;
  @ApiProperty({ enum: DATE_PRECISIONS, enumName: 'DatePrecision' })
  publishedPrecision: DatePrecision;
  /** True when the date is not printed in the document and was inferred from the events it reports. */
  publishedInferred: boolean;
  note: string | null;
  /** Observations citing this document. */
  observationCount: number;
}

export class SourcePageDto extends PageDto {
  data: SourceDto[];
}

export class ListSourcesQueryDto extends PageQueryDto {}
