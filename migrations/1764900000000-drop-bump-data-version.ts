import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * bump_data_version() moved the version on every statement; since DataVersionOnChange the triggers
 * call bump_data_version_on_change() and nothing calls it. The schema snapshot showed it left over.
 */
export class DropBumpDataVersion1764900000000 implements MigrationInterface {
  name = 'DropBumpDataVersion1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION bump_data_version()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        next bigint;
      BEGIN
        UPDATE data_version SET version = version + 1 RETURNING version INTO next;
        PERFORM pg_notify('data_version', next::text);
        RETURN NULL;
      END $$`);
  }
}
