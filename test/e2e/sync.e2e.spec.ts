import pg from 'pg';
import request from 'supertest';
import { createApiKey, secretOf } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const figure = (asOf: string, printed: number, over: Record<string, unknown> = {}) => ({
  region: '330000',
  indicator: 'smb_outreach.enterprises_visited',
  asOf,
  asOfPrecision: 'month',
  asOfInferred: false,
  value: Math.round(printed * 1e4),
  valuePrinted: String(printed),
  unitPrinted: '万家',
  qualifier: 'exact',
  source: '002_caa4a03adb5becde',
  quote: `test figure ${asOf}`,
  ...over,
});

describe('sync batches', () => {
  let t: TestApp;
  let key: string;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('sync');
    key = await createApiKey(t.database.url, 'etl');
    db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const post = (body: unknown, query = '', headers: Record<string, string> = {}) => {
    const req = request(t.http).post(`/v1/sync/batches${query}`).set('Authorization', `Bearer ${key}`);
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req.send(body as object);
  };
  const dump = async () => JSON.stringify((await db.query(`SELECT * FROM observations ORDER BY id`)).rows);
  const current = async (asOf: string) =>
    (await request(t.http).get(`/v1/observations?region=330000&indicator=smb_outreach.enterprises_visited&from=${asOf}&to=${asOf}`).expect(200)).body.data[0];

  describe('authentication', () => {
    it('needs a key, a valid one, with the sync:write scope', async () => {
      const missing = await request(t.http).post('/v1/sync/batches').send({ observations: [] });
      expectProblem(missing, 401);
      expect(missing.headers['www-authenticate']).toContain('Bearer');
      expectProblem(await request(t.http).post('/v1/sync/batches').set('Authorization', 'Bearer rfa_00000000_' + 'x'.repeat(43)).send({ observations: [] }), 401);
      expectProblem(await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}x`).send({ observations: [] }), 401);
      const reader = await createApiKey(t.database.url, 'reader', 'sync:read');
      const forbidden = expectProblem(await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${reader}`).send({ observations: [] }), 403);
      expect(forbidden.detail).toContain('sync:write');
    });

    it('stores only a hash of the key, and a revoked key stops working', async () => {
      const { rows } = await db.query(`SELECT secret_hash FROM api_keys WHERE name = 'etl'`);
      expect(rows[0].secret_hash).not.toContain(secretOf(key));
      const temporary = await createApiKey(t.database.url, 'temporary');
      await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${temporary}`).send({ observations: [] }).expect(201);
      await db.query(`UPDATE api_keys SET revoked_at = now() WHERE name = 'temporary'`);
      expectProblem(await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${temporary}`).send({ observations: [] }), 401);
    });
  });

  it('creates, then reports the same batch unchanged', async () => {
    const batch = { observations: [figure('2026-05-31', 601)] };
    const first = await post(batch).expect(201);
    expect(first.body).toMatchObject({ status: 'applied', counts: { observations: { created: 1, updated: 0, unchanged: 0 } } });
    expect((await current('2026-05-31')).value).toBe(6_010_000);
    const again = await post(batch).expect(201);
    expect(again.body.counts.observations).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(again.body.batchId).toBeGreaterThan(first.body.batchId);
  });

  it('dry run reports before and after without writing', async () => {
    const before = await dump();
    const { body } = await post({ observations: [figure('2026-05-31', 602)] }, '?dryRun=true').expect(200);
    expect(body).toMatchObject({ status: 'dry_run', dryRun: true, counts: { observations: { created: 0, updated: 1, unchanged: 0 } } });
    expect(body.updates).toEqual([
      { index: 0, key: { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2026-05-31', reporter: null }, before: { value: 6_010_000, valuePrinted: '601' }, after: { value: 6_020_000, valuePrinted: '602' } },
    ]);
    expect(await dump()).toBe(before);
  });

  it('keeps every old value as a revision, readable by vintage', async () => {
    const beforeUpdate = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { body } = await post({ observations: [figure('2026-05-31', 603)] }).expect(201);
    expect(body.counts.observations.updated).toBe(1);
    const now = await current('2026-05-31');
    expect(now.value).toBe(6_030_000);

    const revisions = (await request(t.http).get(`/v1/observations/${now.id}/revisions`).expect(200)).body.data;
    expect(revisions.map((r: { value: number; batchId: number }) => r.value)).toEqual([6_010_000, 6_030_000]);
    expect(revisions[1].batchId).toBe(body.batchId);
    expect(revisions[0].validTo).toBe(revisions[1].validFrom);

    const then = await request(t.http).get(`/v1/observations/${now.id}?vintage=${beforeUpdate}`).expect(200);
    expect(then.body.value).toBe(6_010_000);
    const list = await request(t.http).get(`/v1/observations?region=330000&indicator=smb_outreach.enterprises_visited&vintage=${beforeUpdate}`).expect(200);
    expect(list.body.data.map((o: { value: number }) => o.value)).toEqual([6_010_000, 5_960_000]);
    const beforeSeed = await request(t.http).get('/v1/observations?vintage=2000-01-01T00:00:00Z').expect(200);
    expect(beforeSeed.body.meta.total).toBe(0);
    expectProblem(await request(t.http).get('/v1/observations?vintage=yesterday'), 400);

    const recent = await request(t.http).get(`/v1/observations?updatedSince=${beforeUpdate}`).expect(200);
    expect(recent.body.data.map((o: { id: number }) => o.id)).toEqual([now.id]);
  });

  it('rejects a batch with bad rows whole, naming each, and writes nothing', async () => {
    const before = await dump();
    const batchesBefore = Number((await db.query(`SELECT count(*) FROM sync_batches WHERE status = 'applied'`)).rows[0].count);
    const { body } = await post({
      observations: [
        figure('2026-06-30', 610),
        figure('2026-07-31', 611, { value: 1 }),
        figure('2026-08-31', 612, { region: '999999' }),
        figure('2026-09-30', 613, { asOf: '2026-02-30' }),
        figure('2026-10-31', 614, { indicator: 'smb_outreach.nope', colour: 'red' }),
        // A name every object inherits is still an unknown field; blank text is no quote.
        figure('2026-11-30', 615, { constructor: 'x', quote: ' \n ' }),
      ],
    }).expect(422);
    expect(body.type).toBe('urn:problem:unprocessable-content');
    expect(body.errors.map((e: { index: number; name: string }) => [e.index, e.name]).sort()).toEqual([
      [1, 'value'],
      [2, 'region'],
      [3, 'asOf'],
      [4, 'colour'],
      [4, 'indicator'],
      [5, 'constructor'],
      [5, 'quote'],
    ]);
    expect(await dump()).toBe(before);
    expect(Number((await db.query(`SELECT count(*) FROM sync_batches WHERE status = 'applied'`)).rows[0].count)).toBe(batchesBefore);
    const logged = await request(t.http).get(`/v1/sync/batches/${body.batchId}`).expect(200);
    expect(logged.body).toMatchObject({ status: 'rejected', apiKeyName: 'etl', response: { status: 422 } });
  });

  it('returns the first response for a retried Idempotency-Key, and refuses the key for another body', async () => {
    const batch = { observations: [figure('2026-06-30', 620)] };
    const first = await post(batch, '', { 'Idempotency-Key': 'retry-1' }).expect(201);
    const retry = await post(batch, '', { 'Idempotency-Key': 'retry-1' }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.body.counts.observations.created).toBe(1);
    const other = expectProblem(await post({ observations: [figure('2026-06-30', 621)] }, '', { 'Idempotency-Key': 'retry-1' }), 422);
    expect(other.detail).toContain('retry-1');
    expect((await current('2026-06-30')).value).toBe(6_200_000);
  });

  it('refuses more than 50,000 observations with 413', async () => {
    const rows = Array.from({ length: 50_001 }, () => ({ region: '330000', indicator: 'x.y', asOf: '2026-01-01', retract: true }));
    const body = expectProblem(await post({ observations: rows }), 413);
    expect(body.detail).toContain('nothing was written');
  });

  it('serializes two batches on the same rows: each applies whole, one after the other', async () => {
    const rows = (printed: number) => Array.from({ length: 200 }, (_, i) => figure(`2030-${String((i % 12) + 1).padStart(2, '0')}-${i < 12 ? '01' : String(2 + Math.floor(i / 12)).padStart(2, '0')}`, printed + i));
    const [a, b] = await Promise.all([post({ observations: rows(700) }), post({ observations: rows(900) })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const { rows: finals } = await db.query(`SELECT value_printed FROM observations WHERE as_of >= '2030-01-01' ORDER BY as_of`);
    // Every row carries the values of one batch, the one that went second: no mixture.
    const winner = finals.every((r) => Number(r.value_printed) >= 900) ? 900 : 700;
    expect(finals.every((r) => (winner === 900 ? Number(r.value_printed) >= 900 : Number(r.value_printed) < 900))).toBe(true);
    const { rows: spans } = await db.query(
      `SELECT batch_id, min(valid_from) AS first, max(valid_from) AS last FROM observation_revisions WHERE batch_id IN ($1, $2) GROUP BY batch_id ORDER BY min(valid_from)`,
      [a.body.batchId, b.body.batchId],
    );
    expect(spans).toHaveLength(2);
    expect(spans[0].last <= spans[1].first).toBe(true);
    expect(Number(spans[1].batch_id)).toBe(winner === 900 ? b.body.batchId : a.body.batchId);
  });

  it('retracts a figure: hidden from reads, history kept, restored when sent again', async () => {
    const target = await current('2026-06-30');
    const { body } = await post({ observations: [{ region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2026-06-30', retract: true }] }).expect(201);
    expect(body.counts.retractions).toEqual({ retracted: 1, unchanged: 0 });
    expect(await current('2026-06-30')).toBeUndefined();
    const gone = expectProblem(await request(t.http).get(`/v1/observations/${target.id}`), 410);
    expect(gone.detail).toContain('revisions');
    const revisions = (await request(t.http).get(`/v1/observations/${target.id}/revisions`).expect(200)).body.data;
    expect(revisions.at(-1)).toMatchObject({ retracted: true, value: 6_200_000 });
    const compare = await request(t.http).get('/v1/compare?regions=330000&indicators=smb_outreach.enterprises_visited').expect(200);
    expect(compare.body.rows[0].cells[0].observation.asOf).not.toBe('2026-06-30');
    const profile = await request(t.http).get('/v1/regions/330000/profile').expect(200);
    const visited = profile.body.topics.flatMap((topic: { figures: { indicator: { code: string }; observation: { asOf: string } }[] }) => topic.figures).find((f: { indicator: { code: string } }) => f.indicator.code === 'smb_outreach.enterprises_visited');
    expect(visited.observation.asOf).toBe(compare.body.rows[0].cells[0].observation.asOf);
    expect(Number((await db.query(`SELECT count(*) FROM observations WHERE id = $1`, [target.id])).rows[0].count)).toBe(1);

    const missing = await post({ observations: [{ region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '1999-01-31', retract: true }] }).expect(422);
    expect(missing.body.errors[0].message).toContain('does not exist');

    const restored = await post({ observations: [figure('2026-06-30', 620)] }).expect(201);
    expect(restored.body.counts.observations.updated).toBe(1);
    expect((await current('2026-06-30')).id).toBe(target.id);
  });

  it('feeds every change once, in order, while writes happen between pages', async () => {
    const seen: number[] = [];
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const { body } = await request(t.http).get(`/v1/changes?since=${cursor}&limit=50`).expect(200);
      seen.push(...body.data.map((c: { seq: number }) => c.seq));
      cursor = body.nextCursor;
      pages += 1;
      if (pages === 2) await post({ observations: [figure('2026-07-31', 630), figure('2026-08-31', 631)] }).expect(201);
      if (!body.hasMore && pages > 2) break;
    }
    const { rows } = await db.query(`SELECT seq FROM observation_changes ORDER BY seq`);
    expect(seen).toEqual(rows.map((r) => Number(r.seq)));
    const last = (await request(t.http).get(`/v1/changes?since=${cursor}`).expect(200)).body;
    expect(last).toEqual({ data: [], nextCursor: cursor, hasMore: false });
    const kinds = new Set((await request(t.http).get('/v1/changes?limit=1000').expect(200)).body.data.map((c: { kind: string }) => c.kind));
    expect(kinds).toEqual(new Set(['insert', 'update', 'retract']));
    expectProblem(await request(t.http).get('/v1/changes?since=abc'), 400);
  });

  it('lists batches newest first, with who sent them', async () => {
    const { body } = await request(t.http).get('/v1/sync/batches?pageSize=5').expect(200);
    expect(body.data).toHaveLength(5);
    expect(body.data[0].id).toBeGreaterThan(body.data[1].id);
    expect(body.data[0]).toMatchObject({ origin: 'api', apiKeyName: 'etl' });
    expectProblem(await request(t.http).get('/v1/sync/batches/999999'), 404);
  });

  it('plans the history triggers for the rows at hand: a large update after one-row ones on the same connection finishes', async () => {
    // One connection, as a pooled one serves batch after batch. Kept plans made for one-row writes
    // ran nested loops over the transition tables: 20,000 rows took over a minute; planned afresh, about one second.
    const writer = new pg.Client({ connectionString: t.database.url });
    await writer.connect();
    try {
      await writer.query(`SET statement_timeout = '10s'`);
      const series = `region_code = '330000' AND indicator_code = 'smb_outreach.enterprises_visited' AND as_of BETWEEN '1700-01-01' AND '1799-12-31'`;
      await writer.query(
        `INSERT INTO observations (region_code, indicator_code, as_of, as_of_precision, as_of_inferred, value, value_printed, unit_printed, qualifier, source_id, quote)
         SELECT '330000', 'smb_outreach.enterprises_visited', date '1700-01-01' + i, 'day', false, i * 1e4, i::text, '万家', 'exact', '002_caa4a03adb5becde', 'plan row ' || i
           FROM generate_series(0, 19999) AS i`,
      );
      for (let i = 0; i < 6; i++) await writer.query(`UPDATE observations SET value = value + 1 WHERE ${series} AND as_of = '1700-01-01'`);
      const update = await writer.query(`UPDATE observations SET value = value + 1, updated_at = now() WHERE ${series}`);
      expect(update.rowCount).toBe(20_000);
      const { rows } = await writer.query(
        `SELECT count(*)::int AS revisions, count(*) FILTER (WHERE valid_to IS NULL)::int AS open FROM observation_revisions WHERE ${series}`,
      );
      expect(rows[0]).toEqual({ revisions: 20_000 + 6 + 20_000, open: 20_000 });
    } finally {
      await writer.end();
    }
  });

  it('shows a corrected citation of a newest figure at once in the profile, compare and the ranking', async () => {
    const indicator = 'smb_outreach.enterprises_visited';
    const cited = async () => {
      const profile = (await request(t.http).get('/v1/regions/330000/profile').expect(200)).body;
      const compare = (await request(t.http).get(`/v1/compare?regions=330000,320000&indicators=${indicator}`).expect(200)).body;
      const ranking = (await request(t.http).get(`/v1/rankings/${indicator}?level=province`).expect(200)).body;
      const figure = profile.topics.flatMap((topic: { figures: { indicator: { code: string }; observation: object }[] }) => topic.figures).find((f: { indicator: { code: string } }) => f.indicator.code === indicator);
      const entry = ranking.entries.find((e: { region: { code: string } }) => e.region.code === '330000');
      return [figure.observation, compare.rows[0].cells[0].observation, entry.observation].map(({ asOf, valuePrinted, unitPrinted, quote, source }) => ({ asOf, valuePrinted, unitPrinted, quote, source: source.id }));
    };
    await post({ observations: [figure('2060-06-30', 601, { quote: 'first wording' })] }).expect(201);
    const corrected = await post({ observations: [figure('2060-06-30', 601, { valuePrinted: '601.0', unitPrinted: '万户', quote: 'corrected wording', source: '001_5ecbe001600a554c' })] }).expect(201);
    expect(corrected.body.counts.observations).toMatchObject({ updated: 1 });
    const expected = { asOf: '2060-06-30', valuePrinted: '601.0', unitPrinted: '万户', quote: 'corrected wording', source: '001_5ecbe001600a554c' };
    expect(await cited()).toEqual([expected, expected, expected]);
  });

  it('keeps the newest-figure table equal to a scan of every published figure after all these writes', async () => {
    const FIGURE = 'as_of_precision, as_of_inferred, period_start::text, value::text, qualifier, value_printed, unit_printed, source_id, quote';
    const scan = await db.query(
      `SELECT DISTINCT ON (region_code, indicator_code, reporter) region_code, indicator_code, reporter, as_of::text, id::int AS observation_id, ${FIGURE}
         FROM published_observations ORDER BY region_code, indicator_code, reporter, as_of DESC`,
    );
    const table = await db.query(
      `SELECT region_code, indicator_code, reporter, as_of::text, observation_id::int, ${FIGURE} FROM latest_observations ORDER BY region_code, indicator_code, reporter`,
    );
    expect(table.rows).toEqual(scan.rows);
    expect(Number((await db.query(`SELECT count(*) FROM observation_changes WHERE batch_id IS NOT NULL`)).rows[0].count)).toBeGreaterThan(0);
  });
});
