import { SetMetadata } from '@nestjs/common';

export type CsvRow = Record<string, string | number | boolean | null | undefined>;
export type CsvRows = (body: never) => CsvRow[];

export const CSV_ROWS = 'csv-rows';

/** Marks an endpoint as available as CSV (format=csv or Accept: text/csv), flattening its JSON body with `rows`. */
export const CsvExport = (rows: CsvRows, fileName: string) => SetMetadata(CSV_ROWS, { rows, fileName });

function cell(value: CsvRow[string]): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a UTF-8 byte-order mark, so Excel opens Chinese text correctly. */
export function toCsv(rows: CsvRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
