import type pg from 'pg';

/** A hash of every table a batch can write: equal before and after means nothing was written. */
export async function publishedHash(db: pg.Client): Promise<string> {
  const { rows } = await db.query<{ h: string }>(`
    SELECT md5(string_agg(t, '|' ORDER BY t)) AS h FROM (
      SELECT 'o' || o::text AS t FROM observations o UNION ALL SELECT 'v' || v::text FROM observation_revisions v
      UNION ALL SELECT 'r' || r::text FROM regions r UNION ALL SELECT 's' || s::text FROM sources s
      UNION ALL SELECT 'i' || i::text FROM indicators i UNION ALL SELECT 'c' || c::text FROM indicator_comparisons c
      UNION ALL SELECT 'p' || p::text FROM programs p UNION ALL SELECT 't' || t::text FROM topics t) x`);
  return rows[0].h;
}

/** Batches logged as running: a batch that ended in any way but a crash is logged with how it ended. */
export async function runningBatches(db: pg.Client): Promise<number> {
  return Number((await db.query(`SELECT count(*) FROM sync_batches WHERE status = 'running'`)).rows[0].count);
}
