import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TABLES } from './1764200000000-data-version.js';

const EVENTS = [
  ['insert', 'INSERT', 'NEW'],
  ['update', 'UPDATE', 'NEW'],
  ['delete', 'DELETE', 'OLD'],
] as const;

/**
 * The data version moves on only when a statement changed rows. A statement trigger fires even for
 * a statement that touched nothing, and an upsert whose rows are all unchanged (a scheduled pull of
 * a source that has not changed, a batch sent twice) dropped every cached answer on every instance.
 * Each trigger now sees its statement's rows (a transition table, one per event) and bumps only when
 * there is one.
 */
export class DataVersionOnChange1764600000000 implements MigrationInterface {
  name = 'DataVersionOnChange1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION bump_data_version_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        next bigint;
      BEGIN
        IF EXISTS (SELECT 1 FROM changed) THEN
          UPDATE data_version SET version = version + 1 RETURNING version INTO next;
          PERFORM pg_notify('data_version', next::text);
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await db.query(`DROP TRIGGER ${table}_data_version ON ${table}`);
      for (const [name, event, side] of EVENTS) {
        await db.query(
          `CREATE TRIGGER ${table}_data_version_${name} AFTER ${event} ON ${table} REFERENCING ${side} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version_on_change()`,
        );
      }
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      for (const [name] of EVENTS) await db.query(`DROP TRIGGER ${table}_data_version_${name} ON ${table}`);
      await db.query(`CREATE TRIGGER ${table}_data_version AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()`);
    }
    await db.query(`DROP FUNCTION bump_data_version_on_change()`);
  }
}
