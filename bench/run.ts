import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { peakDuring, rssMb } from '../test/support/memory.js';
import { childEnv, startMain } from '../test/support/processes.js';
import { createTestDatabase } from '../test/support/test-database.js';
import { createApiKey } from '../test/support/api-keys.js';
import { visitedRow } from '../test/support/visited-figure.js';

import { loadNational, nationalProbes } from './national.js';

/**
 * npm run bench: the app against two baselines in one run, on loopback and bounded in time.
 * Targets are interleaved (A B A B) so drift of the machine shows in every column alike.
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 10;
/** The width of the target column: a previous version's rows carry its label too. */
const WIDTH = 68;
const HOT_NAMES = { profile: 'region profile', 'compare 2': 'compare 2 regions', 'compare 7': 'compare 7 regions', ranking: 'ranking' } as const;
const CHART = `app: ${HOT_NAMES['compare 2']} as SVG`;
const QUIET = 'no metrics, no request log: ';

/** The length of the gzip stream the app sends for a URL (fetch would decode it). */
function compressedSize(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        let length = 0;
        response.on('data', (chunk: Buffer) => (length += chunk.length));
        response.on('end', () => (response.headers['content-encoding'] === 'gzip' ? resolve(length) : reject(new Error(`${url} was not sent gzipped`))));
      })
      .on('error', reject);
  });
}

interface Result {
  name: string;
  rps: number[];
  p50: number[];
  p99: number[];
}

async function measure(url: string, headers: Record<string, string> = {}, expect = 200): Promise<{ rps: number; p50: number; p99: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const bad = result.non2xx - (expect === 304 ? (result['3xx'] ?? 0) : 0);
  if (result.errors || result.timeouts || (expect === 200 && result.non2xx))
    throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${bad} unexpected statuses`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** Seconds from spawning `node dist/src/main.js` to "Listening", with its own embedded PostgreSQL: first start, then a later one. */
async function startupTimes(dir: string, label: string, root?: string): Promise<void> {
  const env = { EMBEDDED_PG_DATA_DIR: path.join(dir, `startup-data-${label}`), RATE_LIMIT_PER_MINUTE: '1000' };
  const times: number[] = [];
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    const app = await startMain(env, 120_000, root);
    times.push((performance.now() - started) / 1000);
    await app.stop();
  }
  console.log(
    `Start-up of ${label} with embedded PostgreSQL: first start (init, migrate, seed) ${times[0].toFixed(1)} s (target 15 s); later start ${times[1].toFixed(1)} s (target 5 s)`,
  );
}

/** Copies what `npm start` reads into `into` (node_modules linked), so its builds cannot touch this run's dist. */
function copyProject(into: string): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  for (const entry of [
    'src',
    'explorer',
    'migrations',
    'seeds',
    'test',
    'bench',
    'examples',
    'tools',
    'openapi.json',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'nest-cli.json',
  ])
    cpSync(path.join(root, entry), path.join(into, entry), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(into, 'node_modules'));
}

/** Seconds from running `command` in `cwd` to the app's "Listening" line; the app is then stopped. */
async function secondsToListening(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }), detached: true });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code} before listening:\n${output}`)));
  });
  const seconds = (performance.now() - started) / 1000;
  // npm's shell and the app it started: stop the whole group.
  process.kill(-child.pid!, 'SIGTERM');
  await once(child, 'exit');
  return seconds;
}

/**
 * `npm start` as a new user runs it, in a copy of the project: the first time (it builds, then
 * initialises, migrates and seeds), and again with nothing changed (no build). Beside them, the
 * build every start ran before the build stamp.
 */
async function npmStartTimes(dir: string): Promise<void> {
  const project = path.join(dir, 'npm-start');
  copyProject(project);
  const env = { EMBEDDED_PG_DATA_DIR: path.join(project, '.data/postgres') };
  const first = await secondsToListening('npm', ['start'], project, env);
  const second = await secondsToListening('npm', ['start'], project, env);
  const started = performance.now();
  execFileSync('npm', ['run', 'build'], { cwd: project, stdio: 'ignore' });
  const build = (performance.now() - started) / 1000;
  console.log(
    `npm start: first ${first.toFixed(1)} s (build, init, migrate, seed); again with nothing changed ${second.toFixed(1)} s (target 3 s); the full build it skips ${build.toFixed(1)} s`,
  );
}

