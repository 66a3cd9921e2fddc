import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The per-row guard against stored derived values (replaced by statement triggers in StatementHistoryLatest1764300000000). */
export const MEASURED_ONLY = [
  `
      CREATE FUNCTION observations_of_measured_indicators() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM indicators WHERE code = NEW.indicator_code AND kind = 'derived') THEN
          RAISE EXCEPTION 'indicator % is derived: its values are computed, not stored', NEW.indicator_code USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`,
  `
      CREATE TRIGGER observations_measured_only BEFORE INSERT OR UPDATE OF indicator_code ON observations
        FOR EACH ROW EXECUTE FUNCTION observations_of_measured_indicators()`,
];

/** Derived indicators: a ratio of two other indicators, computed on request and never stored as observations. */
export class DerivedIndicators1764000000000 implements MigrationInterface {
  name = 'DerivedIndicators1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE indicators ADD COLUMN kind text NOT NULL DEFAULT 'measured' CHECK (kind IN ('measured', 'derived'))`);
    await db.query(`ALTER TABLE indicators ADD COLUMN numerator_code text REFERENCES indicators (code)`);
    await db.query(`ALTER TABLE indicators ADD COLUMN denominator_code text REFERENCES indicators (code)`);
    await db.query(`ALTER TABLE indicators DROP CONSTRAINT indicators_measure_type_check`);
    await db.query(
      `ALTER TABLE indicators ADD CONSTRAINT indicators_measure_type_check CHECK (measure_type IN ('cumulative', 'balance', 'count_at_date', 'yoy_growth', 'growth', 'share', 'limit', 'rate', 'rate_change', 'flow', 'duration', 'ratio'))`,
    );
    await db.query(`ALTER TABLE indicators ADD CONSTRAINT indicators_formula CHECK ((kind = 'derived') = (numerator_code IS NOT NULL AND denominator_code IS NOT NULL))`);
    for (const statement of MEASURED_ONLY) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER observations_measured_only ON observations`);
    await db.query(`DROP FUNCTION observations_of_measured_indicators()`);
    await db.query(`DELETE FROM indicators WHERE kind = 'derived'`);
    await db.query(`ALTER TABLE indicators DROP CONSTRAINT indicators_formula, DROP COLUMN denominator_code, DROP COLUMN numerator_code, DROP COLUMN kind`);
    await db.query(`ALTER TABLE indicators DROP CONSTRAINT indicators_measure_type_check`);
    await db.query(
      `ALTER TABLE indicators ADD CONSTRAINT indicators_measure_type_check CHECK (measure_type IN ('cumulative', 'balance', 'count_at_date', 'yoy_growth', 'growth', 'share', 'limit', 'rate', 'rate_change', 'flow', 'duration'))`,
    );
  }
}
