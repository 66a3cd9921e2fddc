import type { CsvRow } from '../http/csv.js';
import type { RankingDto } from './ranking.dto.js';

type Decorated = { display?: string; scaled?: { value: number; unit: string } };

/** One line per ranked region. */
export function rankingRows(body: RankingDto): { rows: CsvRow[] } {
  return { rows: body.entries.map((entry) => {
    const o = entry.observation as typeof entry.observation & Decorated;
    return {
      rank: entry.rank,
      region_code: entry.region.code,
      region_name_zh: entry.region.nameZh,
      region_name_en: entry.region.nameEn,
      indicator_code: body.indicator.code,
      value: o.value,
      unit: o.unit,
      display: o.display,
      scaled_value: o.scaled?.value,
      scaled_unit: o.scaled?.unit,
      qualifier: o.qualifier,
      as_of: o.asOf,
      as_of_inferred: o.asOfInferred,
      source_file: o.source?.fileName,
      quote: o.quote,
    };
  }) };
}