/** --against DIR: another checkout, built (its dist/src/main.js), measured in the same run as this one; its label names its commit. */
function previousVersion(): { root: string; label: string } | undefined {
  const flag = process.argv.indexOf('--against');
  if (flag < 0) return undefined;
  const root = path.resolve(process.argv[flag + 1] ?? '');
  if (!existsSync(path.join(root, 'dist/src/main.js'))) throw new Error(`--against ${root}: no dist/src/main.js there (build that checkout first)`);
  let commit = path.basename(root);
  try {
    commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: its folder name labels it.
  }
  return { root, label: `previous ${commit}` };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * The whole national dataset downloaded as CSV (`/v1/observations?format=csv`), read as fast as the
 * client can: rows, seconds and the app's RSS idle and at its peak. Beside it, PostgreSQL's own
 * `COPY … TO STDOUT` of the same rows in the same order through psql: what the database alone takes.
 */
async function nationalExport(app: { baseUrl: string; child: { pid?: number } }, databaseUrl: string): Promise<void> {
  const pid = app.child.pid!;
  const idle = rssMb(pid);
  let bytes = 0;
  let lines = 0;
  const started = performance.now();
  const peak = await peakDuring(pid, async () => {
    const response = await fetch(`${app.baseUrl}/v1/observations?format=csv`);
    if (response.status !== 200) throw new Error(`the export answered ${response.status}`);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines++;
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const copyStarted = performance.now();
  const psql = spawn('psql', [
    databaseUrl,
    '-X',
    '-q',
    '-c',
    `\\copy (SELECT * FROM published_observations ORDER BY region_code, indicator_code, as_of DESC, id) TO STDOUT WITH (FORMAT csv, HEADER)`,
  ]);
  let copied = 0;
  psql.stdout.on('data', (chunk: Buffer) => (copied += chunk.length));
  const [code] = (await once(psql, 'exit')) as [number];
  if (code !== 0) throw new Error(`psql \\copy exited ${code}`);
  const copySeconds = (performance.now() - copyStarted) / 1000;
  console.log(`
The whole dataset as CSV: ${(lines - 1).toLocaleString('en')} lines after the header, ${(bytes / 1e9).toFixed(2)} GB in ${seconds.toFixed(0)} s (${Math.round((lines - 1) / seconds).toLocaleString('en')} lines/s); app RSS ${idle.toFixed(0)} MB idle, ${peak.toFixed(0)} MB at its peak
baseline: psql \\copy of the same rows, ${(copied / 1e9).toFixed(2)} GB in ${copySeconds.toFixed(0)} s`);
}

/** PostgreSQL's own defaults for what the embedded server sizes from memory: the other side of the national comparison. */
const POSTGRES_DEFAULTS = 'shared_buffers=128MB effective_cache_size=4GB work_mem=4MB maintenance_work_mem=64MB';

/** Settings, sizes and buffer counters of the benchmark's database, so a slow run explains itself. */
async function databaseFacts(databaseUrl: string): Promise<{ settings: string; sizes: string; counters: () => Promise<{ hit: number; read: number }> }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const names = ['shared_buffers', 'effective_cache_size', 'work_mem', 'random_page_cost'];
  const settings = (await db.query<{ name: string; setting: string }>(`SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) name`, [names])).rows
    .map((row) => `${row.name}=${row.setting}`)
    .join(' ');
  const [size] = (
    await db.query<{ database: string; observations: string; latest: string }>(
      `SELECT pg_size_pretty(pg_database_size(current_database())) AS database, pg_size_pretty(pg_total_relation_size('observations')) AS observations,
              pg_size_pretty(pg_total_relation_size('latest_observations')) AS latest`,
    )
  ).rows;
  await db.end();
  const counters = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const [row] = (await client.query<{ hit: string; read: string }>(`SELECT blks_hit AS hit, blks_read AS read FROM pg_stat_database WHERE datname = current_database()`)).rows;
    await client.end();
    return { hit: Number(row.hit), read: Number(row.read) };
  };
  return { settings, sizes: `database ${size.database}, observations with indexes ${size.observations}, latest values ${size.latest}`, counters };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/**
 * --dataset national: 7.3M observations, one client, cache off. Rounds alternate between the
 * embedded server as this version sizes it and PostgreSQL's defaults, each on a restarted server
 * (with --cold, after the kernel's page cache is dropped too: the machine that reclaimed it), and
 * print each endpoint's p95 as min / median / max over the rounds; then the whole dataset as CSV
 * (unless --no-export) and the plans of the hot queries.
 */
async function national(dir: string) {
  const dataDir = path.join(dir, 'pgdata');
  let server = await startEmbeddedPostgres({ dataDir, settings: process.env.EMBEDDED_PG_SETTINGS });
  process.env.TEST_ADMIN_DATABASE_URL = server.url('postgres');
  const database = await createTestDatabase('national');
  const urlOf = () => server.url(database.name);
  const rounds = Number(process.env.NATIONAL_ROUNDS ?? 3);
  const cold = process.argv.includes('--cold');
  try {
    // The app migrates and seeds on its first start; the national data goes in beside the seed.
    await (await startMain({ DATABASE_URL: urlOf() })).stop();
    const loadStarted = performance.now();
    console.log('Loading the national dataset…');
    const loaded = await loadNational(urlOf(), console.log);
    console.log(
      `${loaded.observations.toLocaleString('en')} observations in ${loaded.regions.toLocaleString('en')} regions, loaded in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`,
    );
    const requests = Number(process.env.BENCH_REQUESTS ?? 200);
    const phases = [
      { label: 'sized from memory', settings: process.env.EMBEDDED_PG_SETTINGS ?? '', p95: new Map<string, number[]>(), p50: new Map<string, number[]>(), hits: [] as number[] },
      { label: "PostgreSQL's defaults", settings: POSTGRES_DEFAULTS, p95: new Map<string, number[]>(), p50: new Map<string, number[]>(), hits: [] as number[] },
    ];
    console.log(
      `\nOne client, cache off, ${requests} requests per endpoint (after 20 warm-up) per round, parameters drawn with a fixed seed; ${rounds} rounds of each setting, alternating, each on a restarted server${cold ? ' after dropping the kernel page cache' : ''}`,
    );
    let names: string[] = [];
    let targets: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const phase of phases) {
        await server.stop();
        if (cold) execFileSync('sh', ['-c', 'sync && echo 3 > /proc/sys/vm/drop_caches']);
        server = await startEmbeddedPostgres({ dataDir, settings: phase.settings });
        process.env.TEST_ADMIN_DATABASE_URL = server.url('postgres');
        const facts = await databaseFacts(urlOf());
        if (round === 1) console.log(`${phase.label}: ${facts.settings}\n  ${facts.sizes}`);
        const app = await startMain({ DATABASE_URL: urlOf(), RATE_LIMIT_PER_MINUTE: '100000000', RESPONSE_CACHE: 'false' });
        const { probes, explain } = await nationalProbes(urlOf());
        names = probes.map((probe) => probe.name);
        targets = probes.map((probe) => probe.target);
        const before = await facts.counters();
        try {
          for (const probe of probes) {
            const latencies: number[] = [];
            for (let i = 0; i < requests + 20; i++) {
              const url = `${app.baseUrl}${probe.urls()}`;
              const started = performance.now();
              const response = await fetch(url);
              await response.arrayBuffer();
              if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
              if (i >= 20) latencies.push(performance.now() - started);
            }
            latencies.sort((a, b) => a - b);
            phase.p95.set(probe.name, [...(phase.p95.get(probe.name) ?? []), percentile(latencies, 95)]);
            phase.p50.set(probe.name, [...(phase.p50.get(probe.name) ?? []), percentile(latencies, 50)]);
          }
          const after = await facts.counters();
          const hit = after.hit - before.hit;
          phase.hits.push(hit / Math.max(1, hit + after.read - before.read));
          console.log(
            `round ${round}, ${phase.label}: p95 ${names.map((name) => phase.p95.get(name)!.at(-1)!.toFixed(1)).join(' / ')} ms; buffer hits ${(phase.hits.at(-1)! * 100).toFixed(2)}%`,
          );
          const last = round === rounds && phase === phases[0];
          if (last) {
            if (!process.argv.includes('--no-export')) await nationalExport(app, urlOf());
            console.log(`\n## Plans of the hot queries on the national dataset\n\n${await explain()}`);
          } else await explain().catch(() => undefined);
        } finally {
          await app.stop();
        }
      }
    }
    for (const phase of phases) {
      console.log(`\n${phase.label}: buffer hit ratio per round ${phase.hits.map((ratio) => `${(ratio * 100).toFixed(2)}%`).join(', ')}`);
      console.log(['endpoint'.padEnd(48), 'p50 ms'.padStart(8), 'p95 min'.padStart(9), 'median'.padStart(8), 'max'.padStart(8), 'target p95'.padStart(12)].join(''));
      names.forEach((name, i) => {
        const p95 = phase.p95.get(name)!;
        console.log(
          [
            name.padEnd(48),
            median(phase.p50.get(name)!).toFixed(1).padStart(8),
            Math.min(...p95)
              .toFixed(1)
              .padStart(9),
            median(p95).toFixed(1).padStart(8),
            Math.max(...p95)
              .toFixed(1)
              .padStart(8),
            targets[i].padStart(12),
          ].join(''),
        );
      });
    }
  } finally {
    await database.drop();
    await server.stop();
  }
}

