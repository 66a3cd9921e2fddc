import { normalizePrinted } from './printed-value.js';
import type { Catalog } from './schema.js';
import { printable } from './validation.js';

/** A problem across rows: a reference that does not resolve, a key given twice, a value that is not its printed form. */
export interface CatalogProblem {
  /** JSON Pointer of the row or field, e.g. /observations/3/value. */
  pointer: string;
  message: string;
}

/** Every section's unique keys (its natural key first), as the database enforces them: no two rows may share one. */
const UNIQUE_KEYS: { [S in keyof Catalog]: ((row: Catalog[S][number]) => unknown[])[] } = {
  topics: [(t) => [t.code]],
  regions: [(r) => [r.code]],
  sources: [(s) => [s.id], (s) => [s.fileName]],
  indicators: [(i) => [i.code]],
  programs: [(p) => [p.id]],
  pilotZones: [(z) => [z.region]],
  observations: [(o) => [o.region, o.indicator, o.asOf, o.reporter ?? null]],
};

/** Where a row of a section was in the request (a JSON Pointer), or null for a stored row whose problems are not the request's. */
export type RowPointer = (section: keyof Catalog, index: number) => string | null;

/** Rows that share a unique key with another row of their section: an upsert may touch a row once, and a second file name would be refused. */
export function duplicateKeyProblems(sections: { [S in keyof Catalog]?: Catalog[S] }, at: RowPointer): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const section of Object.keys(UNIQUE_KEYS) as (keyof Catalog)[]) {
    for (const keyOf of UNIQUE_KEYS[section] as ((row: object) => unknown[])[]) {
      const first = new Map<string, number>();
      ((sections[section] ?? []) as object[]).forEach((row, index) => {
        const key = keyOf(row);
        const id = JSON.stringify(key);
        const earlier = first.get(id);
        if (earlier === undefined) return void first.set(id, index);
        // Reported at the row the request sent; a clash between two stored rows is not the request's.
        const [here, there] = at(section, index) !== null ? [at(section, index)!, at(section, earlier)] : [at(section, earlier), null];
        if (here !== null)
          problems.push({
            pointer: here,
            message: `repeats ${printable(
              key
                .filter((part) => part !== null)
                .map(String)
                .join(' '),
            )}, ${there ? `named at ${there}` : 'which a stored row already has'}; each may be given once`,
          });
      });
    }
  }
  return problems;
}

/** China's offset from UTC (no daylight saving): the calendar of every date here. */
export const CHINA_UTC_OFFSET_HOURS = 8;

/**
 * The latest date a figure may be as of, or a source published on: today's date in China, where the
 * figures are reported. Nothing has been counted as of a day that has not begun there, and a date far
 * ahead would become every region's latest figure.
 */
