import type { CsvRow } from '../http/csv.js';
import type { CompareResponseDto } from './compare.dto.js';

type Said = { code: string; message?: string; cells: { region: string; indicator: string }[] };

/** The warnings about one cell, in the request's language: what a reader of that line must know. */
export const warningsAbout = (warnings: Said[], region: string, indicator: string) =>
  warnings
    .filter((w) => w.cells.some((c) => c.region === region && c.indicator === indicator))
    .map((w) => `${w.code}: ${w.message}`)
    .join(' | ');

/** One line per cell: the row's indicator, the region, the figure chosen, and every warning about it. */
export function compareRows(body: CompareResponseDto): { rows: CsvRow[] } {
  const regions = new Map(body.regions.map((r) => [r.code, r]));
  const warnings = body.warnings as Said[];
  return {
    rows: body.rows.flatMap((row) =>
      row.cells.map((cell) => {
        const o = cell.observation;
        return {
          indicator_code: row.indicator.code,
          indicator_name_zh: row.indicator.nameZh,
          indicator_name_en: row.indicator.nameEn,
          region_code: cell.region,
          region_name_zh: regions.get(cell.region)?.nameZh,
          region_name_en: regions.get(cell.region)?.nameEn,
          cell_indicator_code: cell.indicator,
          value: o?.value,
          unit: o?.unit,
          display: o?.display,
          scaled_value: o?.scaled?.value,
          scaled_unit: o?.scaled?.unit,
          qualifier: o?.qualifier,
          as_of: o?.asOf,
          as_of_inferred: o?.asOfInferred,
          rank: cell.rank,
          share: cell.share,
          source_file: o?.source?.fileName,
          quote: o?.quote,
          row_leader: row.summary.leader,
          row_difference: row.summary.difference,
          row_ratio: row.summary.ratio,
          row_warnings: row.warningCodes.join(';'),
          warnings: warningsAbout(warnings, cell.region, cell.indicator),
        };
      }),
    ),
  };
}
