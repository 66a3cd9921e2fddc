import type { Figure, IndicatorInfo, Pairing, Warning } from './comparison.js';

/** A value computed from two figures of the same region and date: numerator / denominator. */
export interface DerivedFigure extends Figure {
  numerator: Figure;
  denominator: Figure;
}

export interface DerivedDefinition extends IndicatorInfo {
  numerator: string;
  denominator: string;
}

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

/**
 * Derived values whose denominators are different (comparable) indicators, such as loans per
 * enterprise visited in Zhejiang against loans per business entity visited in Jiangsu.
 */
export function derivedInputWarning(cells: { region: string; indicator: string; figure: Figure | null }[], pairings: Pairing[]): Warning | null {
  const present = cells.filter((c) => c.figure && 'denominator' in c.figure) as { region: string; indicator: string; figure: DerivedFigure }[];
  const denominators = [...new Set(present.map((c) => c.figure.denominator.indicatorCode))];
  if (denominators.length < 2) return null;
  const caveat = pairings.find((p) => denominators.includes(p.code));
  return {
    code: 'DEFINITION_MISMATCH',
    messageEn: `The values divide by different indicators (${denominators.join(' vs ')}). ${caveat?.caveatEn ?? ''}`.trim(),
    messageZh: `各值的分母指标不同（${denominators.join(' 与 ')}）。${caveat?.caveatZh ?? ''}`.trim(),
    cells: present.map((c) => ({ region: c.region, indicator: c.indicator })),
  };
}
