import type { MeasureType, Unit } from '../indicators/indicator.entity.js';
import type { AsOfPrecision, Qualifier } from '../observations/observation.entity.js';
import type { ProgramKind } from '../programs/program.entity.js';
import type { RegionLevel } from '../regions/region.entity.js';
import type { DatePrecision } from '../sources/source.entity.js';

/** The shapes a seed (and later a sync batch) writes, keyed by natural keys. */
export interface TopicRow {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface RegionRow {
  code: string;
  nameZh: string;
  nameEn: string;
  level: RegionLevel;
  parentCode: string | null;
}

export interface SourceRow {
  id: string;
  fileName: string;
  headline: string;
  publisher: string;
  publishedOn: string;
  publishedPrecision: DatePrecision;
  publishedInferred: boolean;
  note?: string | null;
}

export interface IndicatorRow {
  code: string;
  nameZh: string;
  nameEn: string;
  topic: string;
  unit: Unit;
  measureType: MeasureType;
  definitionZh: string;
  definitionEn: string;
  comparableWith?: { code: string; caveatEn: string; caveatZh: string }[];
  /** A derived indicator is numerator / denominator (times 100 when its unit is percent), computed on request. */
  derivedFrom?: { numerator: string; denominator: string } | null;
}

export interface ProgramRow {
  id: string;
  nameZh: string;
  nameEn: string;
  region: string;
  kind: ProgramKind;
  operator?: string | null;
  launchedOn?: string | null;
  launchPrecision?: DatePrecision | null;
  descriptionZh: string;
  descriptionEn: string;
  source: string;
  quote: string;
}

export interface PilotZoneRow {
  region: string;
  nameZh: string;
  nameEn: string;
  approvalYear: number;
  batch: number;
  planDocument: string | null;
  note?: string | null;
  source: string;
  quote: string;
  distinctions: { textZh: string; textEn: string; source: string; quote: string }[];
}

export interface ObservationRow {
  region: string;
  indicator: string;
  asOf: string;
  asOfPrecision: AsOfPrecision;
  asOfInferred: boolean;
  periodStart?: string | null;
  value: number;
  valuePrinted: string;
  unitPrinted: string;
  qualifier: Qualifier;
  reporter?: string | null;
  program?: string | null;
  source: string;
  quote: string;
  note?: string | null;
}

export interface Catalog {
  topics: TopicRow[];
  regions: RegionRow[];
  sources: SourceRow[];
  indicators: IndicatorRow[];
  programs: ProgramRow[];
  pilotZones: PilotZoneRow[];
  observations: ObservationRow[];
}

export interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
}
