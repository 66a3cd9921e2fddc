import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { createApiKey } from '../support/api-keys.js';
import { runScript, startMain } from '../support/processes.js';
import { peakDuring, peakRssMb, rssMb } from '../support/memory.js';
import { dailyVisitedRows } from '../support/synthetic-rows.js';
import { createTestDatabase } from '../support/test-database.js';

/**
 * Time and peak memory of the service for one 50,000-observation batch (create, resend, update),
 * beside a baseline: the same rows written by one bare INSERT … SELECT unnest() through pg, with
 * no HTTP, validation or history. Run with `npm run bench:sync`.
 */
const ROWS = 50_000;

const rows = (offset: number) => dailyVisitedRows(ROWS, '1850-01-01', (i) => i + offset, 'benchmark');

/**
 * Before a key is checked nothing heavy happens: ten anonymous 60 MB posts at once, and the app's
 * RSS before and at its peak (target: within 50 MB of idle). Then how long a body trickled in a
 * byte a second stays open with REQUEST_TIMEOUT_MS=5000.
 */
async function trustBoundary(databaseUrl: string): Promise<void> {
  const app = await startMain({ DATABASE_URL: databaseUrl, REQUEST_TIMEOUT_MS: '5000' });
  try {
    const pid = app.child.pid!;
    const body = Buffer.alloc(60 * 1024 * 1024, 'x');
    const idle = rssMb(pid);
    const statuses: (number | string)[] = [];
    const peak = await peakDuring(pid, () =>
      Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${app.baseUrl}/v1/sync/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
            async (response) => {
              await response.arrayBuffer();
              statuses.push(response.status);
            },
            (error: Error) => statuses.push(`${error.message}`),
          ),
        ),
      ),
    );
    const key = await createApiKey(databaseUrl, 'bench-slow');
    const { hostname, port } = new URL(app.baseUrl);
    const started = performance.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), hostname, () =>
        socket.write(`POST /v1/sync/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nAuthorization: Bearer ${key}\r\n\r\n`),
      );
      const trickle = setInterval(() => socket.write('x'), 1000);
      let received = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(received.split('\r\n')[0]);
      });
      socket.on('error', () => undefined);
    });
    const cut = (performance.now() - started) / 1000;
    console.log(`\nBefore the key is checked (REQUEST_TIMEOUT_MS=5000)\n`);
    console.log(
      `10 anonymous 60 MB posts at once: answers ${[...new Set(statuses)].join(', ')}; app RSS ${idle.toFixed(0)} MB idle, ${peak.toFixed(0)} MB at its peak (+${(peak - idle).toFixed(0)} MB; target within 50 MB)`,
    );
    console.log(`a body trickled at one byte a second: "${answer}" after ${cut.toFixed(1)} s`);
  } finally {
    await app.stop();
  }
}

