import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE regions (
        code        varchar(6) PRIMARY KEY CHECK (code = 'CN' OR code ~ '^[1-9][0-9]{5}$'),
        name_zh     text NOT NULL,
        name_en     text NOT NULL,
        level       text NOT NULL CHECK (level IN ('nation', 'province', 'city', 'district')),
        parent_code varchar(6) REFERENCES regions (code),
        CHECK ((level = 'nation') = (parent_code IS NULL))
      )`);
    await db.query(`CREATE INDEX regions_parent_idx ON regions (parent_code)`);

    await db.query(`
      CREATE TABLE sources (
        id                  text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]*$'),
        file_name           text NOT NULL UNIQUE,
        headline            text NOT NULL,
        publisher           text NOT NULL,
        published_on        date NOT NULL,
        published_precision text NOT NULL CHECK (published_precision IN ('day', 'month', 'quarter', 'year')),
        published_inferred  boolean NOT NULL,
        note                text
      )`);

    await db.query(`
      CREATE TABLE topics (
        code    text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
        name_zh text NOT NULL,
        name_en text NOT NULL
      )`);

    await db.query(`
      CREATE TABLE indicators (
        code          text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$'),
        name_zh       text NOT NULL,
        name_en       text NOT NULL,
        topic         text NOT NULL REFERENCES topics (code),
        unit          text NOT NULL CHECK (unit IN ('CNY', 'count', 'percent', 'percentage_points', 'year')),
        measure_type  text NOT NULL CHECK (measure_type IN ('cumulative', 'balance', 'count_at_date', 'yoy_growth', 'growth', 'share', 'limit', 'rate', 'rate_change', 'flow', 'duration')),
        definition_zh text NOT NULL,
        definition_en text NOT NULL
      )`);
    await db.query(`CREATE INDEX indicators_topic_idx ON indicators (topic)`);

    // A comparability link is symmetric, so it is stored once with the codes in order.
    await db.query(`
      CREATE TABLE indicator_comparisons (
        indicator_code  text NOT NULL REFERENCES indicators (code),
        comparable_code text NOT NULL REFERENCES indicators (code),
        caveat_en       text NOT NULL,
        caveat_zh       text NOT NULL,
        PRIMARY KEY (indicator_code, comparable_code),
        CHECK (indicator_code < comparable_code)
      )`);
    await db.query(`CREATE INDEX indicator_comparisons_comparable_idx ON indicator_comparisons (comparable_code)`);

    await db.query(`
      CREATE TABLE programs (
        id               text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
        name_zh          text NOT NULL,
        name_en          text NOT NULL,
        region_code      varchar(6) NOT NULL REFERENCES regions (code),
        kind             text NOT NULL CHECK (kind IN ('loan_product', 'platform', 'policy_tool', 'mechanism', 'institution')),
        operator         text,
        launched_on      date,
        launch_precision text CHECK (launch_precision IN ('day', 'month', 'quarter', 'year')),
        description_zh   text NOT NULL,
        description_en   text NOT NULL,
        source_id        text NOT NULL REFERENCES sources (id),
        quote            text NOT NULL,
        CHECK ((launched_on IS NULL) = (launch_precision IS NULL))
      )`);
    await db.query(`CREATE INDEX programs_region_idx ON programs (region_code)`);

    await db.query(`
      CREATE TABLE pilot_zones (
        region_code   varchar(6) PRIMARY KEY REFERENCES regions (code),
        name_zh       text NOT NULL,
        name_en       text NOT NULL,
        approval_year integer NOT NULL CHECK (approval_year BETWEEN 2000 AND 2100),
        batch         integer NOT NULL CHECK (batch > 0),
        plan_document text,
        source_id     text NOT NULL REFERENCES sources (id),
        quote         text NOT NULL,
        note          text
      )`);

    await db.query(`
      CREATE TABLE pilot_zone_distinctions (
        id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        region_code varchar(6) NOT NULL REFERENCES pilot_zones (region_code),
        text_zh     text NOT NULL,
        text_en     text NOT NULL,
        source_id   text NOT NULL REFERENCES sources (id),
        quote       text NOT NULL,
        UNIQUE (region_code, text_en)
      )`);

    // reporter is null for a region's own total; a bank's or platform's own figure names it, so
    // the same region, indicator and date can hold both without one overwriting the other.
    await db.query(`
      CREATE TABLE observations (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        region_code      varchar(6) NOT NULL REFERENCES regions (code),
        indicator_code   text NOT NULL REFERENCES indicators (code),
        as_of            date NOT NULL,
        as_of_precision  text NOT NULL CHECK (as_of_precision IN ('day', 'month', 'quarter', 'year', 'period')),
        as_of_inferred   boolean NOT NULL,
        period_start     date,
        value            numeric NOT NULL,
        value_printed    text NOT NULL,
        unit_printed     text NOT NULL,
        qualifier        text NOT NULL CHECK (qualifier IN ('exact', 'about', 'nearly', 'more_than', 'at_least', 'up_to')),
        reporter         text,
        program_id       text REFERENCES programs (id),
        source_id        text NOT NULL REFERENCES sources (id),
        quote            text NOT NULL,
        note             text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CHECK (period_start IS NULL OR period_start <= as_of),
        CONSTRAINT observations_natural_key UNIQUE NULLS NOT DISTINCT (region_code, indicator_code, as_of, reporter)
      )`);
    await db.query(`CREATE INDEX observations_indicator_as_of_idx ON observations (indicator_code, as_of DESC)`);
    await db.query(`CREATE INDEX observations_source_idx ON observations (source_id)`);
    await db.query(`CREATE INDEX observations_program_idx ON observations (program_id) WHERE program_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['observations', 'pilot_zone_distinctions', 'pilot_zones', 'programs', 'indicator_comparisons', 'indicators', 'topics', 'sources', 'regions']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
