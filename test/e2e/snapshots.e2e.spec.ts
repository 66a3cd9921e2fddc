import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { ObservationRow } from '../../src/catalog/schema.js';
import { createApiKey } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { runScript, startMain } from '../support/processes.js';
import { dailyVisitedRows } from '../support/synthetic-rows.js';
import { createTestDatabase } from '../support/test-database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { visitedRow } from '../support/visited-figure.js';

interface Resource {
  name: string;
  path: string;
  bytes: number;
  hash: string;
  schema: { fields: { name: string; type: string; constraints?: { required?: boolean } }[]; foreignKeys?: unknown[] };
}
interface Descriptor {
  profile: string;
  version: string;
  licenses: { name: string }[];
  sources: { id: string; title: string }[];
  resources: Resource[];
}

const chinaDate = (moment: Date) => new Date(moment.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
/** A response body's bytes, as sent. */
const bytesOf = (http: string, url: string) =>
  request(http)
    .get(url)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200)
    .then((response) => response.body as Buffer);

/** A snapshot's descriptor (following latest's redirect) and each file's bytes. */
async function snapshotOf(http: string, date = 'latest'): Promise<{ descriptor: Descriptor; files: Map<string, Buffer>; url: string }> {
  const found = await request(http).get(`/v1/snapshots/${date}`).expect(302);
  const url = found.headers.location;
  const descriptor = (await request(http).get(url).expect(200)).body as Descriptor;
  const files = new Map<string, Buffer>();
  for (const resource of descriptor.resources) files.set(resource.name, await bytesOf(http, url.replace(/datapackage\.json$/, resource.path)));
  return { descriptor, files, url };
}

const rowsOf = (csv: Buffer) => parse<Record<string, string>>(csv, { columns: true });

