import autocannon from 'autocannon';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { createApiKey } from '../test/support/api-keys.js';
import { startMain } from '../test/support/processes.js';
import { rssMb } from '../test/support/memory.js';
import { runningBatches } from '../test/support/published.js';
import { dailyVisitedRows } from '../test/support/synthetic-rows.js';
import { createTestDatabase } from '../test/support/test-database.js';

/**
 * npm run soak: sustained mixed load on loopback for SOAK_SECONDS (default 180) in 10-second windows:
 * reads, compares and rankings from 10 connections; hostile requests (bad queries, unknown methods,
 * oversized headers, wrong keys) from 2 more; a 500-row sync batch every SOAK_SYNC_SECONDS (default
 * 5), which also empties every cache, then a batch that must be refused and three anonymous 60 MB
 * posts at once. Prints each window's requests, errors, p50/p99 and the app's RSS, then the totals
 * and the batches left running. An error is a read that is not 2xx, a hostile request or refused
 * write that is not 4xx, a sync that is not 201, or any 5xx.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const SYNC_EVERY = Number(process.env.SOAK_SYNC_SECONDS ?? 5);
const WINDOW = 10;

const batch = (round: number) => ({ observations: dailyVisitedRows(500, '1980-01-01', (i) => round * 1000 + i, 'soak') });

/** Requests a client can send that must each get a 4xx, never a 5xx. */
const HOSTILE: autocannon.Request[] = [
  { method: 'GET', path: '/v1/compare?regions=nowhere' },
  { method: 'GET', path: '/v1/observations?pageSize=-1&asOf=9999' },
  { method: 'GET', path: '/v1/observations?cursor=%E0%A4%A' },
  { method: 'DELETE', path: '/v1/regions' },
  { method: 'GET', path: '/v1/sync/batches/abc' },
  { method: 'GET', path: '/v1/rankings/no.such?format=csv' },
  { method: 'GET', path: '/v1/regions', headers: { 'x-padding': 'x'.repeat(20_000) } },
  { method: 'POST', path: '/v1/sync/batches', headers: { authorization: 'Bearer rfa_00000000_nope', 'content-type': 'application/json' }, body: '{"observations":[]}' },
  { method: 'GET', path: '/v1/regions/330000/profile', headers: { accept: 'image/png' } },
];

/** Batches a key holder can send that must be refused whole: a date beyond the horizon, a figure and its retraction, a body that is not JSON. */
const REFUSED = [
  JSON.stringify({ observations: dailyVisitedRows(1, '9999-12-31', () => 1, 'soak refused') }),
  JSON.stringify({
    observations: [
      ...dailyVisitedRows(1, '1979-01-01', () => 1, 'soak refused'),
      { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '1979-01-01', retract: true },
    ],
  }),
  '{"observations":[{"region":',
];
const LARGE = Buffer.alloc(60 * 1024 * 1024, 'x');
const is4xx = (status: number) => status >= 400 && status < 500;

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
    let stop = false;
    const writes = { syncs: 0, failed: 0, refused: 0, notRefused: 0, anonymousLarge: 0, largeNot4xx: 0 };
    const largeAnswers = new Map<string, number>();
    const send = async (body: string | Buffer, headers: Record<string, string>) => {
      try {
        const response = await fetch(`${app.baseUrl}/v1/sync/batches`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        await response.arrayBuffer();
        return response.status;
      } catch {
        // The server may answer a large anonymous body and close before it is all sent: no status to read.
        return 0;
      }
    };
    const syncing = (async () => {
      while (!stop) {
        await new Promise((resolve) => setTimeout(resolve, SYNC_EVERY * 1000));
        if (stop) break;
        const authorization = `Bearer ${key}`;
        if ((await send(JSON.stringify(batch(++writes.syncs)), { authorization })) !== 201) writes.failed++;
        const refused = await send(REFUSED[writes.syncs % REFUSED.length], { authorization });
        writes[is4xx(refused) ? 'refused' : 'notRefused']++;
        const large = await Promise.all([0, 1, 2].map(() => send(LARGE, {})));
        writes.anonymousLarge += large.length;
        for (const answer of large.map((status) => (status ? String(status) : 'closed before an answer'))) largeAnswers.set(answer, (largeAnswers.get(answer) ?? 0) + 1);
        writes.largeNot4xx += large.filter((status) => status !== 0 && !is4xx(status)).length;
      }
    })();

    const startRss = rssMb(pid);
    console.log(
      `\nSoak: ${SECONDS} s, 10 connections over ${paths.length} read paths and 2 over ${HOSTILE.length} hostile ones; every ${SYNC_EVERY} s a 500-row sync, a batch to refuse and 3 anonymous 60 MB posts; app RSS at start ${startRss.toFixed(0)} MB\n`,
    );
    console.log(
      ['window'.padEnd(10), 'requests'.padStart(10), 'errors'.padStart(8), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'RSS MB'.padStart(8)].join(''),
    );
    let total = 0;
    let hostileTotal = 0;
    let errors = 0;
    const rss: number[] = [];
    for (let elapsed = 0; elapsed < SECONDS; elapsed += WINDOW) {
      const [result, hostile] = await Promise.all([
        autocannon({ url: app.baseUrl, connections: 10, duration: WINDOW, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) }),
        autocannon({ url: app.baseUrl, connections: 2, duration: WINDOW, requests: HOSTILE }),
      ]);
      const hostileNot4xx = hostile.requests.total - Object.entries(hostile.statusCodeStats ?? {}).reduce((n, [code, { count = 0 }]) => n + (is4xx(Number(code)) ? count : 0), 0);
      const bad = result.non2xx + result.errors + result.timeouts + hostileNot4xx;
      hostileTotal += hostile.requests.total;
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
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const stuck = await runningBatches(db);
    await db.end();
    const half = rss.slice(Math.floor(rss.length / 2));
    console.log(`\n${total.toLocaleString('en')} reads and ${hostileTotal.toLocaleString('en')} hostile requests, ${errors} errors`);
    console.log(
      `${writes.syncs} syncs, ${writes.failed} failed; ${writes.refused + writes.notRefused} batches to refuse, ${writes.notRefused} not refused; ${writes.anonymousLarge} anonymous 60 MB posts (${[...largeAnswers].map(([answer, n]) => `${n}× ${answer}`).join(', ')}), ${writes.largeNot4xx} answered other than 4xx; ${stuck} batches left running`,
    );
    console.log(
      `RSS: ${startRss.toFixed(0)} MB at start, ${rss.at(-1)!.toFixed(0)} MB at the end; second half ranges ${Math.min(...half).toFixed(0)}–${Math.max(...half).toFixed(0)} MB`,
    );
    if (errors || writes.failed || writes.notRefused || writes.largeNot4xx || stuck) process.exitCode = 1;
  } finally {
    await app.stop();
    await database.drop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
