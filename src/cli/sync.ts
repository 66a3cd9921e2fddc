import { parseArgs } from 'node:util';
import { PullService } from '../sync/pull.service.js';
import { SyncService } from '../sync/sync.service.js';
import { withDatabase } from './with-database.js';

// npm run sync -- --file path|url [--dry-run]: the scheduled pull's code path, run once.
const { values } = parseArgs({ options: { file: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });

const terminal = process.stdout.isTTY;
const started = Date.now();
const progress = (stage: string) => {
  const line = `${((Date.now() - started) / 1000).toFixed(1)}s  ${stage}`;
  if (terminal) process.stdout.write(`\r\x1b[2K${line}`);
  else console.log(line);
};

type Report = { batchId?: number; status?: string | number; detail?: string; counts?: Record<string, Record<string, number>>; errors?: { message: string }[] };

await withDatabase(async (db) => {
  if (!values.file) throw new Error('usage: npm run sync -- --file PATH_OR_URL [--dry-run]');
  const sync = new SyncService(db);
  const result = await new PullService(db, sync, {}).pull(values.file, 'cli', { dryRun: values['dry-run'], progress });
  if (terminal) process.stdout.write('\n');
  const report = result.body as Report;
  if (result.status >= 400) {
    console.error(report.detail);
    for (const error of (report.errors ?? []).slice(0, 50)) console.error(`  ${error.message}`);
    if ((report.errors?.length ?? 0) > 50) console.error(`  … and ${report.errors!.length - 50} more`);
    process.exitCode = 1;
    return;
  }
  console.log(`Batch ${report.batchId} ${report.status === 'dry_run' ? 'checked (dry run, nothing written)' : 'applied'}:`);
  for (const [section, counts] of Object.entries(report.counts ?? {})) {
    console.log(`  ${section}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  }
});