/** CONNECTIONS clients going round `paths` on `base` for `ms`: when each answer arrived, in ms from the start. */
async function readBurst(base: string, paths: string[], ms: number): Promise<number[]> {
  const started = performance.now();
  const arrived: number[] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, client) => {
      for (let i = client; performance.now() - started < ms; i++) {
        const response = await fetch(`${base}${paths[i % paths.length]}`);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${paths[i % paths.length]}: ${response.status}`);
        arrived.push(performance.now() - started);
      }
    }),
  );
  return arrived;
}

/**
 * A write empties every instance's cache, so the reads right after a batch are misses. Two
 * instances on the bench database, one refilling its most-read answers after a write (the default)
 * and one not (RESPONSE_CACHE_REFILL=0), alternately: each is read hot, sent a one-figure batch,
 * and read again at once; printed is how long the reads take to be back at 90% of the hot rate.
 */
/**
 * The explorer as a person meets it: its JavaScript gzipped, and the time from opening a link to
 * a comparison until its chart is on the page, in Debian's Chromium (skipped without one).
 */
async function explorerFirstChart(base: string): Promise<void> {
  const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), '../explorer/assets');
  const scripts = readdirSync(assets).filter((file) => file.endsWith('.js'));
  const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(assets, file))).length, 0);
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    console.log(`\nExplorer: ${(gzipped / 1024).toFixed(1)} KB of JavaScript gzipped; no Chromium at ${chromiumPath}, so no first-chart time`);
    return;
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < 7; i++) {
      // A fresh context each time: nothing cached in the browser.
      const context = await browser.newContext();
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${base}/?regions=330000,320000&topic=smb_outreach&lang=zh`);
      await page.locator('#chart svg').waitFor();
      times.push(performance.now() - started);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  times.sort((a, b) => a - b);
  console.log(
    `\nExplorer: ${(gzipped / 1024).toFixed(1)} KB of JavaScript gzipped; link opened to chart shown, 7 fresh browser contexts: median ${percentile(times, 50).toFixed(0)} ms, slowest ${times.at(-1)!.toFixed(0)} ms`,
  );
}