describe('snapshots: everything published, as a Frictionless data package that loads into an empty instance', () => {
  let t: TestApp;
  let past: string;

  beforeAll(async () => {
    t = await startTestApp('snapshots');
    // The seed as if loaded 40 days ago, so that day has a snapshot of its own to compare with today's.
    const db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
    const [{ finished }] = (
      await db.query<{ finished: Date }>(
        `UPDATE sync_batches SET received_at = received_at - interval '40 days', finished_at = finished_at - interval '40 days' WHERE id = 1 RETURNING finished_at AS finished`,
      )
    ).rows;
    await db.query(`UPDATE observation_revisions SET valid_from = valid_from - interval '40 days' WHERE batch_id = 1`);
    await db.end();
    past = chinaDate(finished);
    // Today: Zhejiang's figure corrected, and more figures than one read of the database returns.
    const key = await createApiKey(t.database.url, 'snapshots');
    const batch = { observations: [visitedRow(600), ...dailyVisitedRows(6_000, '1950-01-01', (i) => i + 1, 'snapshot test')] };
    await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send(batch).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('describes every file with its Table Schema, size and sha256, the licence and the sources', async () => {
    const { descriptor, files, url } = await snapshotOf(t.http);
    expect(url).toBe(`/v1/snapshots/${chinaDate(new Date())}/datapackage.json`);
    expect(descriptor.profile).toBe('tabular-data-package');
    expect(descriptor.licenses.map((licence) => licence.name)).toEqual(['CC-BY-4.0']);
    const sources = (await request(t.http).get('/v1/sources').expect(200)).body as { data: { id: string }[] };
    expect(descriptor.sources.map((source) => source.id)).toEqual(sources.data.map((source) => source.id));
    expect(descriptor.resources.map((resource) => resource.path)).toEqual(['topics.csv', 'regions.csv', 'sources.csv', 'indicators.csv', 'programs.csv', 'observations.csv']);
    for (const resource of descriptor.resources) {
      const file = files.get(resource.name)!;
      expect([resource.name, resource.bytes, resource.hash]).toEqual([resource.name, file.length, sha256(file)]);
      // The header row names the schema's fields, in order; no byte-order mark.
      expect(file.subarray(0, 3).toString('hex')).not.toBe('efbbbf');
      expect(parse(file, { to_line: 1 })[0]).toEqual(resource.schema.fields.map((field) => field.name));
    }

    const observations = descriptor.resources.find((resource) => resource.name === 'observations')!;
    expect(observations.schema.fields.map((field) => field.name)).toEqual(Object.keys(ObservationRow.properties));
    expect(observations.schema.fields.find((field) => field.name === 'asOf')).toMatchObject({ type: 'date', constraints: { required: true } });
    expect(observations.schema.fields.find((field) => field.name === 'value')).toMatchObject({ type: 'number' });
    expect(observations.schema.foreignKeys).toContainEqual({ fields: 'indicator', reference: { resource: 'indicators', fields: 'code' } });

    // Every published figure, once.
    const listed = (await request(t.http).get('/v1/observations?pageSize=1').expect(200)).body as { meta: { total: number } };
    expect(rowsOf(files.get('observations')!)).toHaveLength(listed.meta.total);
  });

  it('keeps each day as it was: the snapshot of a past day holds the figures published by its end', async () => {
    const zhejiang = (csv: Buffer) =>
      rowsOf(csv).find((row) => row.region === '330000' && row.indicator === 'smb_outreach.enterprises_visited' && row.asOf === '2026-04-30')!.value;
    const then = await snapshotOf(t.http, past);
    const now = await snapshotOf(t.http);
    expect(then.url).toBe(`/v1/snapshots/${past}/datapackage.json`);
    expect([zhejiang(then.files.get('observations')!), zhejiang(now.files.get('observations')!)]).toEqual(['5960000', '6000000']);
    expect(rowsOf(now.files.get('observations')!).length - rowsOf(then.files.get('observations')!).length).toBe(6_000);

    const days = (await request(t.http).get('/v1/snapshots').expect(200)).body as { data: { date: string; url: string }[] };
    expect(days.data.map((day) => day.date)).toEqual([chinaDate(new Date()), past]);
    expect(days.data[1].url).toBe(then.url);
    // latest/<file> is the same file of the newest day.
    const latestFile = await request(t.http).get('/v1/snapshots/latest/topics.csv').expect(302);
    expect(latestFile.headers.location).toBe(`/v1/snapshots/${chinaDate(new Date())}/topics.csv`);
  });

  it('answers a day without a snapshot, a malformed day or an unknown file with a problem', async () => {
    const before = new Date(Date.parse(`${past}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(expectProblem(await request(t.http).get(`/v1/snapshots/${before}`), 404).detail).toContain('Nothing had been published by then');
    expect(expectProblem(await request(t.http).get('/v1/snapshots/2999-01-01/datapackage.json'), 404).detail).toContain('has not begun in China');
    expectProblem(await request(t.http).get('/v1/snapshots/2026-02-30/observations.csv'), 400);
    expect(expectProblem(await request(t.http).get(`/v1/snapshots/${past}/secrets.csv`), 404).detail).toContain('observations.csv');
    expectProblem(await request(t.http).get('/v1/snapshots/latest/secrets.csv'), 404);
  });

  it('loads into an empty instance through the sync CLI, whose own snapshot is then the same, byte for byte', async () => {
    const original = await snapshotOf(t.http);
    const empty = await createTestDatabase('snapshot_copy');
    try {
      expect((await runScript('src/cli/migrate.js', { DATABASE_URL: empty.url })).code).toBe(0);
      const load = await runScript('src/cli/sync.js', { DATABASE_URL: empty.url }, ['--file', `${t.http}/v1/snapshots/latest/datapackage.json`, '--batch-rows', '2500']);
      expect([load.code, load.stderr]).toEqual([0, '']);
      expect(load.stdout).toContain('Catalog: batch 1 applied');
      const figures = rowsOf(original.files.get('observations')!).length;
      expect(figures).toBeGreaterThan(5_000);
      expect(load.stdout).toContain(`${figures.toLocaleString('en')} observations in 3 batches`);

      const copy = await startMain({ DATABASE_URL: empty.url, DATABASE_POOL_SIZE: '4' });
      try {
        const again = await snapshotOf(copy.baseUrl);
        expect(again.descriptor.resources).toEqual(original.descriptor.resources);
        for (const [name, bytes] of original.files) expect([name, again.files.get(name)!.equals(bytes)]).toEqual([name, true]);
      } finally {
        await copy.stop();
      }
    } finally {
      await empty.drop();
    }
  });

  it('refuses a snapshot whose file differs from its descriptor, and writes nothing', async () => {
    const { descriptor, files } = await snapshotOf(t.http);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-snapshot-test-'));
    const empty = await createTestDatabase('snapshot_tampered');
    try {
      writeFileSync(path.join(dir, 'datapackage.json'), JSON.stringify(descriptor));
      for (const [name, bytes] of files) writeFileSync(path.join(dir, `${name}.csv`), bytes);
      const figures = path.join(dir, 'observations.csv');
      writeFileSync(figures, readFileSync(figures, 'utf8').replace('5960000', '5960001'));
      expect((await runScript('src/cli/migrate.js', { DATABASE_URL: empty.url })).code).toBe(0);

      const load = await runScript('src/cli/sync.js', { DATABASE_URL: empty.url }, ['--file', path.join(dir, 'datapackage.json')]);
      expect(load.code).toBe(1);
      expect(load.stderr).toMatch(/observations\.csv has sha256:[0-9a-f]{64}; the descriptor says sha256:[0-9a-f]{64}/);
      const db = new pg.Client({ connectionString: empty.url });
      await db.connect();
      const { rows } = await db.query<{ batches: number; topics: number }>(
        `SELECT (SELECT count(*) FROM sync_batches)::int AS batches, (SELECT count(*) FROM topics)::int AS topics`,
      );
      await db.end();
      expect(rows).toEqual([{ batches: 0, topics: 0 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await empty.drop();
    }
  });
});
