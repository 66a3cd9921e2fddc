import { createReadStream } from 'node:fs';
import { csvObservation } from '../catalog/csv.js';
import { MAX_BATCH_OBSERVATIONS } from '../catalog/schema.js';
import { boundHeapGrowth } from '../config/heap.js';
import { redactCredentials } from '../config/redact.js';
import { PullService } from '../sync/pull.service.js';
import { SyncService } from '../sync/sync.service.js';
import { elapsed, progress, report, sendInParts, type CsvPart } from './batches.js';
import { commandLine } from './command-line.js';
import { catalogBatch, checkSnapshot, sendFigures } from './snapshot-load.js';
import { withDatabase } from './with-database.js';

const { values, fail } = commandLine(
  'npm run sync -- --file PATH_OR_URL [--dry-run] [--batch-rows N]',
  "Runs the scheduled pull's code path once on a JSON or CSV batch, or loads a snapshot (a datapackage.json from /v1/snapshots, every file checked against its sha256 first). A CSV file is streamed: read a record at a time and sent in batches of --batch-rows observations (default and most 50,000), so memory stays flat whatever the file's size.",
  {
    options: { file: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'batch-rows': { type: 'string', default: String(MAX_BATCH_OBSERVATIONS) } },
  },
);
if (!values.file) fail('--file is needed');
const batchRows = Number(values['batch-rows']);
if (!/^\d+$/.test(values['batch-rows']) || batchRows < 1 || batchRows > MAX_BATCH_OBSERVATIONS)
  fail(`--batch-rows must be a whole number from 1 to ${MAX_BATCH_OBSERVATIONS.toLocaleString('en')} (got "${values['batch-rows']}")`);

boundHeapGrowth();

await withDatabase(async (db) => {
  const sync = new SyncService(db);
  const file = values.file!;
  const shown = redactCredentials(file);
  const dryRun = values['dry-run'];
  // Each part is its own batch and transaction: parts before a refused one stay applied.
  const sendPart = (name: string) => async (part: CsvPart) =>
    report(
      await sync.submit(
        { observations: part.rows },
        { origin: 'cli', sourceName: `${name} (part ${part.number}, lines ${part.lines[0]}–${part.lines.at(-1)})`, dryRun, progress, csvLines: part.lines },
      ),
      `Part ${part.number} (${(part.before + part.rows.length).toLocaleString('en')} rows so far): batch`,
    );
  const summary = ({ rows, parts }: { rows: number; parts: number }) =>
    console.log(
      `${rows.toLocaleString('en')} observations in ${parts} batch${parts === 1 ? '' : 'es'}, ${elapsed()}, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );

  if (/datapackage\.json$/i.test(new URL(file, 'file:///').pathname)) {
    // The figures of a snapshot refer to its catalog, which a dry run would not write.
    if (dryRun) throw new Error('--dry-run checks one batch; a snapshot loads as several, its figures after its catalog: load it into an empty instance instead');
    progress(`checking ${shown}`);
    const snapshot = await checkSnapshot(file);
    try {
      const catalog = await catalogBatch(snapshot);
      if (Object.keys(catalog).length && !report(await sync.submit(catalog, { origin: 'cli', sourceName: `${shown} (catalog)`, dryRun, progress }), 'Catalog: batch'))
        return void (process.exitCode = 1);
      const figures = await sendFigures(snapshot, batchRows, sendPart(`${shown} (observations.csv)`));
      if (!figures.accepted) return void (process.exitCode = 1);
      summary(figures);
    } finally {
      await snapshot.cleanUp();
    }
    return;
  }
  if (!/\.csv$/i.test(file) || /^https?:\/\//.test(file)) {
    if (!report(await new PullService(db, sync, {}).pull(file, 'cli', { dryRun, progress }))) process.exitCode = 1;
    return;
  }
  const sent = await sendInParts(createReadStream(file), csvObservation, batchRows, sendPart(file));
  if (!sent.accepted) return void (process.exitCode = 1);
  summary(sent);
});
