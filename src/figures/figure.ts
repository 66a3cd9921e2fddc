import type { AsOfPrecision, Qualifier } from '../catalog/schema.js';
import type { IndicatorInfo, Pairing } from './indicator-catalog.js';

/** A figure as compare, rankings and profiles reason about it: where it stands, when, and how sure. */
export interface Figure {
  id: number;
  regionCode: string;
  indicatorCode: string;
  asOf: string;
  asOfPrecision: AsOfPrecision;
  asOfInferred: boolean;
  periodStart: string | null;
  value: number;
  qualifier: Qualifier;
  /** A derived value's inputs. */
  numerator?: Figure;
  denominator?: Figure;
}

export interface Named {
  nameZh: string;
  nameEn: string;
}

/** How regions and indicators are named in words meant for people. */
export interface Names {
  region(code: string): Named;
  indicator(code: string): Named;
}

/** The names and indicator facts warnings are worded with, as the Vocabulary keeps them per data version. */
export interface Catalogue {
  names: Names;
  indicators: (code: string) => IndicatorInfo;
  /** Comparable indicators of each indicator, both ways round, the closest first. */
  pairings: (code: string) => Pairing[];
}
