import type { MigrationInterface, QueryRunner } from 'typeorm';
import { recordObservationFunctions, refreshLatest } from './1764300000000-statement-history-latest.js';

/** What a ranking needs of each newest figure besides its id: enough to rank, date and flag it. */
export const FIGURE_COLUMNS = ['as_of_precision', 'as_of_inferred', 'period_start', 'value', 'qualifier'];

/**
 * The newest-figure table carries the figure itself (value, qualifier, dates), and a covering index
 * of the regional totals per indicator: a ranking of thousands of regions reads one index range
 * instead of visiting one observation row per region. The listing index covers published figures
 * only, as every listing does, so a count of a region's figures is an index-only scan.
 */
export class LatestFigures1764400000000 implements MigrationInterface {
  name = 'LatestFigures1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE latest_observations
        ADD COLUMN as_of_precision text, ADD COLUMN as_of_inferred boolean, ADD COLUMN period_start date,
        ADD COLUMN value numeric, ADD COLUMN qualifier text`);
    await db.query(`
      UPDATE latest_observations l SET ${FIGURE_COLUMNS.map((c) => `${c} = o.${c}`).join(', ')}
        FROM observations o WHERE o.id = l.observation_id`);
    await db.query(`
      ALTER TABLE latest_observations
        ${FIGURE_COLUMNS.filter((c) => c !== 'period_start')
          .map((c) => `ALTER COLUMN ${c} SET NOT NULL`)
          .join(', ')}`);
    await db.query(`
      CREATE INDEX latest_observations_ranking_idx ON latest_observations (indicator_code, region_code)
        INCLUDE (observation_id, as_of, ${FIGURE_COLUMNS.join(', ')}) WHERE reporter IS NULL`);
    for (const statement of recordObservationFunctions(refreshLatest(FIGURE_COLUMNS))) await db.query(statement);

    await db.query(`DROP INDEX observations_listing_idx`);
    await db.query(`CREATE INDEX observations_listing_idx ON observations (region_code, indicator_code, as_of DESC, id) WHERE retracted_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX observations_listing_idx`);
    await db.query(`CREATE INDEX observations_listing_idx ON observations (region_code, indicator_code, as_of DESC, id)`);
    for (const statement of recordObservationFunctions(refreshLatest())) await db.query(statement);
    await db.query(`DROP INDEX latest_observations_ranking_idx`);
    await db.query(`ALTER TABLE latest_observations ${FIGURE_COLUMNS.map((c) => `DROP COLUMN ${c}`).join(', ')}`);
  }
}
