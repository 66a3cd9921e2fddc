import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A key's name is unique among keys in use: once revoked, its name may be given to a new key (an ETL job keeps its name across rotations). */
export class ReusableKeyNames1765100000000 implements MigrationInterface {
  name = 'ReusableKeyNames1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_name_key`);
    await db.query(`CREATE UNIQUE INDEX api_keys_active_name_idx ON api_keys (name) WHERE revoked_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Fails while a revoked key and a live one share a name: revoke or rename one first.
    await db.query(`DROP INDEX api_keys_active_name_idx`);
    await db.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_name_key UNIQUE (name)`);
  }
}