async function afterWrite(databaseUrl: string, paths: string[]): Promise<void> {
  const key = await createApiKey(databaseUrl, 'bench');
  const env = { DATABASE_URL: databaseUrl, RATE_LIMIT_PER_MINUTE: '100000000' };
  const instances = [
    { label: 'refills its 50 most-read answers (default)', app: await startMain(env), back: [] as number[], first: [] as number[], hot: [] as number[] },
    {
      label: 'no refill (RESPONSE_CACHE_REFILL=0)',
      app: await startMain({ ...env, RESPONSE_CACHE_REFILL: '0' }),
      back: [] as number[],
      first: [] as number[],
      hot: [] as number[],
    },
  ];
  const WINDOW = 50;
  let printed = 590;
  try {
    for (let round = 0; round < 3; round++) {
      for (const instance of instances) {
        const base = instance.app.baseUrl;
        await readBurst(base, paths, 500);
        const hotRate = (await readBurst(base, paths, 1000)).length / 1000;
        const write = await fetch(`${base}/v1/sync/batches`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ observations: [visitedRow(printed++)] }),
        });
        if (write.status !== 201) throw new Error(`the batch was answered ${write.status}`);
        const arrived = await readBurst(base, paths, 2000);
        const windows = Array.from({ length: 2000 / WINDOW }, (_, i) => arrived.filter((t) => t >= i * WINDOW && t < (i + 1) * WINDOW).length / WINDOW);
        const back = windows.findIndex((rate) => rate >= 0.9 * hotRate);
        instance.hot.push(hotRate * 1000);
        instance.first.push(arrived.filter((t) => t < 200).length * 5);
        instance.back.push(back < 0 ? Infinity : (back + 1) * WINDOW);
      }
    }
  } finally {
    for (const { app } of instances) await app.stop();
  }
  console.log(
    `\nAfter a write: ${CONNECTIONS} clients reading ${paths.length} answers in turn, then a one-figure batch through the same instance and the same reads at once; 3 rounds each, alternating\n`,
  );
  console.log(['instance'.padEnd(48), 'hot req/s'.padStart(11), 'first 200 ms req/s'.padStart(20), 'back at 90% after ms (each round)'.padStart(36)].join(''));
  for (const { label, hot, first, back } of instances) {
    console.log([label.padEnd(48), median(hot).toFixed(0).padStart(11), median(first).toFixed(0).padStart(20), back.join(', ').padStart(36)].join(''));
  }
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-bench-'));
  chmodSync(dir, 0o755);
  const flag = process.argv.indexOf('--dataset');
  const dataset = flag >= 0 ? process.argv[flag + 1] : 'seed';
  if (dataset !== 'seed' && dataset !== 'national') throw new Error(`--dataset must be seed or national, not ${dataset}`);
  if (dataset === 'national') {
    try {
      await national(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const previous = previousVersion();
  console.log('');
  await npmStartTimes(dir);
  await startupTimes(dir, 'this version');
  if (previous) await startupTimes(dir, previous.label, previous.root);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata') });
  process.env.TEST_ADMIN_DATABASE_URL = server.url('postgres');
  const database = await createTestDatabase('bench');
  // Each instance logs to a file, as a deployment's goes to disk: not through autocannon's event loop.
  const log = (name: string) => path.join(dir, `${name}.log`);
  const app = await startMain({ DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: '100000000' }, 60_000, undefined, log('app'));
  const cold = await startMain({ DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: '100000000', RESPONSE_CACHE: 'false' }, 60_000, undefined, log('cold'));
  // The same app without its metrics and request log: what observing it costs.
  const quiet = await startMain({ DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: '100000000', METRICS: 'false', LOG_REQUESTS: 'false' }, 60_000, undefined, log('quiet'));
  // The previous version gets a database of its own: it migrates and seeds it with its own schema and data.
  const previousDatabase = previous ? await createTestDatabase('previous') : undefined;
  const previousApps = previous
    ? {
        cached: await startMain({ DATABASE_URL: previousDatabase!.url, RATE_LIMIT_PER_MINUTE: '100000000' }, 60_000, previous.root),
        cold: await startMain({ DATABASE_URL: previousDatabase!.url, RATE_LIMIT_PER_MINUTE: '100000000', RESPONSE_CACHE: 'false' }, 60_000, previous.root),
      }
    : undefined;
  // The baselines run in a process of their own, like the app, not beside autocannon.
  const baselines = spawn(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), 'baselines.js'), database.url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(baselines.stdout, 'data')) as [Buffer];
  const urls = JSON.parse(line.toString()) as { hello: string; fastifyPg: string };
  const hello = { url: urls.hello, close: async () => void baselines.kill('SIGTERM') };
  const fastifyPg = { url: urls.fastifyPg, close: async () => undefined };
  try {
    const pilotZones = '110000,310000,320100,330100,330400,340100,370100';
    const ranking = 'smb_outreach.loans_disbursed_cumulative';
    // The paths of the hot reads, on the cached instance and, below, on the one without the cache.
    const paths = {
      profile: '/v1/regions/330000/profile',
      'compare 2': '/v1/compare?regions=330000,320000',
      'compare 7': `/v1/compare?regions=${pilotZones}`,
      ranking: `/v1/rankings/${ranking}?level=province`,
    };
    const hot = Object.fromEntries(Object.entries(paths).map(([name, p]) => [name, `${app.baseUrl}${p}`])) as typeof paths;
    const hotKeys = Object.keys(hot) as (keyof typeof hot)[];
    const etag = (await fetch(hot.profile)).headers.get('etag')!;
    const sizes = Object.fromEntries(await Promise.all(hotKeys.map(async (key) => [key, (await (await fetch(hot[key])).arrayBuffer()).byteLength])));
    const gzipSizes = Object.fromEntries(await Promise.all(hotKeys.map(async (key) => [key, await compressedSize(hot[key])])));
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB`;
    const copyName = (key: keyof typeof hot, gzip = false) => `baseline: Fastify, ${key}'s ${kb(gzip ? gzipSizes[key] : sizes[key])}${gzip ? ' gzip' : ''}`;
    const gzip = { 'accept-encoding': 'gzip' };
    // `same` names the baseline that runs this endpoint's SQL, for the "vs pg" ratio.
    // `bytes` names the baseline that sends this endpoint's own body, for the "vs bytes" ratio.
    // `previous` names the same target on the previous version, for the "vs prev" ratio.
    const targets: { name: string; url: string; headers?: Record<string, string>; expect?: number; same?: string; bytes?: string; previous?: string }[] = [
      { name: 'baseline: Fastify hello', url: `${hello.url}/hello` },
      ...hotKeys.map((key) => ({ name: copyName(key), url: `${hello.url}/copy?url=${encodeURIComponent(hot[key])}` })),
      ...hotKeys.map((key) => ({ name: copyName(key, true), url: `${hello.url}/copy?gzip=true&url=${encodeURIComponent(hot[key])}` })),
      { name: 'baseline: Fastify + pg, profile SQL', url: `${fastifyPg.url}/profile/330000` },
      { name: 'baseline: Fastify + pg, compare 2 SQL', url: `${fastifyPg.url}/compare?regions=330000,320000` },
      { name: 'baseline: Fastify + pg, compare 7 SQL', url: `${fastifyPg.url}/compare?regions=${pilotZones}` },
      { name: 'baseline: Fastify + pg, ranking SQL', url: `${fastifyPg.url}/ranking/${ranking}?level=province` },
      ...hotKeys.flatMap((key) => [
        { name: `app: ${HOT_NAMES[key]}`, url: hot[key], same: key, bytes: copyName(key) },
        { name: `${QUIET}${HOT_NAMES[key]}`, url: `${quiet.baseUrl}${paths[key]}`, same: key },
      ]),
      ...hotKeys.map((key) => ({ name: `app: ${HOT_NAMES[key]}, gzip`, url: hot[key], headers: gzip, same: key, bytes: copyName(key, true) })),
      { name: 'app: observations page', url: `${app.baseUrl}/v1/observations?pageSize=50` },
      // The chart of compare 2 beside its JSON (above): drawn once, then served from the cache like the JSON.
      { name: CHART, url: `${hot['compare 2']}&format=svg` },
      { name: `${CHART}, gzip`, url: `${hot['compare 2']}&format=svg`, headers: gzip },
      { name: 'app: profile, 304 revalidation', url: hot.profile, headers: { 'if-none-match': etag }, expect: 304, same: 'profile' },
      ...hotKeys.map((key) => ({ name: `cache off: ${HOT_NAMES[key]}`, url: `${cold.baseUrl}${paths[key]}`, same: key })),
      { name: 'cache off: observations page', url: `${cold.baseUrl}/v1/observations?pageSize=50` },
      { name: `cache off: ${HOT_NAMES['compare 2']} as SVG`, url: `${cold.baseUrl}${paths['compare 2']}&format=svg`, same: 'compare 2' },
    ];
    if (previous && previousApps) {
      // Each of this version's own targets is followed by the same request to the previous version, so drift hits both alike.
      const previousEtag = (await fetch(`${previousApps.cached.baseUrl}${paths.profile}`)).headers.get('etag')!;
      // The previous version draws no charts.
      for (const target of [...targets].filter((t) => (t.name.startsWith('app: ') || t.name.startsWith('cache off: ')) && !t.url.includes('format=svg'))) {
        const url = new URL(target.url);
        const origin = url.origin === new URL(cold.baseUrl).origin ? previousApps.cold.baseUrl : previousApps.cached.baseUrl;
        const headers = target.expect === 304 ? { 'if-none-match': previousEtag } : target.headers;
        target.previous = `${previous.label}, ${target.name}`;
        targets.splice(targets.indexOf(target) + 1, 0, { name: target.previous, url: `${origin}${url.pathname}${url.search}`, headers, expect: target.expect });
      }
    }
    const results: Result[] = targets.map((t) => ({ name: t.name, rps: [], p50: [], p99: [] }));
    for (const target of targets) await measure(target.url, target.headers, target.expect ?? 200); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, target] of targets.entries()) {
        const r = await measure(target.url, target.headers, target.expect ?? 200);
        results[i].rps.push(r.rps);
        results[i].p50.push(r.p50);
        results[i].p99.push(r.p99);
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const hello0 = mean(results[0].rps);
    const baselineRps = (same: string) => mean(results.find((r) => r.name === `baseline: Fastify + pg, ${same} SQL`)!.rps);
    const rpsOf = (name: string) => mean(results.find((r) => r.name === name)!.rps);
    console.log(
      `\n${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION} s per target, seed dataset; "app" has the response cache on, "cache off" is a second instance without it\n`,
    );
    console.log(
      [
        'target'.padEnd(WIDTH),
        'req/s'.padStart(9),
        'p50 ms'.padStart(8),
        'p99 ms'.padStart(8),
        'vs hello'.padStart(10),
        'vs pg'.padStart(8),
        'vs bytes'.padStart(10),
        ...(previous ? ['vs prev'.padStart(9)] : []),
      ].join(''),
    );
    for (const [i, r] of results.entries()) {
      const rps = mean(r.rps);
      const { same, bytes, previous: previousName } = targets[i];
      const vsPg = same ? (rps / baselineRps(same)).toFixed(2) : '-';
      const vsBytes = bytes ? (rps / rpsOf(bytes)).toFixed(2) : '-';
      const vsPrevious = previousName ? (rps / rpsOf(previousName)).toFixed(2) : '-';
      console.log(
        [
          r.name.padEnd(WIDTH),
          rps.toFixed(0).padStart(9),
          mean(r.p50).toFixed(1).padStart(8),
          mean(r.p99).toFixed(1).padStart(8),
          (rps / hello0).toFixed(2).padStart(10),
          vsPg.padStart(8),
          vsBytes.padStart(10),
          ...(previous ? [vsPrevious.padStart(9)] : []),
        ].join(''),
      );
    }
    console.log('\nvs pg: against the baseline that runs the same SQL as the endpoint (the observations list has none).');
    console.log('vs bytes: a hot read against a plain Fastify route sending the same body (the same gzip stream for the gzip rows), kept as bytes.');
    if (previous) console.log(`vs prev: against the same request to ${previous.label} (${previous.root}), on its own database of its own seed, in the same rounds.`);
    const svgBytes = (await (await fetch(`${hot['compare 2']}&format=svg`)).arrayBuffer()).byteLength;
    for (const [suffix, what] of [
      ['', 'cached'],
      [', gzip', 'cached, gzip'],
    ])
      console.log(
        `SVG vs JSON, ${HOT_NAMES['compare 2']} (${what}): ${(rpsOf(`${CHART}${suffix}`) / rpsOf(`app: ${HOT_NAMES['compare 2']}${suffix}`)).toFixed(2)}x the req/s (${kb(svgBytes)} of SVG against ${kb(sizes['compare 2'])} of JSON)`,
      );
    for (const key of hotKeys)
      console.log(`Metrics and request log on vs off, ${HOT_NAMES[key]}: ${(rpsOf(`app: ${HOT_NAMES[key]}`) / rpsOf(`${QUIET}${HOT_NAMES[key]}`)).toFixed(3)}x the req/s`);
    const scrapes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await (await fetch(`${app.baseUrl}/metrics`)).text();
      scrapes.push(performance.now() - started);
    }
    scrapes.sort((a, b) => a - b);
    console.log(`GET /metrics from loopback, 200 scrapes: p50 ${percentile(scrapes, 50).toFixed(2)} ms, p99 ${percentile(scrapes, 99).toFixed(2)} ms`);
    console.log(
      `SVG vs JSON, ${HOT_NAMES['compare 2']} (cache off, drawn per request): ${(rpsOf(`cache off: ${HOT_NAMES['compare 2']} as SVG`) / rpsOf(`cache off: ${HOT_NAMES['compare 2']}`)).toFixed(2)}x the req/s`,
    );
    const profiles = ((await (await fetch(`${app.baseUrl}/v1/regions?pageSize=20`)).json()) as { data: { code: string }[] }).data.map((r) => `/v1/regions/${r.code}/profile`);
    await explorerFirstChart(app.baseUrl);
    await afterWrite(database.url, [...Object.values(paths), ...profiles]);
  } finally {
    await app.stop();
    await cold.stop();
    await quiet.stop();
    await previousApps?.cached.stop();
    await previousApps?.cold.stop();
    await previousDatabase?.drop();
    await hello.close();
    await fastifyPg.close();
    await database.drop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
