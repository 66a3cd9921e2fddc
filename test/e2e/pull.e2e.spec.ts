import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runScript, startMain } from '../support/processes.js';
import { createTestDatabase } from '../support/test-database.js';
import { until } from '../support/until.js';

const row = (asOf: string, printed: number) => ({
  region: '320000',
  indicator: 'smb_outreach.entities_visited',
  asOf,
  asOfPrecision: 'month',
  asOfInferred: false,
  value: printed * 1e4,
  valuePrinted: String(printed),
  unitPrinted: '万户',
  qualifier: 'exact',
  source: '002_caa4a03adb5becde',
  quote: `pull test ${asOf}`,
});

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('scheduled pulls and the sync command', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-pull-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pulls a JSON file on schedule through the batch code path', async () => {
    const file = path.join(dir, 'batch.json');
    writeFileSync(file, JSON.stringify({ observations: [row('2026-05-31', 500)] }));
    const database = await createTestDatabase('pullfile');
    const app = await startMain({ DATABASE_URL: database.url, SYNC_CRON: '* * * * * *', SYNC_SOURCE: file });
    try {
      const [batch] = await until('a scheduled batch has finished', async () => {
        const rows = await query<{ id: string; status: string; source_name: string }>(
          database.url,
          `SELECT id, status, source_name FROM sync_batches WHERE origin = 'schedule' AND status <> 'running' ORDER BY id LIMIT 1`,
        );
        return rows.length ? rows : undefined;
      });
      expect(batch).toMatchObject({ status: 'applied', source_name: file });
      const response = await fetch(`${app.baseUrl}/v1/observations?region=320000&indicator=smb_outreach.entities_visited&from=2026-05-31&to=2026-05-31`);
      expect(((await response.json()) as { data: { value: number }[] }).data[0].value).toBe(5_000_000);
    } finally {
      await app.stop();
      await database.drop();
    }
  });

  it('pulls CSV from an http server, and records a source it cannot read as a failed batch', async () => {
    let requests = 0;
    const server = http.createServer((req, res) => {
      requests += 1;
      if (req.url !== '/batch.csv') return res.writeHead(404).end();
      const r = row('2026-06-30', 510);
      const header = Object.keys(r);
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(`\uFEFF${header.join(',')}\r\n${header.map((k) => String(r[k as keyof typeof r])).join(',')}\r\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const database = await createTestDatabase('pullhttp');
    try {
      const app = await startMain({ DATABASE_URL: database.url, SYNC_CRON: '* * * * * *', SYNC_SOURCE: `${base}/batch.csv` });
      try {
        await until('the pulled row is in', async () => (await query(database.url, `SELECT 1 FROM observations WHERE as_of = '2026-06-30' AND region_code = '320000'`)).length > 0);
        expect(requests).toBeGreaterThan(0);
      } finally {
        await app.stop();
      }
      const failing = await runScript('src/cli/sync.js', { DATABASE_URL: database.url }, ['--file', `${base}/missing.csv`]);
      expect(failing.code).toBe(1);
      expect(failing.stderr).toContain('404');
      const [failed] = await query<{ status: string; error: string }>(database.url, `SELECT status, error FROM sync_batches WHERE origin = 'cli' ORDER BY id DESC LIMIT 1`);
      expect(failed.status).toBe('failed');
      expect(failed.error).toContain('missing.csv');
    } finally {
      server.close();
      await database.drop();
    }
  });

  it('runs each scheduled slot exactly once across two instances', async () => {
    const file = path.join(dir, 'shared.json');
    writeFileSync(file, JSON.stringify({ observations: [row('2026-07-31', 520)] }));
    const database = await createTestDatabase('pulltwo');
    const env = { DATABASE_URL: database.url, SYNC_CRON: '* * * * * *', SYNC_SOURCE: file };
    const [a, b] = await Promise.all([startMain(env), startMain(env)]);
    try {
      // Three slots whose pulls have finished; both instances fired on each.
      await until(
        'three scheduled pulls have finished',
        async () => Number((await query<{ n: string }>(database.url, `SELECT count(*) AS n FROM sync_pulls WHERE batch_id IS NOT NULL`))[0].n) >= 3,
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const slots = await query<{ slot: Date; batch_id: string | null }>(database.url, `SELECT slot, batch_id FROM sync_pulls ORDER BY slot`);
    const batches = await query<{ id: string }>(database.url, `SELECT id FROM sync_batches WHERE origin = 'schedule'`);
    expect(slots.length).toBeGreaterThanOrEqual(3);
    // At most one batch per slot: the other instance skipped every slot the first one claimed.
    // (The last slot's pull may have been cut short by the stop, so it can lack its batch.)
    expect(batches.length).toBeLessThanOrEqual(slots.length);
    expect(batches.length).toBeGreaterThanOrEqual(slots.length - 1);
    const linked = slots.filter((s) => s.batch_id !== null).map((s) => s.batch_id);
    expect(new Set(linked).size).toBe(linked.length);
    await until('a pull is logged', () => (a.output() + b.output()).includes('Pull for'));
    await database.drop();
  });

  it('runs once from the command line, with a dry run that writes nothing', async () => {
    const file = path.join(dir, 'cli.json');
    writeFileSync(file, JSON.stringify({ observations: [row('2026-08-31', 530)] }));
    const database = await createTestDatabase('pullcli');
    const app = await startMain({ DATABASE_URL: database.url });
    await app.stop();
    try {
      const dry = await runScript('src/cli/sync.js', { DATABASE_URL: database.url }, ['--file', file, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('dry run, nothing written');
      expect(dry.stdout).toContain('observations: 1 created');
      expect(await query(database.url, `SELECT 1 FROM observations WHERE as_of = '2026-08-31'`)).toHaveLength(0);
      const real = await runScript('src/cli/sync.js', { DATABASE_URL: database.url }, ['--file', file]);
      // Not a terminal: plain progress lines, then the report.
      expect(real.stdout).toMatch(/reading\n.*read 1 observation rows\n.*validating\n.*writing\n/);
      expect(await query(database.url, `SELECT 1 FROM observations WHERE as_of = '2026-08-31'`)).toHaveLength(1);
      writeFileSync(file, '{"observations": [');
      const broken = await runScript('src/cli/sync.js', { DATABASE_URL: database.url }, ['--file', file]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('not valid JSON');
    } finally {
      await database.drop();
    }
  });

  it('streams a large CSV file from the command line in batches, stopping at the first refused one', async () => {
    const file = path.join(dir, 'stream.csv');
    const header = 'region,indicator,asOf,asOfPrecision,asOfInferred,value,valuePrinted,unitPrinted,qualifier,source,quote';
    const line = (i: number, factor = 1, value = String(i * factor * 1e4)) =>
      `330000,smb_outreach.enterprises_visited,${new Date(Date.UTC(1960, 0, 1 + i)).toISOString().slice(0, 10)},day,false,${value},${i * factor},万家,exact,002_caa4a03adb5becde,"row ${i}, quoted ""with"" commas"`;
    writeFileSync(file, `\uFEFF${header}\r\n${Array.from({ length: 1000 }, (_, i) => line(i)).join('\r\n')}\r\n`);
    const database = await createTestDatabase('pullstream');
    const app = await startMain({ DATABASE_URL: database.url });
    await app.stop();
    const count = async () => Number((await query<{ n: string }>(database.url, `SELECT count(*) AS n FROM observations WHERE as_of < '1970-01-01'`))[0].n);
    try {
      const streamed = await runScript('src/cli/sync.js', { DATABASE_URL: database.url }, ['--file', file, '--batch-rows', '400']);
      expect(streamed.code).toBe(0);
      expect(streamed.stdout).toContain('1,000 observations in 3 batches');
      expect(await count()).toBe(1000);
      expect((await query<{ quote: string }>(database.url, `SELECT quote FROM observations WHERE as_of = '1960-01-01'`))[0].quote).toBe('row 0, quoted "with" commas');

      // Row 500 is bad: the first part stays applied, the second is refused whole, the third never sent.
      writeFileSync(file, `${header}\n${Array.from({ length: 1000 }, (_, i) => line(i, 2, i === 500 ? 'lots' : undefined)).join('\n')}\n`);
      const refused = await runScript('src/cli/sync.js', { DATABASE_URL: database.url }, ['--file', file, '--batch-rows', '400']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Part 2');
      const values = await query<{ v: number }>(database.url, `SELECT value::float AS v FROM observations WHERE as_of < '1970-01-01' ORDER BY as_of`);
      expect(values.slice(0, 400).every((r, i) => Number(r.v) === i * 2e4)).toBe(true);
      expect(values.slice(400).every((r, i) => Number(r.v) === (i + 400) * 1e4)).toBe(true);
    } finally {
      await database.drop();
    }
  });
});
