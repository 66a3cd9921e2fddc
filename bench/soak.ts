import autocannon from 'autocannon';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { createApiKey } from '../test/support/api-keys.js';
import { startMain } from '../test/support/processes.js';
import { dailyVisitedRows } from '../test/support/synthetic-rows.js';
import { createTestDatabase } from '../test/support/test-database.js';

/**
 * npm run soak: sustained mixed load on loopback for SOAK_SECONDS (default 180) in 10-second windows:
 * reads, compares and rankings from 10 connections, and a 500-row sync batch every SOAK_SYNC_SECONDS
 * (default 5), which also empties every cache. Prints each window's requests, errors, p50/p99 and
 * the app's RSS, then the totals. Any non-2xx answer or failed sync counts as an error.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const SYNC_EVERY = Number(process.env.SOAK_SYNC_SECONDS ?? 5);
const WINDOW = 10;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const batch = (round: number) => ({ observations: dailyVisitedRows(500, '1980-01-01', (i) => round * 1000 + i, 'soak') });

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-soak-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata') });
  process.env.TEST_ADMIN_DATABASE_URL = server.url('postgres');
  const database = await createTestDatabase('soak');
  const app = await startMain({ DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: '100000000' });
  const pid = app.child.pid!;
  try {
    const key = await createApiKey(database.url, 'soak');
    const paths = [
      '/v1/regions/330000/profile',
      '/v1/compare?regions=330000,320000',
      '/v1/compare?regions=110000,310000,320100,330100,330400,340100,370100',
      '/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province',
      '/v1/observations?pageSize=50',
      '/v1/observations?region=330000&latest=true',
      '/v1/regions/320000/profile',
      '/v1/indicators',
    ];
    let syncs = 0;
    let syncErrors = 0;
    let stop = false;
    const syncing = (async () => {
      while (!stop) {
        await new Promise((resolve) => setTimeout(resolve, SYNC_EVERY * 1000));
        if (stop) break;
        const response = await fetch(`${app.baseUrl}/v1/sync/batches`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch(++syncs)),
        });
        await response.arrayBuffer();
        if (response.status !== 201) syncErrors++;
      }
    })();

    const startRss = rssMb(pid);
    console.log(`\nSoak: ${SECONDS} s, 10 connections over ${paths.length} read paths, a 500-row sync every ${SYNC_EVERY} s; app RSS at start ${startRss.toFixed(0)} MB\n`);
    console.log(
      ['window'.padEnd(10), 'requests'.padStart(10), 'errors'.padStart(8), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'RSS MB'.padStart(8)].join(''),
    );
    let total = 0;
    let errors = 0;
    const rss: number[] = [];
    for (let elapsed = 0; elapsed < SECONDS; elapsed += WINDOW) {
      const result = await autocannon({ url: app.baseUrl, connections: 10, duration: WINDOW, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) });
      const bad = result.non2xx + result.errors + result.timeouts;
      total += result.requests.total;
      errors += bad;
      rss.push(rssMb(pid));
      console.log(
        [
          `${elapsed}-${elapsed + WINDOW} s`.padEnd(10),
          String(result.requests.total).padStart(10),
          String(bad).padStart(8),
          result.requests.average.toFixed(0).padStart(8),
          String(result.latency.p50).padStart(8),
          String(result.latency.p99).padStart(8),
          rss.at(-1)!.toFixed(0).padStart(8),
        ].join(''),
      );
    }
    stop = true;
    await syncing;
    const half = rss.slice(Math.floor(rss.length / 2));
    console.log(`\n${total.toLocaleString('en')} requests, ${errors} errors; ${syncs} syncs, ${syncErrors} failed`);
    console.log(
      `RSS: ${startRss.toFixed(0)} MB at start, ${rss.at(-1)!.toFixed(0)} MB at the end; second half ranges ${Math.min(...half).toFixed(0)}–${Math.max(...half).toFixed(0)} MB`,
    );
    if (errors || syncErrors) process.exitCode = 1;
  } finally {
    await app.stop();
    await database.drop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
