import { normalizePrinted } from '../observations/printed-value.js';
import type { Catalog } from './catalog.js';

export interface CatalogProblem {
  /** The part of the catalog or batch: observations, indicators, programs, pilotZones. */
  section: keyof Catalog;
  /** Position of the row in its section (0-based), when the problem is about one row. */
  index: number | null;
  field: string | null;
  message: string;
}

/**
 * Cross-checks a catalog before anything is written: references resolve, natural keys are unique,
 * and every figure's normalized value equals its printed value times its unit's scale in the
 * indicator's unit. One problem per finding, located by section, row index and field.
 */
export function findCatalogProblems(catalog: Catalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const add = (section: keyof Catalog, index: number | null, field: string | null, message: string) => problems.push({ section, index, field, message });
  const codes = <T>(rows: T[], key: (row: T) => string) => new Set(rows.map(key));
  const topics = codes(catalog.topics, (t) => t.code);
  const regions = codes(catalog.regions, (r) => r.code);
  const sources = codes(catalog.sources, (s) => s.id);
  const programs = codes(catalog.programs, (p) => p.id);
  const indicators = new Map(catalog.indicators.map((i) => [i.code, i]));

  catalog.indicators.forEach((indicator, index) => {
    if (!topics.has(indicator.topic)) add('indicators', index, 'topic', `indicator ${indicator.code}: unknown topic ${indicator.topic}`);
    for (const link of indicator.comparableWith ?? []) {
      const other = indicators.get(link.code);
      if (!other) add('indicators', index, 'comparableWith', `indicator ${indicator.code}: comparable indicator ${link.code} does not exist`);
      else if (other.unit !== indicator.unit) add('indicators', index, 'comparableWith', `indicator ${indicator.code}: comparable indicator ${link.code} is in ${other.unit}, not ${indicator.unit}`);
    }
    for (const input of indicator.derivedFrom ? [indicator.derivedFrom.numerator, indicator.derivedFrom.denominator] : []) {
      const other = indicators.get(input);
      if (!other) add('indicators', index, 'derivedFrom', `indicator ${indicator.code}: input ${input} does not exist`);
      else if (other.derivedFrom) add('indicators', index, 'derivedFrom', `indicator ${indicator.code}: input ${input} is itself derived`);
    }
  });
  catalog.programs.forEach((program, index) => {
    if (!regions.has(program.region)) add('programs', index, 'region', `program ${program.id}: unknown region ${program.region}`);
    if (!sources.has(program.source)) add('programs', index, 'source', `program ${program.id}: unknown source ${program.source}`);
  });
  catalog.pilotZones.forEach((zone, index) => {
    if (!regions.has(zone.region)) add('pilotZones', index, 'region', `pilot zone ${zone.region}: unknown region`);
    for (const d of [zone, ...zone.distinctions]) {
      if (!sources.has(d.source)) add('pilotZones', index, 'source', `pilot zone ${zone.region}: unknown source ${d.source}`);
    }
  });

  const keys = new Set<string>();
  catalog.observations.forEach((o, index) => {
    const problem = (field: string | null, message: string) =>
      add('observations', index, field, `observation #${index + 1} (${o.region} ${o.indicator} ${o.asOf}${o.reporter ? ` ${o.reporter}` : ''}): ${message}`);
    const key = JSON.stringify([o.region, o.indicator, o.asOf, o.reporter ?? null]);
    if (keys.has(key)) problem(null, 'duplicate of an earlier observation with the same region, indicator, as-of date and reporter');
    keys.add(key);
    if (!regions.has(o.region)) problem('region', 'unknown region');
    if (!sources.has(o.source)) problem('source', `unknown source ${o.source}`);
    if (o.program && !programs.has(o.program)) problem('program', `unknown program ${o.program}`);
    if (o.periodStart && o.asOfPrecision !== 'period') problem('periodStart', 'periodStart is only allowed when asOfPrecision is "period"');
    if (o.periodStart && o.periodStart > o.asOf) problem('periodStart', `periodStart ${o.periodStart} is after asOf`);
    const indicator = indicators.get(o.indicator);
    if (!indicator) return problem('indicator', 'unknown indicator');
    if (indicator.derivedFrom) return problem('indicator', `${o.indicator} is derived; its values are computed, not stored`);
    try {
      const normalized = normalizePrinted(o.valuePrinted, o.unitPrinted);
      if (normalized.unit !== indicator.unit) problem('unitPrinted', `printed unit ${o.unitPrinted} is ${normalized.unit}, but the indicator is in ${indicator.unit}`);
      if (normalized.value !== o.value) problem('value', `value ${o.value} is not ${o.valuePrinted} ${o.unitPrinted} = ${normalized.value}`);
    } catch (error) {
      problem('valuePrinted', (error as Error).message);
    }
  });
  return problems;
}

/** The same findings as readable lines. */
export function checkCatalog(catalog: Catalog): string[] {
  return findCatalogProblems(catalog).map((p) => p.message);
}
