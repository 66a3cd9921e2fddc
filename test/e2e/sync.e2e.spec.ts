import http from 'node:http';
import pg from 'pg';
import request from 'supertest';
import { SYNC_LOCK } from '../../src/database/locks.js';
import { createApiKey, secretOf } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { runScript } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

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
    // The ETL job's key writes, and reads the batch log's details.
    key = await createApiKey(t.database.url, 'etl', ['sync:write', 'sync:read']);
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
  // Each test writes figures on dates of its own, so none depends on another's writes.

  describe('authentication', () => {
    it('needs a key, a valid one, with the sync:write scope', async () => {
      const missing = await request(t.http).post('/v1/sync/batches').send({ observations: [] });
      expectProblem(missing, 401);
      expect(missing.headers['www-authenticate']).toContain('Bearer');
      expectProblem(
        await request(t.http)
          .post('/v1/sync/batches')
          .set('Authorization', 'Bearer rfa_00000000_' + 'x'.repeat(43))
          .send({ observations: [] }),
        401,
      );
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
      expect((await runScript('src/cli/apikey.js', { DATABASE_URL: t.database.url }, ['revoke', '--name', 'temporary'])).code).toBe(0);
      expectProblem(await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${temporary}`).send({ observations: [] }), 401);
    });
  });

  it('creates, then reports the same batch unchanged', async () => {
    const batch = { observations: [figure('2001-05-31', 601)] };
    const first = await post(batch).expect(201);
    expect(first.body).toMatchObject({ status: 'applied', counts: { observations: { created: 1, updated: 0, unchanged: 0 } } });
    expect((await current('2001-05-31')).value).toBe(6_010_000);
    const again = await post(batch).expect(201);
    expect(again.body.counts.observations).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(again.body.batchId).toBeGreaterThan(first.body.batchId);
  });

  it('dry run reports before and after without writing', async () => {
    await post({ observations: [figure('2002-05-31', 601)] }).expect(201);
    const before = await dump();
    const { body } = await post({ observations: [figure('2002-05-31', 602)] }, '?dryRun=true').expect(200);
    expect(body).toMatchObject({ status: 'dry_run', dryRun: true, counts: { observations: { created: 0, updated: 1, unchanged: 0 } } });
    expect(body.updates).toEqual([
      {
        index: 0,
        key: { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2002-05-31', reporter: null },
        before: { value: 6_010_000, valuePrinted: '601' },
        after: { value: 6_020_000, valuePrinted: '602' },
      },
    ]);
    expect(await dump()).toBe(before);
  });

  it('keeps every old value as a revision, readable by vintage', async () => {
    const series = 'region=330000&indicator=smb_outreach.enterprises_visited&from=2003-05-31&to=2003-05-31';
    await post({ observations: [figure('2003-05-31', 601)] }).expect(201);
    const { body } = await post({ observations: [figure('2003-05-31', 603)] }).expect(201);
    expect(body.counts.observations.updated).toBe(1);
    const now = await current('2003-05-31');
    expect(now.value).toBe(6_030_000);

    const revisions = (await request(t.http).get(`/v1/observations/${now.id}/revisions`).expect(200)).body.data;
    expect(revisions.map((r: { value: number }) => r.value)).toEqual([6_010_000, 6_030_000]);
    expect(revisions[1].batchId).toBe(body.batchId);
    expect(revisions[0].validTo).toBe(revisions[1].validFrom);

    // Until its replacement was published, the figure read 601万家. (validTo is served to the millisecond, so it falls just before the replacement.)
    const replaced = revisions[0].validTo as string;
    expect((await request(t.http).get(`/v1/observations/${now.id}?vintage=${replaced}`).expect(200)).body.value).toBe(6_010_000);
    const then = await request(t.http).get(`/v1/observations?${series}&vintage=${replaced}`).expect(200);
    expect(then.body.data.map((o: { value: number }) => o.value)).toEqual([6_010_000]);
    const beforeSeed = await request(t.http).get('/v1/observations?vintage=2000-01-01T00:00:00Z').expect(200);
    expect(beforeSeed.body.meta.total).toBe(0);
    expectProblem(await request(t.http).get('/v1/observations?vintage=yesterday'), 400);

    const recent = await request(t.http).get(`/v1/observations?${series}&updatedSince=${revisions[0].validFrom}`).expect(200);
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
    const logged = await request(t.http).get(`/v1/sync/batches/${body.batchId}`).set('Authorization', `Bearer ${key}`).expect(200);
    expect(logged.body).toMatchObject({ status: 'rejected', apiKeyName: 'etl', response: { status: 422 } });
  });

  it('returns the first response for a retried Idempotency-Key, and refuses the key for another body', async () => {
    const batch = { observations: [figure('2004-06-30', 620)] };
    const first = await post(batch, '', { 'Idempotency-Key': 'retry-1' }).expect(201);
    const retry = await post(batch, '', { 'Idempotency-Key': 'retry-1' }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.body.counts.observations.created).toBe(1);
    const other = expectProblem(await post({ observations: [figure('2004-06-30', 621)] }, '', { 'Idempotency-Key': 'retry-1' }), 422);
    expect(other.detail).toContain('retry-1');
    expect((await current('2004-06-30')).value).toBe(6_200_000);
  });

  it('replays byte for byte, compares a retry by its content (not its key order), and lets a dry run leave the key unused', async () => {
    const row = figure('2004-07-31', 622);
    const dry = await post({ observations: [row] }, '?dryRun=true', { 'Idempotency-Key': 'canonical-1' }).expect(200);
    expect(dry.body.status).toBe('dry_run');
    const first = await post({ observations: [row] }, '', { 'Idempotency-Key': 'canonical-1' }).expect(201);
    // The same batch, its fields in another order.
    const reordered = Object.fromEntries(Object.entries(row).reverse());
    const retry = await post({ observations: [reordered] }, '', { 'Idempotency-Key': 'canonical-1' }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.text).toBe(first.text);
  });

  it('answers 409 to a retry whose Idempotency-Key is still in use by a running batch, then the first answer', async () => {
    const holder = new pg.Client({ connectionString: t.database.url });
    await holder.connect();
    const batch = { observations: [figure('2005-01-31', 640)] };
    try {
      // Holding the sync lock keeps the first request's batch running.
      await holder.query('SELECT pg_advisory_lock($1)', [SYNC_LOCK]);
      const first = post(batch, '', { 'Idempotency-Key': 'in-use-1' }).then((response) => response);
      await until(
        'the first batch is running',
        async () => (await db.query(`SELECT 1 FROM sync_batches WHERE idempotency_key = 'in-use-1' AND status = 'running'`)).rows.length > 0,
      );
      const conflicting = await post(batch, '', { 'Idempotency-Key': 'in-use-1' });
      const conflict = expectProblem(conflicting, 409);
      expect(conflict.detail).toContain('in-use-1');
      expect(conflicting.headers['retry-after']).toBe('5');
      await holder.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK]);
      expect((await first).status).toBe(201);
      const replay = await post(batch, '', { 'Idempotency-Key': 'in-use-1' }).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    } finally {
      await holder.end();
    }
    expect((await current('2005-01-31')).value).toBe(6_400_000);
  });

  it('records a batch that fails inside the database as failed with its 500, and writes nothing', async () => {
    // A fault the write path cannot foresee: the database refuses one row at insert time.
    await db.query(`CREATE FUNCTION refuse_fault_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.quote = 'fault row' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER refuse_fault_row BEFORE INSERT ON observations FOR EACH ROW EXECUTE FUNCTION refuse_fault_row()`);
    try {
      const before = await dump();
      const response = await post({ observations: [figure('2006-01-31', 650), figure('2006-02-28', 651, { quote: 'fault row' })] });
      const problem = expectProblem(response, 500);
      expect(problem.detail).not.toContain('injected fault');
      expect(await dump()).toBe(before);
      const [logged] = (await db.query(`SELECT id FROM sync_batches WHERE api_key_name = 'etl' ORDER BY id DESC LIMIT 1`)).rows;
      const record = (await request(t.http).get(`/v1/sync/batches/${logged.id}`).set('Authorization', `Bearer ${key}`).expect(200)).body;
      expect(record).toMatchObject({ status: 'failed', response: { status: 500 } });
      expect(record.finishedAt).not.toBeNull();
    } finally {
      await db.query(`DROP TRIGGER refuse_fault_row ON observations; DROP FUNCTION refuse_fault_row()`);
    }
  });

  it('takes topics, sources, indicators and programs through the API, and serves them at once', async () => {
    const batch = {
      topics: [{ code: 'test_topic', nameZh: '测试主题', nameEn: 'Test topic' }],
      sources: [
        { id: 'test-source', fileName: 'test-source.txt', headline: '测试', publisher: '测试报', publishedOn: '2006-03-31', publishedPrecision: 'month', publishedInferred: false },
      ],
      indicators: [
        {
          code: 'test_topic.widgets',
          nameZh: '小部件',
          nameEn: 'Widgets',
          topic: 'test_topic',
          unit: 'count',
          measureType: 'count_at_date',
          definitionZh: '测试指标',
          definitionEn: 'A test indicator',
        },
      ],
      programs: [
        {
          id: 'test-program',
          nameZh: '测试计划',
          nameEn: 'Test programme',
          region: '330000',
          kind: 'platform',
          descriptionZh: '测试',
          descriptionEn: 'A test programme',
          source: 'test-source',
          quote: '测试计划引文',
        },
      ],
      observations: [
        figure('2006-03-31', 7, {
          indicator: 'test_topic.widgets',
          valuePrinted: '7',
          unitPrinted: '个',
          value: 7,
          source: 'test-source',
          program: 'test-program',
          reporter: '测试平台',
        }),
      ],
    };
    const { body } = await post(batch).expect(201);
    expect(body.counts).toMatchObject({ topics: { created: 1 }, sources: { created: 1 }, indicators: { created: 1 }, programs: { created: 1 }, observations: { created: 1 } });
    expect((await request(t.http).get('/v1/topics').expect(200)).body.data.find((topic: { code: string }) => topic.code === 'test_topic')).toMatchObject({
      nameEn: 'Test topic',
      indicatorCount: 1,
    });
    expect((await request(t.http).get('/v1/indicators/test_topic.widgets').expect(200)).body).toMatchObject({ unit: 'count', topic: 'test_topic' });
    expect((await request(t.http).get('/v1/sources/test-source').expect(200)).body).toMatchObject({ publishedOn: '2006-03-31', observationCount: 1 });
    expect((await request(t.http).get('/v1/programs/test-program').expect(200)).body).toMatchObject({ nameEn: 'Test programme', observationCount: 1 });
    const again = await post(batch).expect(201);
    expect(again.body.counts).toMatchObject({
      topics: { unchanged: 1 },
      sources: { unchanged: 1 },
      indicators: { unchanged: 1 },
      programs: { unchanged: 1 },
      observations: { unchanged: 1 },
    });
  });

  it.each(['topics', 'sources', 'indicators', 'programs', 'regions'])('refuses more than 10,000 %s with 413 and writes nothing', async (section) => {
    const before = await dump();
    const shaped: Record<string, (i: number) => object> = {
      topics: (i) => ({ code: `bulk_${i}`, nameZh: '批量', nameEn: 'Bulk' }),
      sources: (i) => ({
        id: `bulk-${i}`,
        fileName: 'bulk.txt',
        headline: '批量',
        publisher: '批量',
        publishedOn: '2006-01-31',
        publishedPrecision: 'month',
        publishedInferred: false,
      }),
      indicators: (i) => ({
        code: `bulk.i${i}`,
        nameZh: '批量',
        nameEn: 'Bulk',
        topic: 'smb_outreach',
        unit: 'count',
        measureType: 'count_at_date',
        definitionZh: '批量',
        definitionEn: 'Bulk',
      }),
      programs: (i) => ({
        id: `bulk-${i}`,
        nameZh: '批量',
        nameEn: 'Bulk',
        region: '330000',
        kind: 'platform',
        descriptionZh: '批量',
        descriptionEn: 'Bulk',
        source: '002_caa4a03adb5becde',
        quote: '批量',
      }),
      regions: (i) => ({ code: String(100_000 + i), nameEn: 'Bulk' }),
    };
    const rows = Array.from({ length: 10_001 }, (_, i) => shaped[section](i));
    const body = expectProblem(await post({ [section]: rows, observations: [] }), 413);
    expect(body.detail).toContain('nothing was written');
    expect(await dump()).toBe(before);
  });

  it('refuses a body over the 64 MB limit with 413 before reading it', async () => {
    // Only the headers are sent: the declared length alone is refused, so no 65 MB ever travels.
    const { status, text, type } = await new Promise<{ status: number; text: string; type: string }>((resolve, reject) => {
      const req = http.request(`${t.http}/v1/sync/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(65 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, text: body, type: String(res.headers['content-type']) }));
      });
      req.on('error', reject);
      req.write('{"observations":[');
    });
    expect([status, type]).toEqual([413, 'application/problem+json; charset=utf-8']);
    expect(JSON.parse(text)).toMatchObject({ type: 'urn:problem:payload-too-large', status: 413 });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/xml').send('<batch/>');
    const body = expectProblem(response, 415);
    expect(body.detail).toContain('application/json');
  });

  it('refuses more than 50,000 observations with 413', async () => {
    const rows = Array.from({ length: 50_001 }, () => ({ region: '330000', indicator: 'x.y', asOf: '2026-01-01', retract: true }));
    const body = expectProblem(await post({ observations: rows }), 413);
    expect(body.detail).toContain('nothing was written');
  });

  it('serializes two batches on the same rows: each applies whole, one after the other', async () => {
    const rows = (printed: number) =>
      Array.from({ length: 200 }, (_, i) =>
        figure(`1990-${String((i % 12) + 1).padStart(2, '0')}-${i < 12 ? '01' : String(2 + Math.floor(i / 12)).padStart(2, '0')}`, printed + i),
      );
    const [a, b] = await Promise.all([post({ observations: rows(700) }), post({ observations: rows(900) })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const { rows: finals } = await db.query(`SELECT value_printed FROM observations WHERE as_of BETWEEN '1990-01-01' AND '1990-12-31' ORDER BY as_of`);
    expect(finals).toHaveLength(200);
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

  it('refuses a figure and its retraction in one batch as contradictory, naming both', async () => {
    const body = expectProblem(
      await post({ observations: [figure('2007-07-31', 621), { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2007-07-31', retract: true }] }),
      422,
    );
    expect(body.errors).toEqual([expect.objectContaining({ pointer: '/observations/1', message: expect.stringContaining('named at /observations/0') })]);
    expect(await current('2007-07-31')).toBeUndefined();
  });

  it('retracts a figure: hidden from reads, history kept, restored when sent again', async () => {
    const newest = async () =>
      (await request(t.http).get('/v1/compare?regions=330000&indicators=smb_outreach.enterprises_visited').expect(200)).body.rows[0].cells[0].observation.asOf;
    await post({ observations: [figure('2026-06-30', 620)] }).expect(201);
    expect(await newest()).toBe('2026-06-30');
    const target = await current('2026-06-30');
    const { body } = await post({ observations: [{ region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2026-06-30', retract: true }] }).expect(201);
    expect(body.counts.retractions).toEqual({ retracted: 1, unchanged: 0 });
    expect(await current('2026-06-30')).toBeUndefined();
    const gone = expectProblem(await request(t.http).get(`/v1/observations/${target.id}`), 410);
    expect(gone.detail).toContain('revisions');
    const revisions = (await request(t.http).get(`/v1/observations/${target.id}/revisions`).expect(200)).body.data;
    expect(revisions.at(-1)).toMatchObject({ retracted: true, value: 6_200_000 });
    const fallenBack = await newest();
    expect(fallenBack).not.toBe('2026-06-30');
    const profile = await request(t.http).get('/v1/regions/330000/profile').expect(200);
    const visited = profile.body.topics
      .flatMap((topic: { figures: { indicator: { code: string }; observation: { asOf: string } }[] }) => topic.figures)
      .find((f: { indicator: { code: string } }) => f.indicator.code === 'smb_outreach.enterprises_visited');
    expect(visited.observation.asOf).toBe(fallenBack);
    expect(Number((await db.query(`SELECT count(*) FROM observations WHERE id = $1`, [target.id])).rows[0].count)).toBe(1);

    const missing = await post({ observations: [{ region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '1999-01-31', retract: true }] }).expect(422);
    expect(missing.body.errors[0].message).toContain('does not exist');

    const restored = await post({ observations: [figure('2026-06-30', 620)] }).expect(201);
    expect(restored.body.counts.observations.updated).toBe(1);
    expect((await current('2026-06-30')).id).toBe(target.id);
  });

  it('feeds every change once, in order, while writes happen between pages', async () => {
    // An insert, an update and a retraction of its own, so all three kinds are in the feed.
    await post({ observations: [figure('2008-01-31', 660)] }).expect(201);
    await post({ observations: [figure('2008-01-31', 661)] }).expect(201);
    await post({ observations: [{ region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2008-01-31', retract: true }] }).expect(201);
    const seen: number[] = [];
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const { body } = await request(t.http).get(`/v1/changes?since=${cursor}&limit=50`).expect(200);
      seen.push(...body.data.map((c: { seq: number }) => c.seq));
      cursor = body.nextCursor;
      pages += 1;
      if (pages === 2) await post({ observations: [figure('2008-07-31', 630), figure('2008-08-31', 631)] }).expect(201);
      if (!body.hasMore && pages > 2) break;
    }
    const { rows } = await db.query(`SELECT seq FROM observation_changes ORDER BY seq`);
    expect(seen.length).toBeGreaterThanOrEqual(103 + 5);
    expect(seen).toEqual(rows.map((r) => Number(r.seq)));
    const last = (await request(t.http).get(`/v1/changes?since=${cursor}`).expect(200)).body;
    expect(last).toEqual({ data: [], nextCursor: cursor, hasMore: false });
    const kinds = new Set((await request(t.http).get('/v1/changes?limit=1000').expect(200)).body.data.map((c: { kind: string }) => c.kind));
    expect(kinds).toEqual(new Set(['insert', 'update', 'retract']));
    expectProblem(await request(t.http).get('/v1/changes?since=abc'), 400);
  });

  it('shows a batch to anyone only as status and counts: its sender, proposed values and errors need sync:read', async () => {
    const dry = (await post({ observations: [figure('2009-03-31', 672, { quote: 'unpublished figure' })] }, '?dryRun=true').expect(200)).body;
    const rejected = (await post({ observations: [{ region: '330000' }] }).expect(422)).body;
    expect(rejected.instance).toBe(`/v1/sync/batches/${rejected.batchId}`);
    for (const id of [dry.batchId, rejected.batchId]) {
      const anonymous = await request(t.http).get(`/v1/sync/batches/${id}`).expect(200);
      expect(Object.keys(anonymous.body).sort()).toEqual(['counts', 'dryRun', 'finishedAt', 'id', 'origin', 'receivedAt', 'status']);
      expect(JSON.stringify(anonymous.body)).not.toContain('unpublished figure');
      const reader = await request(t.http).get(`/v1/sync/batches/${id}`).set('Authorization', `Bearer ${key}`).expect(200);
      expect(reader.body).toMatchObject({ apiKeyName: 'etl', response: { status: id === dry.batchId ? 'dry_run' : 422 } });
    }
    const listed = (await request(t.http).get('/v1/sync/batches?pageSize=5').expect(200)).body.data as Record<string, unknown>[];
    for (const batch of listed) expect(batch).not.toHaveProperty('apiKeyName');
    // A key that is sent is checked, even where none is needed.
    expectProblem(await request(t.http).get('/v1/sync/batches').set('Authorization', 'Bearer rfa_00000000_nope'), 401);
  });

  it('lists batches newest first, with who sent them', async () => {
    const older = (await post({ observations: [figure('2009-01-31', 670)] }).expect(201)).body.batchId;
    const newer = (await post({ observations: [figure('2009-02-28', 671)] }).expect(201)).body.batchId;
    const { body } = await request(t.http).get('/v1/sync/batches?pageSize=2').set('Authorization', `Bearer ${key}`).expect(200);
    expect(body.data.map((b: { id: number }) => b.id)).toEqual([newer, older]);
    expect(body.data[0]).toMatchObject({ origin: 'api', apiKeyName: 'etl', status: 'applied' });
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
      const { rows } = await writer.query(`SELECT count(*)::int AS revisions, count(*) FILTER (WHERE valid_to IS NULL)::int AS open FROM observation_revisions WHERE ${series}`);
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
      const figure = profile.topics
        .flatMap((topic: { figures: { indicator: { code: string }; observation: object }[] }) => topic.figures)
        .find((f: { indicator: { code: string } }) => f.indicator.code === indicator);
      const entry = ranking.entries.find((e: { region: { code: string } }) => e.region.code === '330000');
      return [figure.observation, compare.rows[0].cells[0].observation, entry.observation].map(({ asOf, valuePrinted, unitPrinted, quote, source }) => ({
        asOf,
        valuePrinted,
        unitPrinted,
        quote,
        source: source.id,
      }));
    };
    await post({ observations: [figure('2026-08-31', 601, { quote: 'first wording' })] }).expect(201);
    const corrected = await post({
      observations: [figure('2026-08-31', 601, { valuePrinted: '601.0', unitPrinted: '万户', quote: 'corrected wording', source: '001_5ecbe001600a554c' })],
    }).expect(201);
    expect(corrected.body.counts.observations).toMatchObject({ updated: 1 });
    const expected = { asOf: '2026-08-31', valuePrinted: '601.0', unitPrinted: '万户', quote: 'corrected wording', source: '001_5ecbe001600a554c' };
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
