import { normalizePrinted } from '../observations/printed-value.js';
import type { Catalog } from './catalog.js';

/**
 * Cross-checks a catalog before anything is written: references resolve, natural keys are unique,
 * and every figure's normalized value equals its printed value times its unit's scale in the
 * indicator's unit. Returns one readable line per problem.
 */
export function checkCatalog(catalog: Catalog): string[] {
  const problems: string[] = [];
  const codes = <T>(rows: T[], key: (row: T) => string) => new Set(rows.map(key));
  const topics = codes(catalog.topics, (t) => t.code);
  const regions = codes(catalog.regions, (r) => r.code);
  const sources = codes(catalog.sources, (s) => s.id);
  const programs = codes(catalog.programs, (p) => p.id);
  const indicators = new Map(catalog.indicators.map((i) => [i.code, i]));

  for (const indicator of catalog.indicators) {
    if (!topics.has(indicator.topic)) problems.push(`indicator ${indicator.code}: unknown topic ${indicator.topic}`);
    for (const link of indicator.comparableWith ?? []) {
      const other = indicators.get(link.code);
      if (!other) problems.push(`indicator ${indicator.code}: comparable indicator ${link.code} does not exist`);
      else if (other.unit !== indicator.unit) problems.push(`indicator ${indicator.code}: comparable indicator ${link.code} is in ${other.unit}, not ${indicator.unit}`);
    }
  }
  for (const indicator of catalog.indicators.filter((i) => i.derivedFrom)) {
    for (const input of [indicator.derivedFrom!.numerator, indicator.derivedFrom!.denominator]) {
      const other = indicators.get(input);
      if (!other) problems.push(`indicator ${indicator.code}: input ${input} does not exist`);
      else if (other.derivedFrom) problems.push(`indicator ${indicator.code}: input ${input} is itself derived`);
    }
  }
  for (const program of catalog.programs) {
    if (!regions.has(program.region)) problems.push(`program ${program.id}: unknown region ${program.region}`);
    if (!sources.has(program.source)) problems.push(`program ${program.id}: unknown source ${program.source}`);
  }
  for (const zone of catalog.pilotZones) {
    if (!regions.has(zone.region)) problems.push(`pilot zone ${zone.region}: unknown region`);
    for (const d of [zone, ...zone.distinctions]) {
      if (!sources.has(d.source)) problems.push(`pilot zone ${zone.region}: unknown source ${d.source}`);
    }
  }

  const keys = new Set<string>();
  catalog.observations.forEach((o, index) => {
    const where = `observation #${index + 1} (${o.region} ${o.indicator} ${o.asOf}${o.reporter ? ` ${o.reporter}` : ''})`;
    const key = JSON.stringify([o.region, o.indicator, o.asOf, o.reporter ?? null]);
    if (keys.has(key)) problems.push(`${where}: duplicate of an earlier observation with the same region, indicator, as-of date and reporter`);
    keys.add(key);
    if (!regions.has(o.region)) problems.push(`${where}: unknown region`);
    if (!sources.has(o.source)) problems.push(`${where}: unknown source ${o.source}`);
    if (o.program && !programs.has(o.program)) problems.push(`${where}: unknown program ${o.program}`);
    if (o.periodStart && o.asOfPrecision !== 'period') problems.push(`${where}: periodStart is only allowed when asOfPrecision is "period"`);
    if (o.periodStart && o.periodStart > o.asOf) problems.push(`${where}: periodStart ${o.periodStart} is after asOf`);
    const indicator = indicators.get(o.indicator);
    if (!indicator) {
      problems.push(`${where}: unknown indicator`);
      return;
    }
    if (indicator.derivedFrom) {
      problems.push(`${where}: ${o.indicator} is derived; its values are computed, not stored`);
      return;
    }
    try {
      const normalized = normalizePrinted(o.valuePrinted, o.unitPrinted);
      if (normalized.unit !== indicator.unit) problems.push(`${where}: printed unit ${o.unitPrinted} is ${normalized.unit}, but the indicator is in ${indicator.unit}`);
      if (normalized.value !== o.value) problems.push(`${where}: value ${o.value} is not ${o.valuePrinted} ${o.unitPrinted} = ${normalized.value}`);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  });
  return problems;
}
