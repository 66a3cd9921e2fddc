import { OBSERVATION_CSV_COLUMNS } from '../catalog/csv.js';
import type { CsvRow } from '../http/csv.js';
import type { ObservationPageDto } from './observation.dto.js';

type Decorated = { display?: string; scaled?: { value: number; unit: string } };

/** One record per observation, in the columns the schema declares: a batch row's fields first, so the file syncs back. */
export function observationRows(page: ObservationPageDto): { rows: CsvRow[]; columns: string[] } {
  const rows = page.data.map((o) => {
    const extra = o as typeof o & Decorated;
    return {
      region: o.region.code,
      indicator: o.indicator.code,
      asOf: o.asOf,
      reporter: o.reporter,
      asOfPrecision: o.asOfPrecision,
      asOfInferred: o.asOfInferred,
      periodStart: o.periodStart,
      value: o.value,
      valuePrinted: o.valuePrinted,
      unitPrinted: o.unitPrinted,
      qualifier: o.qualifier,
      program: o.program?.id,
      source: o.source.id,
      quote: o.quote,
      note: o.note,
      id: o.id,
      regionNameZh: o.region.nameZh,
      regionNameEn: o.region.nameEn,
      indicatorNameZh: o.indicator.nameZh,
      indicatorNameEn: o.indicator.nameEn,
      unit: o.unit,
      scope: o.scope,
      display: extra.display,
      scaledValue: extra.scaled?.value,
      scaledUnit: extra.scaled?.unit,
    } satisfies Record<(typeof OBSERVATION_CSV_COLUMNS)[number], unknown>;
  });
  return { rows, columns: OBSERVATION_CSV_COLUMNS };
}
