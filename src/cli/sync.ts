import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { decodingStream } from '../catalog/encoding.js';
import { csvObservation, csvRecords, type CsvRecord } from '../catalog/csv.js';
import { MAX_BATCH_OBSERVATIONS } from '../catalog/schema.js';
import { boundHeapGrowth } from '../config/heap.js';
import { toResponse, type BatchOutcome } from '../sync/batch-outcome.js';
import { PullService } from '../sync/pull.service.js';
import { SyncService } from '../sync/sync.service.js';
import { commandLine } from './command-line.js';
import { withDatabase } from './with-database.js';

const { values, fail } = commandLine(
  'npm run sync -- --file PATH_OR_URL [--dry-run] [--batch-rows N]',
  "Runs the scheduled pull's code path once on a JSON or CSV batch. A local CSV file is streamed: read a record at a time and sent in batches of --batch-rows observations (default and most 50,000), so memory stays flat whatever the file's size.",
  {
    options: { file: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'batch-rows': { type: 'string', default: String(MAX_BATCH_OBSERVATIONS) } },
  },
);
if (!values.file) fail('--file is needed');
const batchRows = Number(values['batch-rows']);
if (!/^\d+$/.test(values['batch-rows']) || batchRows < 1 || batchRows > MAX_BATCH_OBSERVATIONS)
  fail(`--batch-rows must be a whole number from 1 to ${MAX_BATCH_OBSERVATIONS.toLocaleString('en')} (got "${values['batch-rows']}")`);

boundHeapGrowth();
const terminal = process.stdout.isTTY;
const started = Date.now();
const progress = (stage: string) => {
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
function report(outcome: BatchOutcome, label = 'Batch'): boolean {
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

await withDatabase(async (db) => {
  const sync = new SyncService(db);
  const file = values.file!;
  if (!/\.csv$/i.test(file) || /^https?:\/\//.test(file)) {
    if (!report(await new PullService(db, sync, {}).pull(file, 'cli', { dryRun: values['dry-run'], progress }))) process.exitCode = 1;
    return;
  }

  // Each part is its own batch and transaction: parts before a refused one stay applied.
  let header: string[] | undefined;
  let rows: Record<string, unknown>[] = [];
  let lines: number[] = [];
  let part = 0;
  let sent = 0;
  const send = async () => {
    part++;
    const outcome = await sync.submit(
      { observations: rows },
      { origin: 'cli', sourceName: `${file} (part ${part}, lines ${lines[0]}–${lines.at(-1)})`, dryRun: values['dry-run'], progress, csvLines: lines },
    );
    sent += rows.length;
    rows = [];
    lines = [];
    return report(outcome, `Part ${part} (${sent.toLocaleString('en')} rows so far): batch`);
  };
  for await (const { record, info } of pipeline(createReadStream(file), decodingStream(), csvRecords(), () => undefined) as AsyncIterable<CsvRecord>) {
    if (!header) {
      header = record.map((name) => name.trim());
      continue;
    }
    rows.push(csvObservation(header, record));
    lines.push(info.lines);
    if (rows.length === batchRows && !(await send())) return void (process.exitCode = 1);
  }
  if (rows.length && !(await send())) return void (process.exitCode = 1);
  console.log(
    `${sent.toLocaleString('en')} observations in ${part} batch${part === 1 ? '' : 'es'}, ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
});