async function main() {
  let dir: string | undefined;
  let stopServer = async () => undefined as void;
  if (process.env.TEST_DATABASE_URL) process.env.TEST_ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL;
  else {
    dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-bench-'));
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata') });
    process.env.TEST_ADMIN_DATABASE_URL = server.url('postgres');
    stopServer = () => server.stop();
  }
  const database = await createTestDatabase('bench');
  await trustBoundary(database.url);
  const app = await startMain({ DATABASE_URL: database.url });
  try {
    const key = await createApiKey(database.url, 'bench');
    const pid = app.child.pid!;
    const results: { step: string; seconds: number; counts: string; peakRssMb: number }[] = [];
    const post = async (step: string, body: unknown) => {
      const payload = JSON.stringify(body);
      const started = performance.now();
      const response = await fetch(`${app.baseUrl}/v1/sync/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: payload,
      });
      const report = (await response.json()) as { counts?: { observations: Record<string, number> }; detail?: string };
      if (!response.ok) throw new Error(`${step}: ${response.status} ${report.detail}`);
      results.push({ step, seconds: (performance.now() - started) / 1000, counts: JSON.stringify(report.counts!.observations), peakRssMb: peakRssMb(pid) });
    };
    const idle = peakRssMb(pid);
    await post(`create ${ROWS} (${(JSON.stringify({ observations: rows(1) }).length / 1e6).toFixed(1)} MB body)`, { observations: rows(1) });
    await post('send the same batch again', { observations: rows(1) });
    await post('update every row', { observations: rows(2) });

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`CREATE TEMP TABLE baseline (LIKE observations INCLUDING DEFAULTS)`);
    const data = rows(1);
    const started = performance.now();
    await client.query(
      `INSERT INTO baseline (id, region_code, indicator_code, as_of, as_of_precision, as_of_inferred, value, value_printed, unit_printed, qualifier, source_id, quote)
       SELECT row_number() OVER (), * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::boolean[], $6::numeric[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])`,
      [
        data.map((r) => r.region),
        data.map((r) => r.indicator),
        data.map((r) => r.asOf),
        data.map((r) => r.asOfPrecision),
        data.map((r) => r.asOfInferred),
        data.map((r) => r.value),
        data.map((r) => r.valuePrinted),
        data.map((r) => r.unitPrinted),
        data.map((r) => r.qualifier),
        data.map((r) => r.source),
        data.map((r) => r.quote),
      ],
    );
    const baselineSeconds = (performance.now() - started) / 1000;
    await client.end();

    console.log(`\n${ROWS} observations per batch; server peak RSS before the first batch: ${idle.toFixed(0)} MB\n`);
    console.log(['step'.padEnd(44), 'seconds'.padStart(8), 'rows/s'.padStart(9), 'peak RSS MB'.padStart(12), '  counts'].join(''));
    for (const r of results) {
      console.log(
        [
          r.step.padEnd(44),
          r.seconds.toFixed(2).padStart(8),
          Math.round(ROWS / r.seconds)
            .toString()
            .padStart(9),
          r.peakRssMb.toFixed(0).padStart(12),
          `  ${r.counts}`,
        ].join(''),
      );
    }
    console.log(
      [
        `baseline: bare INSERT of the same rows`.padEnd(44),
        baselineSeconds.toFixed(2).padStart(8),
        Math.round(ROWS / baselineSeconds)
          .toString()
          .padStart(9),
        ''.padStart(12),
        '  (no HTTP, validation, history)',
      ].join(''),
    );

    // The command line streams a CSV file in 50,000-row batches: its memory should not follow the file's size.
    const csvDir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-stream-'));
    try {
      console.log(`\nnpm run sync -- --file rows.csv (streamed in batches of 50,000)\n`);
      console.log(['file'.padEnd(24), 'MB'.padStart(6), 'seconds'.padStart(9), 'rows/s'.padStart(9), 'CLI peak RSS MB'.padStart(17)].join(''));
      for (const [n, count] of (process.env.STREAM_ROWS ?? '100000,500000').split(',').map(Number).entries()) {
        const file = path.join(csvDir, `rows-${count}.csv`);
        // Daily figures from year 1 (the second file from year 301): every date before today's horizon.
        const start = Date.parse(`${String(1 + n * 300).padStart(4, '0')}-01-01T00:00:00Z`);
        const lines = ['region,indicator,asOf,asOfPrecision,asOfInferred,value,valuePrinted,unitPrinted,qualifier,source,quote'];
        for (let i = 0; i < count; i++) {
          lines.push(
            `320000,smb_outreach.enterprises_visited,${new Date(start + i * 86_400_000).toISOString().slice(0, 10)},day,false,${i * 1e4},${i},万家,exact,002_caa4a03adb5becde,stream row ${i}`,
          );
        }
        writeFileSync(file, lines.join('\n'));
        const size = statSync(file).size / 1e6;
        const started = performance.now();
        const run = await runScript('src/cli/sync.js', { DATABASE_URL: database.url }, ['--file', file]);
        const seconds = (performance.now() - started) / 1000;
        const peak = /peak RSS (\d+) MB/.exec(run.stdout)?.[1];
        if (run.code !== 0 || !peak) throw new Error(`sync CLI failed on ${count} rows: ${run.stderr.slice(0, 500)}`);
        console.log(
          [
            `${count.toLocaleString('en')} rows`.padEnd(24),
            size.toFixed(0).padStart(6),
            seconds.toFixed(1).padStart(9),
            Math.round(count / seconds)
              .toString()
              .padStart(9),
            peak.padStart(17),
          ].join(''),
        );
      }
    } finally {
      rmSync(csvDir, { recursive: true, force: true });
    }
  } finally {
    await app.stop();
    await database.drop();
    await stopServer();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
