import type { MigrationInterface, QueryRunner } from 'typeorm';

export const TABLES = ['observations', 'regions', 'topics', 'sources', 'indicators', 'indicator_comparisons', 'programs', 'pilot_zones', 'pilot_zone_distinctions'];

/**
 * One number that every write to the published data moves on, announced with NOTIFY at commit:
 * app instances cache finished responses under it and drop them when it changes.
 */
export class DataVersion1764200000000 implements MigrationInterface {
  name = 'DataVersion1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE data_version (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version bigint NOT NULL)`);
    await db.query(`INSERT INTO data_version (version) VALUES (1)`);
    await db.query(`
      CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        next bigint;
      BEGIN
        UPDATE data_version SET version = version + 1 RETURNING version INTO next;
        PERFORM pg_notify('data_version', next::text);
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await db.query(`CREATE TRIGGER ${table}_data_version AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of TABLES) await db.query(`DROP TRIGGER ${table}_data_version ON ${table}`);
    await db.query(`DROP FUNCTION bump_data_version()`);
    await db.query(`DROP TABLE data_version`);
  }
}
