import type { Figure } from './figure.js';
import type { IndicatorInfo } from './indicator-catalog.js';

/** A value computed from two figures of the same region and date: numerator / denominator. */
export interface DerivedFigure extends Figure {
  numerator: Figure;
  denominator: Figure;
}

export type DerivedDefinition = Pick<IndicatorInfo, 'code' | 'unit' | 'numerator' | 'denominator'>;

let nextSyntheticId = -1;

/**
 * Pairs each numerator figure with the denominator figure of the same region and as-of date; the
 * result is in percent when the derived unit is percent. Where a region lacks a pair, it has no
 * value, and compare reports it MISSING.
 */
export function derive(definition: DerivedDefinition, numerators: Figure[], denominators: Figure[]): DerivedFigure[] {
  const scale = definition.unit === 'percent' ? 100 : 1;
  return numerators.flatMap((numerator) => {
    const denominator = denominators.find((d) => d.regionCode === numerator.regionCode && d.asOf === numerator.asOf && d.value !== 0);
    if (!denominator) return [];
    return [
      {
        id: nextSyntheticId--,
        regionCode: numerator.regionCode,
        indicatorCode: definition.code,
        asOf: numerator.asOf,
        asOfPrecision: numerator.asOfPrecision,
        asOfInferred: numerator.asOfInferred || denominator.asOfInferred,
        periodStart: null,
        value: Number(((numerator.value / denominator.value) * scale).toPrecision(12)),
        // A ratio of two exact figures is exact; anything else is approximate.
        qualifier: numerator.qualifier === 'exact' && denominator.qualifier === 'exact' ? 'exact' : 'about',
        numerator,
        denominator,
      },
    ];
  });
}
