import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** Every representation a read can answer in, by its `format` name, and its media type. */
export const MEDIA_TYPES = {
  json: 'application/json',
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  'vega-lite': 'application/vnd.vegalite.v6+json',
  svg: 'image/svg+xml',
} as const;
export type Representation = keyof typeof MEDIA_TYPES;

/** A listing also downloads whole as NDJSON. */
export const LISTING_FORMATS = ['json', 'csv', 'ndjson'] as const satisfies readonly Representation[];
/** A comparison is also a table (CSV) and a chart: its Vega-Lite spec, or that spec drawn as SVG. */
export const CHART_FORMATS = ['json', 'csv', 'vega-lite', 'svg'] as const satisfies readonly Representation[];

/** The `format` query parameter, offering these representations (the route's handler declares how it makes each). */
export const FormatParameter = (formats: readonly Representation[], enumName: string) =>
  applyDecorators(IsOptional(), IsIn(formats, { message: `format must be one of ${formats.join(', ')}` }), ApiProperty({ enum: formats, enumName, required: false }));

/** The media types of these representations, for @ApiProduces: the document lists what `format` offers. */
export const mediaTypesOf = (formats: readonly Representation[]): string[] => formats.map((format) => MEDIA_TYPES[format]);
