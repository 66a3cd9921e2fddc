import type { MigrationInterface, QueryRunner } from 'typeorm';
import { recordObservationFunctions, refreshLatest, refuseDerivedFunction } from './1764300000000-statement-history-latest.js';
import { FIGURE_COLUMNS } from './1764400000000-latest-figures.js';

/**
 * The observation triggers plan each statement for the rows of the write at hand. Their plans were
 * kept per session, so after a few one-row writes on a connection, a 50,000-row update on it ran
 * nested loops over its transition tables: minutes instead of seconds.
 *
 * The update trigger also costs a random page as an SSD's (1.1, not 4): it finds each updated row's
 * open revision, and at the default the planner read every revision in the table rather than probe
 * the index once per row (2 s instead of 0.2 s for 50,000 rows among 2.4 million revisions).
 */
export class TriggerPlans1764500000000 implements MigrationInterface {
  name = 'TriggerPlans1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(refuseDerivedFunction(true));
    for (const statement of recordObservationFunctions(refreshLatest(FIGURE_COLUMNS), true)) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(refuseDerivedFunction());
    for (const statement of recordObservationFunctions(refreshLatest(FIGURE_COLUMNS))) await db.query(statement);
  }
}
