import type { CsvRow } from '../http/csv.js';
import type { CompareResponseDto } from './compare.dto.js';

type Decorated = { display?: string; scaled?: { value: number; unit: string } };

/** One line per cell: the row's indicator, the region, the figure chosen and the row's warnings. */
export function compareRows(body: CompareResponseDto): { rows: CsvRow[] } {
  const regions = new Map(body.regions.map((r) => [r.code, r]));
  return { rows: body.rows.flatMap((row) =>
    row.cells.map((cell) => {
      const o = cell.observation as (typeof cell.observation & Decorated) | null;
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
      };
    }),
  ) };
}
