import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MEASURED_ONLY } from './1764000000000-derived-indicators.js';
import { RECORD_OBSERVATION_REVISION } from './1764100000000-sync.js';

const REVISION_COLUMNS = `region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value, value_printed, unit_printed,
                          qualifier, reporter, program_id, source_id, quote, note, created_at`;
const FROM_ROW = (alias: string) =>
  REVISION_COLUMNS.split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ');

/** The batch and instant a writing transaction names (see sync), or none and the statement's clock. */
const BATCH_DECLARATIONS = `
  batch bigint := nullif(current_setting('app.batch_id', true), '')::bigint;
  at timestamptz := coalesce(nullif(current_setting('app.batch_at', true), '')::timestamptz, clock_timestamp());`;

/**
 * A revision per row of the statement (the transition table `changed`), in id order, returned for the
 * change feed. `{batch}` and `{at}` stand for the functions' variables (see inTrigger).
 */
const INSERT_REVISIONS = `
  INSERT INTO observation_revisions (observation_id, batch_id, valid_from, retracted, ${REVISION_COLUMNS})
  SELECT n.id, {batch}, {at}, n.retracted_at IS NOT NULL, ${FROM_ROW('n')} FROM changed n ORDER BY n.id
  RETURNING id, observation_id, retracted`;

/**
 * Recomputes the newest published figure of each series a statement touched (the transition table
 * `changed`), copying `columns` of the figure beside its id and date. Each series' newest figure is
 * the first entry of the listing index (region, indicator, newest first): one probe per series,
 * however many dates the series holds.
 */
export const refreshLatest = (columns: string[] = []) => [
  `DELETE FROM latest_observations l
   USING (SELECT DISTINCT region_code, indicator_code, reporter FROM changed) k
   WHERE l.region_code = k.region_code AND l.indicator_code = k.indicator_code AND l.reporter IS NOT DISTINCT FROM k.reporter`,
  `INSERT INTO latest_observations (region_code, indicator_code, reporter, as_of, observation_id${columns.map((c) => `, ${c}`).join('')})
  SELECT o.region_code, o.indicator_code, o.reporter, o.as_of, o.id${columns.map((c) => `, o.${c}`).join('')}
    FROM (SELECT DISTINCT region_code, indicator_code, reporter FROM changed) k
    CROSS JOIN LATERAL (
      SELECT * FROM observations o
       WHERE o.region_code = k.region_code AND o.indicator_code = k.indicator_code AND o.reporter IS NOT DISTINCT FROM k.reporter
         AND o.retracted_at IS NULL
       ORDER BY o.as_of DESC LIMIT 1) o`,
];

/**
 * One statement of a trigger function. By default PL/pgSQL keeps its statements' plans for the
 * session (a generic plan at once for a statement without variables, after five custom ones for a
 * statement with them), and a transition table's size is not part of a kept plan: a plan made for a
 * one-row write (nested loops over the transition tables) was reused for a 50,000-row one and ran for
 * minutes. With planEachRun the statement goes through EXECUTE and is planned for the rows at hand
 * every time, for a millisecond of planning.
 */
function inTrigger(sql: string, planEachRun: boolean): string {
  if (!planEachRun) return `${sql.replaceAll('{batch}', 'batch').replaceAll('{at}', 'at')};`;
  return `EXECUTE $statement$${sql.replaceAll('{batch}', '$1').replaceAll('{at}', '$2')}$statement$ USING batch, at;`;
}

/**
 * The statement-level history functions of inserts and updates, each ending with `refresh` (see
 * refreshLatest): the SQL that brings latest_observations up to date with the transition table `changed`.
 * Planned each run, the update function also costs a random page as an SSD's (see TriggerPlans);
 * the setting is part of the function, since replacing a function drops settings given apart.
 */
export function recordObservationFunctions(refresh: string[], planEachRun = false): string[] {
  const body = (statements: string[]) => statements.map((sql) => inTrigger(sql, planEachRun)).join('\n        ');
  return [
    `CREATE OR REPLACE FUNCTION record_inserted_observations() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE ${BATCH_DECLARATIONS}
      BEGIN
        ${body([
          `WITH revision AS (${INSERT_REVISIONS})
        INSERT INTO observation_changes (observation_id, revision_id, kind, batch_id, changed_at)
        SELECT observation_id, id, 'insert', {batch}, {at} FROM revision ORDER BY id`,
          ...refresh,
        ])}
        RETURN NULL;
      END $$`,
    `CREATE OR REPLACE FUNCTION record_updated_observations() RETURNS trigger LANGUAGE plpgsql${planEachRun ? ' SET random_page_cost = 1.1' : ''} AS $$
      DECLARE ${BATCH_DECLARATIONS}
      BEGIN
        ${body([
          `UPDATE observation_revisions r SET valid_to = {at} FROM changed n WHERE r.observation_id = n.id AND r.valid_to IS NULL`,
          `WITH revision AS (${INSERT_REVISIONS})
        INSERT INTO observation_changes (observation_id, revision_id, kind, batch_id, changed_at)
        SELECT r.observation_id, r.id, CASE WHEN r.retracted AND p.retracted_at IS NULL THEN 'retract' ELSE 'update' END, {batch}, {at}
          FROM revision r JOIN previous p ON p.id = r.observation_id
         ORDER BY r.id`,
          ...refresh,
        ])}
        RETURN NULL;
      END $$`,
  ];
}