export function dateHorizon(now = new Date()): string {
  return new Date(now.getTime() + CHINA_UTC_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Cross-checks a catalog before anything is written: natural keys are unique in every section,
 * references resolve, no date lies beyond `horizon`, and every figure's value equals its printed
 * value times its unit's scale in the indicator's unit. `at` maps a row to the pointer it had in the
 * request.
 */
export function findCatalogProblems(catalog: Catalog, at: RowPointer = (section, index) => `/${section}/${index}`, horizon = dateHorizon()): CatalogProblem[] {
  const problems: CatalogProblem[] = duplicateKeyProblems(catalog, at);
  const add = (section: keyof Catalog, index: number, field: string | null, message: string) => {
    const row = at(section, index);
    if (row !== null) problems.push({ pointer: field ? `${row}/${field}` : row, message });
  };

  const topics = new Set(catalog.topics.map((t) => t.code));
  const regions = new Set(catalog.regions.map((r) => r.code));
  const sources = new Set(catalog.sources.map((s) => s.id));
  const programs = new Set(catalog.programs.map((p) => p.id));
  const indicators = new Map(catalog.indicators.map((i) => [i.code, i]));

  catalog.indicators.forEach((indicator, index) => {
    if (!topics.has(indicator.topic)) add('indicators', index, 'topic', `unknown topic ${indicator.topic}`);
    (indicator.comparableWith ?? []).forEach((link, i) => {
      const other = indicators.get(link.code);
      if (!other) add('indicators', index, `comparableWith/${i}/code`, `comparable indicator ${link.code} does not exist`);
      else if (other.unit !== indicator.unit) add('indicators', index, `comparableWith/${i}/code`, `comparable indicator ${link.code} is in ${other.unit}, not ${indicator.unit}`);
      else if (link.code === indicator.code) add('indicators', index, `comparableWith/${i}/code`, 'an indicator is not comparable with itself');
    });
    for (const part of ['numerator', 'denominator'] as const) {
      const input = indicator.derivedFrom?.[part];
      if (!input) continue;
      const other = indicators.get(input);
      if (!other) add('indicators', index, `derivedFrom/${part}`, `input ${input} does not exist`);
      else if (other.derivedFrom) add('indicators', index, `derivedFrom/${part}`, `input ${input} is itself derived`);
    }
  });
  catalog.regions.forEach((region, index) => {
    if (region.parentCode && !regions.has(region.parentCode)) add('regions', index, 'code', `its parent ${region.parentCode} is neither stored nor in this batch; add it too`);
  });
  const beyond = (date: string) => `${date} lies beyond ${horizon}, today in China (UTC+8); nothing is reported as of a day that has not begun`;
  catalog.sources.forEach((source, index) => {
    if (source.publishedOn > horizon) add('sources', index, 'publishedOn', beyond(source.publishedOn));
  });
  catalog.programs.forEach((program, index) => {
    if (!program.launchedOn !== !program.launchPrecision)
      add('programs', index, program.launchedOn ? 'launchPrecision' : 'launchedOn', 'launchedOn and launchPrecision are given together or not at all');
    if (!regions.has(program.region)) add('programs', index, 'region', `unknown region ${program.region}`);
    if (!sources.has(program.source)) add('programs', index, 'source', `unknown source ${program.source}`);
  });
  catalog.pilotZones.forEach((zone, index) => {
    if (!regions.has(zone.region)) add('pilotZones', index, 'region', `unknown region ${zone.region}`);
    [zone, ...zone.distinctions].forEach((cited, i) => {
      if (!sources.has(cited.source)) add('pilotZones', index, i ? `distinctions/${i - 1}/source` : 'source', `unknown source ${cited.source}`);
    });
  });

  catalog.observations.forEach((o, index) => {
    const problem = (field: string | null, message: string) => add('observations', index, field, message);
    if (!regions.has(o.region)) problem('region', `unknown region ${o.region}; add it in the regions section`);
    if (!sources.has(o.source)) problem('source', `unknown source ${o.source}`);
    if (o.program && !programs.has(o.program)) problem('program', `unknown program ${o.program}`);
    if (o.periodStart && o.asOfPrecision !== 'period') problem('periodStart', 'periodStart is only allowed when asOfPrecision is "period"');
    if (o.periodStart && o.periodStart > o.asOf) problem('periodStart', `periodStart ${o.periodStart} is after asOf ${o.asOf}`);
    if (o.asOf > horizon) problem('asOf', beyond(o.asOf));
    const indicator = indicators.get(o.indicator);
    if (!indicator) return problem('indicator', `unknown indicator ${o.indicator}`);
    if (indicator.derivedFrom) return problem('indicator', `${o.indicator} is derived; its values are computed, not stored`);
    try {
      const normalized = normalizePrinted(o.valuePrinted, o.unitPrinted);
      if (normalized.unit !== indicator.unit) problem('unitPrinted', `printed unit ${printable(o.unitPrinted)} is ${normalized.unit}, but ${o.indicator} is in ${indicator.unit}`);
      else if (normalized.value !== o.value) problem('value', `${o.value} is not ${printable(o.valuePrinted)} ${printable(o.unitPrinted)} = ${normalized.value}`);
      else if (indicator.unit === 'count' && !(Number.isInteger(o.value) && o.value >= 0))
        problem('value', `${o.indicator} counts things: ${o.value} is not a whole number of 0 or more`);
      else if (indicator.unit === 'rank' && !(Number.isInteger(o.value) && o.value >= 1))
        problem('value', `${o.indicator} is a rank: ${o.value} is not a whole number of 1 or more`);
    } catch (error) {
      problem('valuePrinted', printable((error as Error).message, 300));
    }
  });
  return problems;
}

/** The same findings as readable lines, each with its place. */
export function checkCatalog(catalog: Catalog): string[] {
  return findCatalogProblems(catalog).map((p) => `${p.pointer}: ${p.message}`);
}
