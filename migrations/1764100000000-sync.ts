import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The per-row history trigger's function (replaced by statement triggers in StatementHistoryLatest1764300000000). */
export const RECORD_OBSERVATION_REVISION = `
      CREATE FUNCTION record_observation_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        batch bigint := nullif(current_setting('app.batch_id', true), '')::bigint;
        -- One instant for a whole batch, taken once it holds the sync lock, so a vintage read sees a batch entirely or not at all.
        at timestamptz := coalesce(nullif(current_setting('app.batch_at', true), '')::timestamptz, clock_timestamp());
        revision bigint;
        change text;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          UPDATE observation_revisions SET valid_to = at WHERE observation_id = NEW.id AND valid_to IS NULL;
          change := CASE WHEN NEW.retracted_at IS NOT NULL AND OLD.retracted_at IS NULL THEN 'retract' ELSE 'update' END;
        ELSE
          change := 'insert';
        END IF;
        INSERT INTO observation_revisions (observation_id, batch_id, valid_from, retracted, region_code, indicator_code, as_of, as_of_precision,
                                           as_of_inferred, period_start, value, value_printed, unit_printed, qualifier, reporter, program_id,
                                           source_id, quote, note, created_at)
        VALUES (NEW.id, batch, at, NEW.retracted_at IS NOT NULL, NEW.region_code, NEW.indicator_code, NEW.as_of, NEW.as_of_precision,
                NEW.as_of_inferred, NEW.period_start, NEW.value, NEW.value_printed, NEW.unit_printed, NEW.qualifier, NEW.reporter, NEW.program_id,
                NEW.source_id, NEW.quote, NEW.note, NEW.created_at)
        RETURNING id INTO revision;
        INSERT INTO observation_changes (observation_id, revision_id, kind, batch_id, changed_at) VALUES (NEW.id, revision, change, batch, at);
        RETURN NULL;
      END $$`;

/**
 * Syncs: API keys, batches (with idempotency), retractions, and a history that no write can
 * destroy. Triggers record every insert, update and retraction of an observation as a revision
 * (a full snapshot with its validity interval, for vintage reads) and as an entry in the change
 * feed, stamped with the batch that the writing transaction names in `app.batch_id`.
 */
export class Sync1764100000000 implements MigrationInterface {
  name = 'Sync1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_keys (
        id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name        text NOT NULL UNIQUE,
        prefix      text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        scopes      text[] NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at  timestamptz
      )`);

    await db.query(`
      CREATE TABLE sync_batches (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        origin           text NOT NULL CHECK (origin IN ('api', 'schedule', 'cli', 'seed')),
        api_key_name     text,
        source_name      text,
        status           text NOT NULL CHECK (status IN ('running', 'applied', 'dry_run', 'rejected', 'failed')),
        dry_run          boolean NOT NULL DEFAULT false,
        received_at      timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz,
        row_count        integer NOT NULL DEFAULT 0,
        counts           jsonb,
        error            text,
        idempotency_key  text,
        request_hash     text,
        response_status  integer,
        response_body    jsonb
      )`);
    await db.query(`CREATE UNIQUE INDEX sync_batches_idempotency_idx ON sync_batches (api_key_name, idempotency_key) WHERE idempotency_key IS NOT NULL`);

    // One row per scheduled slot: the instance that inserts it runs the pull, the others skip it.
    await db.query(`CREATE TABLE sync_pulls (slot timestamptz PRIMARY KEY, batch_id bigint REFERENCES sync_batches (id), claimed_at timestamptz NOT NULL DEFAULT now())`);

    await db.query(`ALTER TABLE observations ADD COLUMN retracted_at timestamptz`);
    await db.query(`CREATE VIEW published_observations AS SELECT * FROM observations WHERE retracted_at IS NULL`);

    await db.query(`
      CREATE TABLE observation_revisions (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        observation_id  bigint NOT NULL REFERENCES observations (id),
        batch_id        bigint REFERENCES sync_batches (id),
        valid_from      timestamptz NOT NULL,
        valid_to        timestamptz,
        retracted       boolean NOT NULL,
        region_code     varchar(6) NOT NULL,
        indicator_code  text NOT NULL,
        as_of           date NOT NULL,
        as_of_precision text NOT NULL,
        as_of_inferred  boolean NOT NULL,
        period_start    date,
        value           numeric NOT NULL,
        value_printed   text NOT NULL,
        unit_printed    text NOT NULL,
        qualifier       text NOT NULL,
        reporter        text,
        program_id      text,
        source_id       text NOT NULL,
        quote           text NOT NULL,
        note            text,
        created_at      timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX observation_revisions_observation_idx ON observation_revisions (observation_id, valid_from)`);
    await db.query(`CREATE INDEX observation_revisions_validity_idx ON observation_revisions (valid_from, valid_to)`);

    await db.query(`
      CREATE TABLE observation_changes (
        seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        observation_id bigint NOT NULL REFERENCES observations (id),
        revision_id    bigint NOT NULL REFERENCES observation_revisions (id),
        kind           text NOT NULL CHECK (kind IN ('insert', 'update', 'retract')),
        batch_id       bigint REFERENCES sync_batches (id),
        changed_at     timestamptz NOT NULL
      )`);

    await db.query(RECORD_OBSERVATION_REVISION);
    await db.query(`CREATE TRIGGER observations_history AFTER INSERT OR UPDATE ON observations FOR EACH ROW EXECUTE FUNCTION record_observation_revision()`);
    // Observations already there get their first revision, dated when they were created.
    await db.query(`
      INSERT INTO observation_revisions (observation_id, valid_from, retracted, region_code, indicator_code, as_of, as_of_precision, as_of_inferred,
                                         period_start, value, value_printed, unit_printed, qualifier, reporter, program_id, source_id, quote, note, created_at)
      SELECT id, updated_at, false, region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value, value_printed,
             unit_printed, qualifier, reporter, program_id, source_id, quote, note, created_at
        FROM observations ORDER BY id`);
    await db.query(`
      INSERT INTO observation_changes (observation_id, revision_id, kind, changed_at)
      SELECT observation_id, id, 'insert', valid_from FROM observation_revisions ORDER BY id`);
    // History is append-only: nothing may delete an observation that has a history.
    await db.query(`
      CREATE FUNCTION refuse_observation_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'observations are never deleted; retract them instead' USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`CREATE TRIGGER observations_no_delete BEFORE DELETE ON observations FOR EACH ROW EXECUTE FUNCTION refuse_observation_delete()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER observations_no_delete ON observations`);
    await db.query(`DROP FUNCTION refuse_observation_delete()`);
    await db.query(`DROP TRIGGER observations_history ON observations`);
    await db.query(`DROP FUNCTION record_observation_revision()`);
    await db.query(`DROP TABLE observation_changes`);
    await db.query(`DROP TABLE observation_revisions`);
    await db.query(`DROP VIEW published_observations`);
    await db.query(`ALTER TABLE observations DROP COLUMN retracted_at`);
    await db.query(`DROP TABLE sync_pulls`);
    await db.query(`DROP TABLE sync_batches`);
    await db.query(`DROP TABLE api_keys`);
  }
}
