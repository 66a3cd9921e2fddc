import fc from 'fast-check';
import pg from 'pg';
import request from 'supertest';
import { Batch, MAX_SECTION_ROWS } from '../../src/catalog/schema.js';
import { createApiKey } from '../support/api-keys.js';
import { publishedHash, runningBatches } from '../support/published.js';
import { until } from '../support/until.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Property-based fuzzing of writes: valid batches built from the schema's sections (rows that
 * reference the seed's catalog, so they are accepted as they are), then one field of one row
 * mutated at a time. Each body is sent as a dry run and as a real write: never a 5xx, never a
 * batch left running, and the data unchanged by every group of refused writes and dry runs.
 * FUZZ_SEED replays a run, FUZZ_WRITE_RUNS sizes it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_WRITE_RUNS ?? 2000);

type Row = Record<string, unknown>;
type Body = Partial<Record<keyof typeof Batch.properties, Row[]>>;

const PRINTED_UNITS: [string, number][] = [
  ['家', 1],
  ['万家', 1e4],
  ['户', 1],
  ['万户', 1e4],
  ['个', 1],
];
const COUNT_INDICATORS = ['smb_outreach.enterprises_visited', 'smb_outreach.entities_visited', 'scitech_enterprises.scitech_sme_count', 'credit_info.scitech_smes_served'];
const REGIONS = ['330000', '320000', '330100', '320500', 'CN'];
const NEW_REGIONS = ['330102', '330105', '320102', '320104', '340103'];
const SOURCES = ['002_caa4a03adb5becde', '001_5ecbe001600a554c'];
const text = fc.oneof(
  fc.constantFrom('截至2026年4月末', 'a quote', '浙江 “引文”, with, commas', '🀄️ 🇨🇳'),
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => /\S/.test(s) && !s.includes('\u0000')),
);
const date = fc.date({ min: new Date('1901-01-01T00:00:00Z'), max: new Date('1999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** A batch every check passes: new figures (before the seed's dates) of seeded regions and indicators, and new catalog rows. */
const validBatch = fc
  .record({
    topics: fc.array(fc.record({ code: fc.stringMatching(/^fz_[a-z]{3,8}$/), nameZh: text, nameEn: text }), { maxLength: 2 }),
    regions: fc.subarray(NEW_REGIONS, { maxLength: 2 }).map((codes) => codes.map((code) => ({ code, nameEn: `District ${code}` }))),
    sources: fc.array(
      fc.record({
        id: fc.stringMatching(/^fz-[a-z0-9]{3,8}$/),
        headline: text,
        publisher: text,
        publishedOn: date,
        publishedPrecision: fc.constantFrom('day', 'month', 'quarter', 'year'),
        publishedInferred: fc.boolean(),
      }),
      { maxLength: 1 },
    ),
    indicators: fc.array(
      fc.record({
        code: fc.stringMatching(/^smb_outreach\.fz_[a-z]{3,8}$/),
        nameZh: text,
        nameEn: text,
        topic: fc.constant('smb_outreach'),
        unit: fc.constant('count'),
        measureType: fc.constantFrom('cumulative', 'count_at_date'),
        definitionZh: text,
        definitionEn: text,
      }),
      { maxLength: 2 },
    ),
    programs: fc.array(
      fc.record({
        id: fc.stringMatching(/^fz-[a-z0-9]{3,8}$/),
        nameZh: text,
        nameEn: text,
        region: fc.constantFrom(...REGIONS),
        kind: fc.constantFrom('platform', 'loan_product'),
        descriptionZh: text,
        descriptionEn: text,
        source: fc.constantFrom(...SOURCES),
        quote: text,
      }),
      { maxLength: 1 },
    ),
    observations: fc.array(
      fc.record({
        region: fc.constantFrom(...REGIONS),
        indicator: fc.constantFrom(...COUNT_INDICATORS),
        asOf: date,
        asOfPrecision: fc.constantFrom('day', 'month', 'quarter', 'year'),
        asOfInferred: fc.boolean(),
        printed: fc.integer({ min: 1, max: 99_999 }),
        unit: fc.constantFrom(...PRINTED_UNITS),
        qualifier: fc.constantFrom('exact', 'about', 'nearly', 'more_than', 'at_least', 'up_to'),
        reporter: fc.option(text, { nil: undefined }),
        source: fc.constantFrom(...SOURCES),
        quote: text,
        note: fc.option(text, { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ observations, topics, sources, indicators, programs, ...rest }) => {
    const unique = <T extends Row>(rows: T[], key: string) => [...new Map(rows.map((row) => [row[key], row])).values()];
    return {
      ...rest,
      topics: unique(topics, 'code'),
      // A file name belongs to one source: it is the source's id, as in the seed.
      sources: unique(sources, 'id').map((source) => ({ ...source, fileName: `${source.id}.txt` })),
      indicators: unique(indicators, 'code'),
      programs: unique(programs, 'id'),
      observations: unique(
        observations.map(({ printed, unit: [unitPrinted, scale], reporter, note, ...o }) => ({
          ...o,
          valuePrinted: String(printed),
          unitPrinted,
          value: printed * scale,
          ...(reporter === undefined ? {} : { reporter }),
          ...(note === undefined ? {} : { note }),
        })),
        'asOf',
      ),
    };
  });

/** A change to one field of one row; it returns whether the batch is certainly invalid after it. */
type Mutation = { kind: string; apply: (body: Body, section: keyof Body, index: number, field: string, pick: number) => boolean };
const set = (row: Row, field: string, value: unknown) => ((row[field] = value), true);
/** A value out of its field's range, where the field has a range. */
const OUT_OF_RANGE: Record<string, unknown> = {
  asOf: '0000-01-01',
  publishedOn: '2026-02-30',
  qualifier: 'roughly',
  unit: 'furlong',
  kind: 'casino',
  code: 'Not A Code!',
  id: 'Not An Id!',
  region: '999999',
  asOfPrecision: 'week',
  publishedPrecision: 'week',
  measureType: 'guess',
};
const MUTATIONS: Mutation[] = [
  { kind: 'wrong type', apply: (b, s, i, f) => set(b[s]![i], f, typeof b[s]![i][f] === 'number' ? String(b[s]![i][f]) : typeof b[s]![i][f] === 'string' ? 42 : 'text') },
  { kind: 'object', apply: (b, s, i, f) => set(b[s]![i], f, { nested: [1, { deeper: true }] }) },
  { kind: 'NUL', apply: (b, s, i, f) => set(b[s]![i], f, `a\u0000${String(b[s]![i][f])}`) },
  { kind: 'lone surrogate', apply: (b, s, i, f) => set(b[s]![i], f, `${String(b[s]![i][f])}\uD800`) },
  { kind: 'huge', apply: (b, s, i, f) => set(b[s]![i], f, '长'.repeat(5001)) },
  { kind: 'out of range', apply: (b, s, i, f) => f in OUT_OF_RANGE && set(b[s]![i], f, OUT_OF_RANGE[f]) },
  { kind: 'extra field', apply: (b, s, i, _f, pick) => set(b[s]![i], ['colour', '__proto__x', 'na\u0000me', 'x\uDFFF', 'constructor', 'toString'][pick % 6], 'x') },
  { kind: 'duplicate row', apply: (b, s, i) => (b[s]!.push(structuredClone(b[s]![i])), true) },
  { kind: 'missing', apply: (b, s, i, f) => (delete b[s]![i][f], false) },
  { kind: 'null', apply: (b, s, i, f) => (set(b[s]![i], f, null), false) },
  { kind: 'too many rows', apply: (b, s) => ((b[s] = Array.from({ length: MAX_SECTION_ROWS + 1 }, () => ({}))), true) },
];

/** A valid batch, or one with a single field of a single row mutated. */
const fuzzedBatch = fc.tuple(validBatch, fc.option(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...MUTATIONS)), { freq: 9 })).map(([body, choice]) => {
  if (!choice) return { body, mutation: null, mustFail: false };
  const [sectionPick, rowPick, fieldPick, mutation] = choice;
  const sections = (Object.keys(body) as (keyof Body)[]).filter((s) => body[s].length);
  const section = sections[sectionPick % sections.length];
  const index = rowPick % body[section].length;
  const fields = Object.keys(body[section][index]);
  const field = fields[fieldPick % fields.length];
  const mustFail = mutation.apply(body, section, index, field, fieldPick);
  return { body, mutation: `${mutation.kind} at /${section}/${index}/${field}`, mustFail };
});

describe('fuzzing writes', () => {
  let t: TestApp;
  let key: string;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('writefuzz');
    key = await createApiKey(t.database.url, 'writefuzz');
    db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it(`never answers 5xx, never leaves a batch running, and a rejected or dry-run body changes nothing (${RUNS} bodies, seed ${SEED})`, async () => {
    const statuses = new Map<string, number>();
    const count = (label: string) => statuses.set(label, (statuses.get(label) ?? 0) + 1);
    const bodies = fc.sample(fc.tuple(fuzzedBatch, fc.boolean()), { seed: SEED, numRuns: RUNS });
    const send = (body: Body, dryRun: boolean, withKey: boolean) => {
      const idempotencyKey = `fuzz-${Math.random().toString(36).slice(2)}`;
      // An instance takes two batches at a time; a third is told 429 and, as a client would, sent again.
      return until('a place for the batch', async () => {
        const req = request(t.http)
          .post(`/v1/sync/batches${dryRun ? '?dryRun=true' : ''}`)
          .set('Authorization', `Bearer ${key}`)
          .set('Content-Type', 'application/json');
        if (withKey) req.set('Idempotency-Key', idempotencyKey);
        const response = await req.send(JSON.stringify(body));
        return response.status === 429 ? undefined : response;
      });
    };
    // Four at a time, the data hashed around each group: a group whose writes were all refused must leave it as it was.
    let published = await publishedHash(db);
    for (let start = 0; start < bodies.length; start += 4) {
      const group = bodies.slice(start, start + 4);
      const answers = await Promise.all(
        group.map(async ([{ body, mutation, mustFail }, withKey], i) => {
          const what = `body ${start + i} (${mutation ?? 'valid batch'}): ${JSON.stringify(body).slice(0, 300)}`;
          const dry = await send(body, true, withKey);
          const real = await send(body, false, withKey);
          count(`dry ${dry.status}`);
          count(`write ${real.status}`);
          if (dry.status >= 500 || real.status >= 500) throw new Error(`answered ${dry.status} (dry run) and ${real.status} for ${what}: ${dry.text} ${real.text}`);
          if (!mutation && (dry.status !== 200 || real.status !== 201)) throw new Error(`a valid batch was refused with ${dry.status}/${real.status}: ${what}: ${real.text}`);
          if (mustFail && (dry.status < 400 || real.status < 400)) throw new Error(`an invalid batch was accepted: ${what}`);
          if ((dry.status >= 400 || real.status >= 400) && dry.status !== real.status) throw new Error(`the dry run answered ${dry.status} but the write ${real.status}: ${what}`);
          return { what, written: real.status < 400 };
        }),
      );
      const after = await publishedHash(db);
      if (answers.every((a) => !a.written) && after !== published) throw new Error(`refused writes changed the data: ${answers.map((a) => a.what).join('; ')}`);
      published = after;
    }
    console.log(`write fuzz: ${RUNS} bodies, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(await runningBatches(db)).toBe(0);
    // The runs reached both sides: batches written and batches refused.
    expect(statuses.get('write 201')).toBeGreaterThan(RUNS / 20);
    expect(statuses.get('write 422')).toBeGreaterThan(RUNS / 4);
  }, 600_000);
});
