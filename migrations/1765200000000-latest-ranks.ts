import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LATEST_COLUMNS } from './1764700000000-latest-citations.js';
import { recordObservationFunctions, refreshLatest } from './1764300000000-statement-history-latest.js';

const RANK_COLUMNS = ['region_level', 'rank_desc', 'position_desc', 'rank_asc', 'position_asc'];

/** After the newest figures of a statement's series are refreshed, their indicators are ranked again (see rank_latest). */
export const RANK_CHANGED_INDICATORS = `SELECT rank_latest(ARRAY(SELECT DISTINCT indicator_code FROM changed))`;

/** Ranks every indicator's newest regional totals, as a bulk load that bypasses the triggers must. */
export const RANK_ALL_LATEST = `SELECT rank_latest(ARRAY(SELECT DISTINCT indicator_code FROM latest_observations))`;

/**
 * Rankings by level, worked out when figures are written instead of on every read: each newest
 * regional total carries its region's level and its rank and position among the same indicator's
 * newest totals of that level, highest first (desc) and lowest first (asc, for ranks), ties
 * sharing a rank and ordered by region code. A ranking's first page of 3,285 districts was a sort
 * and two window passes over all of them per request (8–10 ms of PostgreSQL's time); now it is an
 * index range of 50 rows. The history triggers rank again the indicators a statement touched, and a
 * region whose level changes has its indicators ranked again.
 */
export class LatestRanks1765200000000 implements MigrationInterface {
  name = 'LatestRanks1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE latest_observations ADD COLUMN region_level text, ADD COLUMN rank_desc int, ADD COLUMN position_desc int, ADD COLUMN rank_asc int, ADD COLUMN position_asc int`,
    );
    // Only the rows whose rank or position moved are written: one new figure rewrites the rows below it, not the whole level.
    await db.query(`
      CREATE FUNCTION rank_latest(indicators text[]) RETURNS void LANGUAGE sql AS $$
        UPDATE latest_observations l
           SET region_level = x.level, rank_desc = x.rank_desc, position_desc = x.position_desc, rank_asc = x.rank_asc, position_asc = x.position_asc
          FROM (SELECT l.indicator_code, l.region_code, r.level,
                       rank() OVER (PARTITION BY l.indicator_code, r.level ORDER BY l.value DESC) AS rank_desc,
                       row_number() OVER (PARTITION BY l.indicator_code, r.level ORDER BY l.value DESC, l.region_code COLLATE "C") AS position_desc,
                       rank() OVER (PARTITION BY l.indicator_code, r.level ORDER BY l.value) AS rank_asc,
                       row_number() OVER (PARTITION BY l.indicator_code, r.level ORDER BY l.value, l.region_code COLLATE "C") AS position_asc
                  FROM latest_observations l JOIN regions r ON r.code = l.region_code
                 WHERE l.indicator_code = ANY (indicators) AND l.reporter IS NULL) x
         WHERE l.indicator_code = x.indicator_code AND l.region_code = x.region_code AND l.reporter IS NULL
           AND (l.region_level, l.rank_desc, l.position_desc, l.rank_asc, l.position_asc)
               IS DISTINCT FROM (x.level, x.rank_desc, x.position_desc, x.rank_asc, x.position_asc)
      $$`);
    await db.query(`
      CREATE FUNCTION rank_latest_of_regions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM rank_latest(ARRAY(SELECT DISTINCT l.indicator_code FROM changed n JOIN previous p ON p.code = n.code
                                    JOIN latest_observations l ON l.region_code = n.code WHERE n.level IS DISTINCT FROM p.level));
        RETURN NULL;
      END $$`);
    await db.query(
      `CREATE TRIGGER regions_rank_latest AFTER UPDATE ON regions REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION rank_latest_of_regions()`,
    );
    await this.functions(db, [...refreshLatest(LATEST_COLUMNS), RANK_CHANGED_INDICATORS]);
    await db.query(RANK_ALL_LATEST);
    // A page is a range of either index; the level's count, dates and the figures a warning is about come from the first alone.
    await db.query(
      `CREATE INDEX latest_observations_level_desc_idx ON latest_observations (indicator_code, region_level, position_desc)
         INCLUDE (as_of, qualifier, as_of_inferred, region_code, position_asc) WHERE reporter IS NULL`,
    );
    await db.query(`CREATE INDEX latest_observations_level_asc_idx ON latest_observations (indicator_code, region_level, position_asc) WHERE reporter IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await this.functions(db, refreshLatest(LATEST_COLUMNS));
    await db.query(`DROP TRIGGER regions_rank_latest ON regions`);
    await db.query(`DROP FUNCTION rank_latest_of_regions(), rank_latest(text[])`);
    await db.query(`ALTER TABLE latest_observations ${RANK_COLUMNS.map((c) => `DROP COLUMN ${c}`).join(', ')}`);
  }

  /** The history triggers ending with `refresh`. */
  private async functions(db: QueryRunner, refresh: string[]): Promise<void> {
    for (const statement of recordObservationFunctions(refresh, true)) await db.query(statement);
  }
}
