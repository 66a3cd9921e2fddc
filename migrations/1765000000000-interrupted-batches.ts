import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch whose writer died (the process killed, its connection gone) is marked interrupted, and
 * its Idempotency-Key may then be sent again: the key is unique among batches that were not
 * interrupted. The response is kept as the text that was sent (json, not jsonb, which reorders
 * keys), so a replay is byte for byte the first answer.
 */
export class InterruptedBatches1765000000000 implements MigrationInterface {
  name = 'InterruptedBatches1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sync_batches DROP CONSTRAINT sync_batches_status_check`);
    await db.query(`ALTER TABLE sync_batches ADD CONSTRAINT sync_batches_status_check CHECK (status IN ('running', 'applied', 'dry_run', 'rejected', 'failed', 'interrupted'))`);
    await db.query(`DROP INDEX sync_batches_idempotency_idx`);
    await db.query(
      `CREATE UNIQUE INDEX sync_batches_idempotency_idx ON sync_batches (api_key_name, idempotency_key) WHERE idempotency_key IS NOT NULL AND status <> 'interrupted'`,
    );
    await db.query(`ALTER TABLE sync_batches ALTER COLUMN response_body TYPE json USING response_body::json`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sync_batches ALTER COLUMN response_body TYPE jsonb USING response_body::jsonb`);
    await db.query(`UPDATE sync_batches SET status = 'failed' WHERE status = 'interrupted'`);
    await db.query(`DROP INDEX sync_batches_idempotency_idx`);
    await db.query(`CREATE UNIQUE INDEX sync_batches_idempotency_idx ON sync_batches (api_key_name, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await db.query(`ALTER TABLE sync_batches DROP CONSTRAINT sync_batches_status_check`);
    await db.query(`ALTER TABLE sync_batches ADD CONSTRAINT sync_batches_status_check CHECK (status IN ('running', 'applied', 'dry_run', 'rejected', 'failed'))`);
  }
}
