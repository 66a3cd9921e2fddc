import { warningsAbout } from '../compare/compare.csv.js';
import type { CsvRow } from '../http/csv.js';
import type { RankingDto } from './ranking.dto.js';

type Decorated = { display?: string; scaled?: { value: number; unit: string } };

/** One line per ranked region of the page, then the national baseline it is read against, each with the warnings about it. */
export function rankingRows(body: RankingDto): { rows: CsvRow[] } {
  const warnings = body.warnings as { code: string; message?: string; cells: { region: string; indicator: string }[] }[];
  const line = (role: string, rank: number | null, region: { code: string; nameZh: string; nameEn: string }, observation: RankingDto['nationalBaseline']) => {
    const o = observation as NonNullable<typeof observation> & Decorated;
    return {
      role,
      rank,
      region_code: region.code,
      region_name_zh: region.nameZh,
      region_name_en: region.nameEn,
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
      warnings: warningsAbout(warnings, region.code, body.indicator.code),
    };
  };
  return {
    rows: [
      ...body.entries.map((entry) => line('ranked', entry.rank, entry.region, entry.observation)),
      ...(body.nationalBaseline ? [line('national baseline', null, { code: 'CN', nameZh: '中国', nameEn: 'China' }, body.nationalBaseline)] : []),
    ],
  };
}
