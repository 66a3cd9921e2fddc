import { ApiProperty } from '@nestjs/swagger';
import { PageDto, PageQueryDto } from '../http/pagination.dto.js';

export class SnapshotDayDto {
  /** A day (in China, UTC+8) on which batches were applied; the snapshot of any day holds what was published by its end. @example "2026-12-03" */
  date: string;
  /** The snapshot's descriptor. @example "/v1/snapshots/2026-12-03/datapackage.json" */
  url: string;
  /** When the day's last batch was applied. */
  lastWritten: Date;
}

export class SnapshotDayPageDto extends PageDto {
  data: SnapshotDayDto[];
}

export class ListSnapshotsQueryDto extends PageQueryDto {}

export class DataPackageLicenseDto {
  /** @example "CC-BY-4.0" */
  name: string;
  title: string;
  path: string;
}

export class DataPackageSourceDto {
  /** @example "经济日报: 金融业服务小微如何提质 (2026-05-31)" */
  title: string;
  /** The source's id in this API, at /v1/sources/{id}. @example "002_caa4a03adb5becde" */
  id: string;
}

export class DataResourceDto {
  /** @example "observations" */
  name: string;
  /** Relative to the descriptor. @example "observations.csv" */
  path: string;
  title: string;
  description: string;
  @ApiProperty({ enum: ['tabular-data-resource'] })
  profile: 'tabular-data-resource';
  @ApiProperty({ enum: ['csv'] })
  format: 'csv';
  @ApiProperty({ enum: ['text/csv'] })
  mediatype: 'text/csv';
  @ApiProperty({ enum: ['utf-8'] })
  encoding: 'utf-8';
  /** The file's size. */
  bytes: number;
  /** sha256 of the file's bytes, as Frictionless writes it. @example "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" */
  hash: string;
  /** CSV Dialect: RFC 4180 with CRLF line ends and a header row. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  dialect: Record<string, unknown>;
  /** Table Schema: each column's type and constraints, the key, and the references to other files. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  schema: Record<string, unknown>;
}

/** A Frictionless Tabular Data Package descriptor (datapackage.json). */
export class DataPackageDto {
  @ApiProperty({ enum: ['tabular-data-package'] })
  profile: 'tabular-data-package';
  /** @example "regional-finance-figures" */
  name: string;
  title: string;
  description: string;
  /** The day the snapshot is of. @example "2026-12-03" */
  version: string;
  /** When the newest batch it holds was applied. */
  created: Date;
  licenses: DataPackageLicenseDto[];
  /** The documents every figure cites. */
  sources: DataPackageSourceDto[];
  resources: DataResourceDto[];
}
