import type { CsvRow } from '../http/csv.js';
import type { CompareResponseDto, CompareShape } from './compare.dto.js';

type Said = { code: string; message?: string; cells: { region: string; indicator: string }[] };

/** The warnings about one cell, in the request's language: what a reader of that line must know. */
export const warningsAbout = (warnings: Said[], region: string, indicator: string) =>
  warnings
    .filter((w) => w.cells.some((c) => c.region === region && c.indicator === indicator))
    .map((w) => `${w.code}: ${w.message}`)
    .join(' | ');

/**
 * shape=long (the default): one line per cell, the row's indicator, the region, the figure chosen and
 * every warning about it. shape=wide: one line per region and five columns per indicator (value,
 * unit, as-of date, qualifier, and the indicator the figure is of: a comparable one may fill the
 * cell), the warnings about the region's cells beside them, as spreadsheet users lay a comparison out.
 */
export function compareRows(body: CompareResponseDto, query: { shape?: CompareShape }): { rows: CsvRow[]; columns?: string[] } {
  return query.shape === 'wide' ? wideRows(body) : longRows(body);
}

function wideRows(body: CompareResponseDto): { rows: CsvRow[]; columns: string[] } {
  const warnings = body.warnings as Said[];
  const figures = (code: string) => [code, `${code} unit`, `${code} as_of`, `${code} qualifier`, `${code} figure_indicator`];
  const columns = ['region_code', 'region_name_zh', 'region_name_en', ...body.rows.flatMap((row) => figures(row.indicator.code)), 'warnings'];
  const rows = body.regions.map((region) => {
    const line: CsvRow = { region_code: region.code, region_name_zh: region.nameZh, region_name_en: region.nameEn };
    const said: string[] = [];
    for (const row of body.rows) {
      const cell = row.cells.find((c) => c.region === region.code);
      const o = cell?.observation;
      const [value, unit, asOf, qualifier, indicator] = figures(row.indicator.code);
      Object.assign(line, {
        [value]: o?.scaled?.value ?? o?.value,
        [unit]: o?.scaled?.unit ?? o?.unit,
        [asOf]: o?.asOf,
        [qualifier]: o?.qualifier,
        [indicator]: o ? cell?.indicator : undefined,
      });
      const about = cell ? warningsAbout(warnings, region.code, cell.indicator) : '';
      if (about) said.push(`${row.indicator.code}: ${about}`);
    }
    return { ...line, warnings: said.join(' || ') };
  });
  return { rows, columns };
}

function longRows(body: CompareResponseDto): { rows: CsvRow[] } {
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
