import type { CsvRow } from '../http/csv.js';
import type { ObservationPageDto } from './observation.dto.js';

type Decorated = { display?: string; scaled?: { value: number; unit: string } };

/** One line per observation, every field a column. */
export function observationRows(page: ObservationPageDto): CsvRow[] {
  return page.data.map((o) => {
    const extra = o as typeof o & Decorated;
    return {
      id: o.id,
      region_code: o.region.code,
      region_name_zh: o.region.nameZh,
      region_name_en: o.region.nameEn,
      indicator_code: o.indicator.code,
      indicator_name_zh: o.indicator.nameZh,
      indicator_name_en: o.indicator.nameEn,
      as_of: o.asOf,
      as_of_precision: o.asOfPrecision,
      as_of_inferred: o.asOfInferred,
      period_start: o.periodStart,
      value: o.value,
      unit: o.unit,
      value_printed: o.valuePrinted,
      unit_printed: o.unitPrinted,
      qualifier: o.qualifier,
      display: extra.display,
      scaled_value: extra.scaled?.value,
      scaled_unit: extra.scaled?.unit,
      scope: o.scope,
      reporter: o.reporter,
      program_id: o.program?.id,
      source_file: o.source.fileName,
      quote: o.quote,
      note: o.note,
    };
  });
}
