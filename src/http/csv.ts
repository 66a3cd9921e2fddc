import { SetMetadata } from '@nestjs/common';
import type { CsvCell } from '../catalog/csv.js';

export type CsvRow = Record<string, CsvCell>;
/** Flattens an endpoint's JSON answer (for the query asked) into CSV rows, and names the columns in their order when it declares them. */
export type CsvRows = (body: never, query: never) => { rows: CsvRow[]; columns?: string[] };

export const CSV_ROWS = 'csv-rows';

export interface CsvExportOptions {
  rows: CsvRows;
  fileName: string;
  /** A listing: CSV (and NDJSON) answer every matching row as a Download, not one page. */
  download?: boolean;
}

/** Marks an endpoint as available as CSV (format=csv or Accept: text/csv), flattening its JSON body with `rows`. */
export const CsvExport = (rows: CsvRows, fileName: string, options: { download?: boolean } = {}) =>
  SetMetadata(CSV_ROWS, { rows, fileName, ...options } satisfies CsvExportOptions);
