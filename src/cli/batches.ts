import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { csvRecords, type CsvRecord } from '../catalog/csv.js';
import { decodingStream } from '../catalog/encoding.js';
import { toResponse, type BatchOutcome } from '../sync/batch-outcome.js';

/** How the sync CLI tells a person what it is doing: a progress line, and each batch's outcome. */
const terminal = process.stdout.isTTY;
const started = Date.now();
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

export const progress = (stage: string) => {
  const line = `${((Date.now() - started) / 1000).toFixed(1)}s  ${stage}`;
  if (terminal) process.stdout.write(`\r\x1b[2K${line}`);
  else console.log(line);
};

type Report = {
  batchId?: number;
  status?: string | number;
  detail?: string;
  counts?: Record<string, Record<string, number>>;
  errors?: { line?: number; name: string; pointer: string; message: string }[];
};

/** Prints a batch's outcome; false when it was refused. */
export function report(outcome: BatchOutcome, label = 'Batch'): boolean {
  if (terminal) process.stdout.write('\n');
  const response = toResponse(outcome);
  const { status } = response;
  const body: Report = response.body;
  if (status >= 400) {
    console.error(`${label}: ${body.detail}`);
    for (const error of (body.errors ?? []).slice(0, 50)) console.error(`  ${error.line ? `line ${error.line}, ${error.name}` : error.pointer}: ${error.message}`);
    if ((body.errors?.length ?? 0) > 50) console.error(`  … and ${body.errors!.length - 50} more`);
    return false;
  }
  console.log(`${label} ${body.batchId} ${body.status === 'dry_run' ? 'checked (dry run, nothing written)' : 'applied'}:`);
  for (const [section, counts] of Object.entries(body.counts ?? {})) {
    console.log(
      `  ${section}: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}`,
    );
  }
  return true;
}

/** A part of a CSV file: its observations and the line each came from. */
export interface CsvPart {
  number: number;
  rows: Record<string, unknown>[];
  lines: number[];
  /** Rows sent before this part. */
  before: number;
}

/**
 * Reads a CSV stream a record at a time and hands it on in parts of `partRows` rows, so memory stays
 * flat whatever the file's size. Stops at the first part `send` refuses; says how many rows were sent.
 */
export async function sendInParts(
  stream: Readable,
  readRow: (header: string[], cells: string[]) => Record<string, unknown>,
  partRows: number,
  send: (part: CsvPart) => Promise<boolean>,
): Promise<{ accepted: boolean; rows: number; parts: number }> {
  let header: string[] | undefined;
  let part: CsvPart = { number: 1, rows: [], lines: [], before: 0 };
  const flush = async () => {
    const accepted = await send(part);
    part = { number: part.number + 1, rows: [], lines: [], before: part.before + part.rows.length };
    return accepted;
  };
  for await (const { record, info } of pipeline(stream, decodingStream(), csvRecords(), () => undefined) as AsyncIterable<CsvRecord>) {
    if (!header) {
      header = record.map((name) => name.trim());
      continue;
    }
    part.rows.push(readRow(header, record));
    part.lines.push(info.lines);
    if (part.rows.length === partRows && !(await flush())) return { accepted: false, rows: part.before, parts: part.number - 1 };
  }
  if (part.rows.length && !(await flush())) return { accepted: false, rows: part.before, parts: part.number - 1 };
  return { accepted: true, rows: part.before, parts: part.number - 1 };
}
