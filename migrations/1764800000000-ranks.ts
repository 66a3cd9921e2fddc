import type { MigrationInterface, QueryRunner } from 'typeorm';

const MEASURE_TYPES = ['cumulative', 'balance', 'count_at_date', 'yoy_growth', 'growth', 'share', 'limit', 'rate', 'rate_change', 'flow', 'duration', 'ratio'];
const UNITS = ['CNY', 'count', 'percent', 'percentage_points', 'year'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Ranks as figures: 居全国第一位 is an indicator in unit rank (1 is first, lower is better) and
 * measure type rank. Rankings and compare order them the other way round from amounts.
 */
export class Ranks1764800000000 implements MigrationInterface {
  name = 'Ranks1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE indicators DROP CONSTRAINT indicators_unit_check, ADD CONSTRAINT indicators_unit_check CHECK (unit IN (${list([...UNITS, 'rank'])}))`);
    await db.query(
      `ALTER TABLE indicators DROP CONSTRAINT indicators_measure_type_check, ADD CONSTRAINT indicators_measure_type_check CHECK (measure_type IN (${list([...MEASURE_TYPES, 'rank'])}))`,
    );
  }

  /** Rank figures stay (figures are never deleted); the narrower checks hold for rows written from now on. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE indicators DROP CONSTRAINT indicators_unit_check, ADD CONSTRAINT indicators_unit_check CHECK (unit IN (${list(UNITS)})) NOT VALID`);
    await db.query(
      `ALTER TABLE indicators DROP CONSTRAINT indicators_measure_type_check, ADD CONSTRAINT indicators_measure_type_check CHECK (measure_type IN (${list(MEASURE_TYPES)})) NOT VALID`,
    );
  }
}
