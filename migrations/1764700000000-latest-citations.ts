import type { MigrationInterface, QueryRunner } from 'typeorm';
import { FIGURE_COLUMNS } from './1764400000000-latest-figures.js';
import { recordObservationFunctions, refreshLatest } from './1764300000000-statement-history-latest.js';

/** What a cited figure shows besides the figure itself: its printed form and the clause it came from. */
export const CITATION_COLUMNS = ['value_printed', 'unit_printed', 'source_id', 'quote'];

/** Every column of an observation the newest-figure table copies, as the sync triggers and a bulk load write them. */
export const LATEST_COLUMNS = [...FIGURE_COLUMNS, ...CITATION_COLUMNS];

/**
 * The newest-figure table carries each figure's citation too, so a profile, a compare of newest
 * figures and a ranking's page read it alone. Before, each figure shown was one visit to its
 * observation row, scattered over the whole history: on 7.3 million observations a profile's 127
 * figures were 100–200 pages read from disk once the history outgrew memory.
 */
export class LatestCitations1764700000000 implements MigrationInterface {
  name = 'LatestCitations1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE latest_observations ${CITATION_COLUMNS.map((c) => `ADD COLUMN ${c} text`).join(', ')}`);
    await db.query(`UPDATE latest_observations l SET ${CITATION_COLUMNS.map((c) => `${c} = o.${c}`).join(', ')} FROM observations o WHERE o.id = l.observation_id`);
    await db.query(`ALTER TABLE latest_observations ${CITATION_COLUMNS.map((c) => `ALTER COLUMN ${c} SET NOT NULL`).join(', ')}`);
    await this.functions(db, LATEST_COLUMNS);
  }

  async down(db: QueryRunner): Promise<void> {
    await this.functions(db, FIGURE_COLUMNS);
    await db.query(`ALTER TABLE latest_observations ${CITATION_COLUMNS.map((c) => `DROP COLUMN ${c}`).join(', ')}`);
  }

  /** The history triggers copying `columns`. */
  private async functions(db: QueryRunner, columns: string[]): Promise<void> {
    for (const statement of recordObservationFunctions(refreshLatest(columns), true)) await db.query(statement);
  }
}
