import type { Figure } from '../../src/comparability/comparability.js';
import { derive, type DerivedDefinition } from '../../src/figures/derived.js';

const figure = (regionCode: string, indicatorCode: string, asOf: string, value: number, over: Partial<Figure> = {}): Figure => ({
  id: 1,
  regionCode,
  indicatorCode,
  asOf,
  asOfPrecision: 'month',
  asOfInferred: false,
  periodStart: null,
  value,
  qualifier: 'exact',
  ...over,
});
const definition = (unit: 'percent' | 'CNY'): DerivedDefinition => ({ code: 'x.ratio', unit, numerator: 'x.num', denominator: 'x.den' });

describe('derived indicators', () => {
  it('divides figures of the same region and date, in percent for a percent unit', () => {
    const [credit] = derive(definition('percent'), [figure('330000', 'x.num', '2026-04-30', 1_470_000)], [figure('330000', 'x.den', '2026-04-30', 5_960_000)]);
    expect(credit.value).toBeCloseTo(24.6644295302, 9);
    expect(credit.qualifier).toBe('exact');
    expect(credit.numerator.value).toBe(1_470_000);
  });

  it('gives yuan per firm for a CNY unit', () => {
    const [perFirm] = derive(definition('CNY'), [figure('330000', 'x.num', '2025-12-31', 10_870_000_000)], [figure('330000', 'x.den', '2025-12-31', 197)]);
    expect(perFirm.value).toBe(55_177_664.9746);
  });

  it('needs a denominator of the same region and date, and not zero', () => {
    expect(derive(definition('CNY'), [figure('A', 'x.num', '2025-12-31', 1)], [figure('A', 'x.den', '2025-11-30', 2)])).toEqual([]);
    expect(derive(definition('CNY'), [figure('A', 'x.num', '2025-12-31', 1)], [figure('B', 'x.den', '2025-12-31', 2)])).toEqual([]);
    expect(derive(definition('CNY'), [figure('A', 'x.num', '2025-12-31', 1)], [figure('A', 'x.den', '2025-12-31', 0)])).toEqual([]);
  });

  it('is approximate when an input is, and inferred when an input date is', () => {
    const [value] = derive(definition('CNY'), [figure('A', 'x.num', '2025-12-31', 1, { qualifier: 'more_than' })], [figure('A', 'x.den', '2025-12-31', 2, { asOfInferred: true })]);
    expect(value).toMatchObject({ qualifier: 'about', asOfInferred: true, value: 0.5 });
  });
});