/** Refuses a statement that writes figures of a derived indicator (planEachRun: see inTrigger). */
export function refuseDerivedFunction(planEachRun = false): string {
  const find = `SELECT i.code FROM changed n JOIN indicators i ON i.code = n.indicator_code WHERE i.kind = 'derived' LIMIT 1`;
  return `
      CREATE OR REPLACE FUNCTION refuse_derived_observations() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        derived text;
      BEGIN
        ${planEachRun ? `EXECUTE $statement$${find}$statement$ INTO derived;` : `${find.replace(' FROM changed', ' INTO derived FROM changed')};`}
        IF derived IS NOT NULL THEN
          RAISE EXCEPTION 'indicator % is derived: its values are computed, not stored', derived USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`;
}

const HISTORY_REFERENCES = [
  ['observation_revisions', 'observation_id', 'observations (id)'],
  ['observation_revisions', 'batch_id', 'sync_batches (id)'],
  ['observation_changes', 'observation_id', 'observations (id)'],
  ['observation_changes', 'revision_id', 'observation_revisions (id)'],
  ['observation_changes', 'batch_id', 'sync_batches (id)'],
] as const;

/**
 * History, the derived-indicator guard and the newest figure per series, written once per statement
 * from its transition tables instead of once per row: a 50,000-row batch costs a few set-based
 * statements rather than 150,000 single-row ones.
 *
 * latest_observations holds, for each series (region, indicator, reporter), the id of its newest
 * published figure: profiles, rankings and latest-only lists read it by index instead of scanning
 * every date of every series.
 */
export class StatementHistoryLatest1764300000000 implements MigrationInterface {
  name = 'StatementHistoryLatest1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER observations_history ON observations`);
    await db.query(`DROP FUNCTION record_observation_revision()`);
    await db.query(`DROP TRIGGER observations_measured_only ON observations`);
    await db.query(`DROP FUNCTION observations_of_measured_indicators()`);

    // The history is written only by these triggers, from rows of the same statement, and observations
    // are never deleted: foreign keys would only check, row by row, what cannot be otherwise.
    for (const [table, column] of HISTORY_REFERENCES) await db.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_${column}_fkey`);

    // At most one open revision per observation; closing it on update is an index lookup.
    await db.query(`CREATE UNIQUE INDEX observation_revisions_open_idx ON observation_revisions (observation_id) WHERE valid_to IS NULL`);

    await db.query(`
      CREATE TABLE latest_observations (
        region_code    varchar(6) NOT NULL,
        indicator_code text NOT NULL,
        reporter       text,
        as_of          date NOT NULL,
        observation_id bigint NOT NULL,
        CONSTRAINT latest_observations_series UNIQUE NULLS NOT DISTINCT (region_code, indicator_code, reporter)
      )`);
    await db.query(`CREATE INDEX latest_observations_indicator_idx ON latest_observations (indicator_code, region_code)`);
    await db.query(`
      INSERT INTO latest_observations (region_code, indicator_code, reporter, as_of, observation_id)
      SELECT DISTINCT ON (region_code, indicator_code, reporter) region_code, indicator_code, reporter, as_of, id
        FROM observations WHERE retracted_at IS NULL
       ORDER BY region_code, indicator_code, reporter, as_of DESC`);

    // The default listing order (region, indicator, newest first), so keyset pages start by index at any depth.
    await db.query(`CREATE INDEX observations_listing_idx ON observations (region_code, indicator_code, as_of DESC, id)`);

    await db.query(refuseDerivedFunction());

    for (const statement of recordObservationFunctions(refreshLatest())) await db.query(statement);

    // Transition tables allow one event per trigger, hence a pair of each.
    await db.query(
      `CREATE TRIGGER observations_measured_only_insert AFTER INSERT ON observations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION refuse_derived_observations()`,
    );
    await db.query(
      `CREATE TRIGGER observations_measured_only_update AFTER UPDATE ON observations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION refuse_derived_observations()`,
    );
    await db.query(
      `CREATE TRIGGER observations_history_insert AFTER INSERT ON observations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION record_inserted_observations()`,
    );
    await db.query(
      `CREATE TRIGGER observations_history_update AFTER UPDATE ON observations REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION record_updated_observations()`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const trigger of ['observations_measured_only_insert', 'observations_measured_only_update', 'observations_history_insert', 'observations_history_update']) {
      await db.query(`DROP TRIGGER ${trigger} ON observations`);
    }
    await db.query(`DROP FUNCTION record_updated_observations()`);
    await db.query(`DROP FUNCTION record_inserted_observations()`);
    await db.query(`DROP FUNCTION refuse_derived_observations()`);
    await db.query(`DROP INDEX observations_listing_idx`);
    await db.query(`DROP TABLE latest_observations`);
    await db.query(`DROP INDEX observation_revisions_open_idx`);
    for (const [table, column, target] of HISTORY_REFERENCES) await db.query(`ALTER TABLE ${table} ADD FOREIGN KEY (${column}) REFERENCES ${target}`);
    await db.query(RECORD_OBSERVATION_REVISION);
    await db.query(`CREATE TRIGGER observations_history AFTER INSERT OR UPDATE ON observations FOR EACH ROW EXECUTE FUNCTION record_observation_revision()`);
    for (const statement of MEASURED_ONLY) await db.query(statement);
  }
}
