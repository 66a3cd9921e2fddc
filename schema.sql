CREATE FUNCTION public.bump_data_version_on_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      DECLARE
        next bigint;
      BEGIN
        IF EXISTS (SELECT 1 FROM changed) THEN
          UPDATE data_version SET version = version + 1 RETURNING version INTO next;
          PERFORM pg_notify('data_version', next::text);
        END IF;
        RETURN NULL;
      END $$;

CREATE FUNCTION public.rank_latest(indicators text[]) RETURNS void
    LANGUAGE sql
    AS $$
        UPDATE latest_observations l
           SET region_level = x.level, rank_desc = x.rank_desc, position_desc = x.position_desc, rank_asc = x.rank_asc, position_asc = x.position_asc
          FROM (SELECT l.indicator_code, l.region_code, r.level,
                       rank() OVER (PARTITION BY l.indicator_code, r.level ORDER BY l.value DESC) AS rank_desc,
                       row_number() OVER (PARTITION BY l.indicator_code, r.level ORDER BY l.value DESC, l.region_code COLLATE "C") AS position_desc,
                       rank() OVER (PARTITION BY l.indicator_code, r.level ORDER BY l.value) AS rank_asc,
                       row_number() OVER (PARTITION BY l.indicator_code, r.level ORDER BY l.value, l.region_code COLLATE "C") AS position_asc
                  FROM latest_observations l JOIN regions r ON r.code = l.region_code
                 WHERE l.indicator_code = ANY (indicators) AND l.reporter IS NULL) x
         WHERE l.indicator_code = x.indicator_code AND l.region_code = x.region_code AND l.reporter IS NULL
           AND (l.region_level, l.rank_desc, l.position_desc, l.rank_asc, l.position_asc)
               IS DISTINCT FROM (x.level, x.rank_desc, x.position_desc, x.rank_asc, x.position_asc)
      $$;

CREATE FUNCTION public.rank_latest_of_regions() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        PERFORM rank_latest(ARRAY(SELECT DISTINCT l.indicator_code FROM changed n JOIN previous p ON p.code = n.code
                                    JOIN latest_observations l ON l.region_code = n.code WHERE n.level IS DISTINCT FROM p.level));
        RETURN NULL;
      END $$;

CREATE FUNCTION public.record_inserted_observations() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
      DECLARE 
  batch bigint := nullif(current_setting('app.batch_id', true), '')::bigint;
  at timestamptz := coalesce(nullif(current_setting('app.batch_at', true), '')::timestamptz, clock_timestamp());
      BEGIN
        EXECUTE $statement$WITH revision AS (
  INSERT INTO observation_revisions (observation_id, batch_id, valid_from, retracted, region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value, value_printed, unit_printed,
                          qualifier, reporter, program_id, source_id, quote, note, created_at)
  SELECT n.id, $1, $2, n.retracted_at IS NOT NULL, n.region_code, n.indicator_code, n.as_of, n.as_of_precision, n.as_of_inferred, n.period_start, n.value, n.value_printed, n.unit_printed, n.qualifier, n.reporter, n.program_id, n.source_id, n.quote, n.note, n.created_at FROM changed n ORDER BY n.id
  RETURNING id, observation_id, retracted)
        INSERT INTO observation_changes (observation_id, revision_id, kind, batch_id, changed_at)
        SELECT observation_id, id, 'insert', $1, $2 FROM revision ORDER BY id$statement$ USING batch, at;
        EXECUTE $statement$DELETE FROM latest_observations l
   USING (SELECT DISTINCT region_code, indicator_code, reporter FROM changed) k
   WHERE l.region_code = k.region_code AND l.indicator_code = k.indicator_code AND l.reporter IS NOT DISTINCT FROM k.reporter$statement$ USING batch, at;
        EXECUTE $statement$INSERT INTO latest_observations (region_code, indicator_code, reporter, as_of, observation_id, as_of_precision, as_of_inferred, period_start, value, qualifier, value_printed, unit_printed, source_id, quote)
  SELECT o.region_code, o.indicator_code, o.reporter, o.as_of, o.id, o.as_of_precision, o.as_of_inferred, o.period_start, o.value, o.qualifier, o.value_printed, o.unit_printed, o.source_id, o.quote
    FROM (SELECT DISTINCT region_code, indicator_code, reporter FROM changed) k
    CROSS JOIN LATERAL (
      SELECT * FROM observations o
       WHERE o.region_code = k.region_code AND o.indicator_code = k.indicator_code AND o.reporter IS NOT DISTINCT FROM k.reporter
         AND o.retracted_at IS NULL
       ORDER BY o.as_of DESC LIMIT 1) o$statement$ USING batch, at;
        EXECUTE $statement$SELECT rank_latest(ARRAY(SELECT DISTINCT indicator_code FROM changed))$statement$ USING batch, at;
        RETURN NULL;
      END $_$;

CREATE FUNCTION public.record_updated_observations() RETURNS trigger
    LANGUAGE plpgsql
    SET random_page_cost TO '1.1'
    AS $_$
      DECLARE 
  batch bigint := nullif(current_setting('app.batch_id', true), '')::bigint;
  at timestamptz := coalesce(nullif(current_setting('app.batch_at', true), '')::timestamptz, clock_timestamp());
      BEGIN
        EXECUTE $statement$UPDATE observation_revisions r SET valid_to = $2 FROM changed n WHERE r.observation_id = n.id AND r.valid_to IS NULL$statement$ USING batch, at;
        EXECUTE $statement$WITH revision AS (
  INSERT INTO observation_revisions (observation_id, batch_id, valid_from, retracted, region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value, value_printed, unit_printed,
                          qualifier, reporter, program_id, source_id, quote, note, created_at)
  SELECT n.id, $1, $2, n.retracted_at IS NOT NULL, n.region_code, n.indicator_code, n.as_of, n.as_of_precision, n.as_of_inferred, n.period_start, n.value, n.value_printed, n.unit_printed, n.qualifier, n.reporter, n.program_id, n.source_id, n.quote, n.note, n.created_at FROM changed n ORDER BY n.id
  RETURNING id, observation_id, retracted)
        INSERT INTO observation_changes (observation_id, revision_id, kind, batch_id, changed_at)
        SELECT r.observation_id, r.id, CASE WHEN r.retracted AND p.retracted_at IS NULL THEN 'retract' ELSE 'update' END, $1, $2
          FROM revision r JOIN previous p ON p.id = r.observation_id
         ORDER BY r.id$statement$ USING batch, at;
        EXECUTE $statement$DELETE FROM latest_observations l
   USING (SELECT DISTINCT region_code, indicator_code, reporter FROM changed) k
   WHERE l.region_code = k.region_code AND l.indicator_code = k.indicator_code AND l.reporter IS NOT DISTINCT FROM k.reporter$statement$ USING batch, at;
        EXECUTE $statement$INSERT INTO latest_observations (region_code, indicator_code, reporter, as_of, observation_id, as_of_precision, as_of_inferred, period_start, value, qualifier, value_printed, unit_printed, source_id, quote)
  SELECT o.region_code, o.indicator_code, o.reporter, o.as_of, o.id, o.as_of_precision, o.as_of_inferred, o.period_start, o.value, o.qualifier, o.value_printed, o.unit_printed, o.source_id, o.quote
    FROM (SELECT DISTINCT region_code, indicator_code, reporter FROM changed) k
    CROSS JOIN LATERAL (
      SELECT * FROM observations o
       WHERE o.region_code = k.region_code AND o.indicator_code = k.indicator_code AND o.reporter IS NOT DISTINCT FROM k.reporter
         AND o.retracted_at IS NULL
       ORDER BY o.as_of DESC LIMIT 1) o$statement$ USING batch, at;
        EXECUTE $statement$SELECT rank_latest(ARRAY(SELECT DISTINCT indicator_code FROM changed))$statement$ USING batch, at;
        RETURN NULL;
      END $_$;

CREATE FUNCTION public.refuse_derived_observations() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
      DECLARE
        derived text;
      BEGIN
        EXECUTE $statement$SELECT i.code FROM changed n JOIN indicators i ON i.code = n.indicator_code WHERE i.kind = 'derived' LIMIT 1$statement$ INTO derived;
        IF derived IS NOT NULL THEN
          RAISE EXCEPTION 'indicator % is derived: its values are computed, not stored', derived USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $_$;

CREATE FUNCTION public.refuse_observation_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
      BEGIN
        RAISE EXCEPTION 'observations are never deleted; retract them instead' USING ERRCODE = 'restrict_violation';
      END $$;

CREATE TABLE public.api_keys (
    id integer NOT NULL,
    name text NOT NULL,
    prefix text NOT NULL,
    secret_hash text NOT NULL,
    scopes text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone
);

ALTER TABLE public.api_keys ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.api_keys_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.data_version (
    singleton boolean DEFAULT true NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT data_version_singleton_check CHECK (singleton)
);

CREATE TABLE public.indicator_comparisons (
    indicator_code text NOT NULL,
    comparable_code text NOT NULL,
    caveat_en text NOT NULL,
    caveat_zh text NOT NULL,
    CONSTRAINT indicator_comparisons_check CHECK ((indicator_code < comparable_code))
);

CREATE TABLE public.indicators (
    code text NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    topic text NOT NULL,
    unit text NOT NULL,
    measure_type text NOT NULL,
    definition_zh text NOT NULL,
    definition_en text NOT NULL,
    kind text DEFAULT 'measured'::text NOT NULL,
    numerator_code text,
    denominator_code text,
    CONSTRAINT indicators_code_check CHECK ((code ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'::text)),
    CONSTRAINT indicators_formula CHECK (((kind = 'derived'::text) = ((numerator_code IS NOT NULL) AND (denominator_code IS NOT NULL)))),
    CONSTRAINT indicators_kind_check CHECK ((kind = ANY (ARRAY['measured'::text, 'derived'::text]))),
    CONSTRAINT indicators_measure_type_check CHECK ((measure_type = ANY (ARRAY['cumulative'::text, 'balance'::text, 'count_at_date'::text, 'yoy_growth'::text, 'growth'::text, 'share'::text, 'limit'::text, 'rate'::text, 'rate_change'::text, 'flow'::text, 'duration'::text, 'ratio'::text, 'rank'::text]))),
    CONSTRAINT indicators_unit_check CHECK ((unit = ANY (ARRAY['CNY'::text, 'count'::text, 'percent'::text, 'percentage_points'::text, 'year'::text, 'rank'::text])))
);

CREATE TABLE public.latest_observations (
    region_code character varying(6) NOT NULL,
    indicator_code text NOT NULL,
    reporter text,
    as_of date NOT NULL,
    observation_id bigint NOT NULL,
    as_of_precision text NOT NULL,
    as_of_inferred boolean NOT NULL,
    period_start date,
    value numeric NOT NULL,
    qualifier text NOT NULL,
    value_printed text NOT NULL,
    unit_printed text NOT NULL,
    source_id text NOT NULL,
    quote text NOT NULL,
    region_level text,
    rank_desc integer,
    position_desc integer,
    rank_asc integer,
    position_asc integer
);

CREATE TABLE public.observation_changes (
    seq bigint NOT NULL,
    observation_id bigint NOT NULL,
    revision_id bigint NOT NULL,
    kind text NOT NULL,
    batch_id bigint,
    changed_at timestamp with time zone NOT NULL,
    CONSTRAINT observation_changes_kind_check CHECK ((kind = ANY (ARRAY['insert'::text, 'update'::text, 'retract'::text])))
);

ALTER TABLE public.observation_changes ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.observation_changes_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.observation_revisions (
    id bigint NOT NULL,
    observation_id bigint NOT NULL,
    batch_id bigint,
    valid_from timestamp with time zone NOT NULL,
    valid_to timestamp with time zone,
    retracted boolean NOT NULL,
    region_code character varying(6) NOT NULL,
    indicator_code text NOT NULL,
    as_of date NOT NULL,
    as_of_precision text NOT NULL,
    as_of_inferred boolean NOT NULL,
    period_start date,
    value numeric NOT NULL,
    value_printed text NOT NULL,
    unit_printed text NOT NULL,
    qualifier text NOT NULL,
    reporter text,
    program_id text,
    source_id text NOT NULL,
    quote text NOT NULL,
    note text,
    created_at timestamp with time zone NOT NULL
);

ALTER TABLE public.observation_revisions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.observation_revisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.observations (
    id bigint NOT NULL,
    region_code character varying(6) NOT NULL,
    indicator_code text NOT NULL,
    as_of date NOT NULL,
    as_of_precision text NOT NULL,
    as_of_inferred boolean NOT NULL,
    period_start date,
    value numeric NOT NULL,
    value_printed text NOT NULL,
    unit_printed text NOT NULL,
    qualifier text NOT NULL,
    reporter text,
    program_id text,
    source_id text NOT NULL,
    quote text NOT NULL,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    retracted_at timestamp with time zone,
    CONSTRAINT observations_as_of_precision_check CHECK ((as_of_precision = ANY (ARRAY['day'::text, 'month'::text, 'quarter'::text, 'year'::text, 'period'::text]))),
    CONSTRAINT observations_check CHECK (((period_start IS NULL) OR (period_start <= as_of))),
    CONSTRAINT observations_qualifier_check CHECK ((qualifier = ANY (ARRAY['exact'::text, 'about'::text, 'nearly'::text, 'more_than'::text, 'at_least'::text, 'up_to'::text])))
);

ALTER TABLE public.observations ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.observations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.pilot_zone_distinctions (
    id integer NOT NULL,
    region_code character varying(6) NOT NULL,
    text_zh text NOT NULL,
    text_en text NOT NULL,
    source_id text NOT NULL,
    quote text NOT NULL
);

ALTER TABLE public.pilot_zone_distinctions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.pilot_zone_distinctions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.pilot_zones (
    region_code character varying(6) NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    approval_year integer NOT NULL,
    batch integer NOT NULL,
    plan_document text,
    source_id text NOT NULL,
    quote text NOT NULL,
    note text,
    CONSTRAINT pilot_zones_approval_year_check CHECK (((approval_year >= 2000) AND (approval_year <= 2100))),
    CONSTRAINT pilot_zones_batch_check CHECK ((batch > 0))
);

CREATE TABLE public.programs (
    id text NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    region_code character varying(6) NOT NULL,
    kind text NOT NULL,
    operator text,
    launched_on date,
    launch_precision text,
    description_zh text NOT NULL,
    description_en text NOT NULL,
    source_id text NOT NULL,
    quote text NOT NULL,
    CONSTRAINT programs_check CHECK (((launched_on IS NULL) = (launch_precision IS NULL))),
    CONSTRAINT programs_id_check CHECK ((id ~ '^[a-z0-9][a-z0-9-]*$'::text)),
    CONSTRAINT programs_kind_check CHECK ((kind = ANY (ARRAY['loan_product'::text, 'platform'::text, 'policy_tool'::text, 'mechanism'::text, 'institution'::text]))),
    CONSTRAINT programs_launch_precision_check CHECK ((launch_precision = ANY (ARRAY['day'::text, 'month'::text, 'quarter'::text, 'year'::text])))
);

CREATE VIEW public.published_observations AS
 SELECT observations.id,
    observations.region_code,
    observations.indicator_code,
    observations.as_of,
    observations.as_of_precision,
    observations.as_of_inferred,
    observations.period_start,
    observations.value,
    observations.value_printed,
    observations.unit_printed,
    observations.qualifier,
    observations.reporter,
    observations.program_id,
    observations.source_id,
    observations.quote,
    observations.note,
    observations.created_at,
    observations.updated_at,
    observations.retracted_at
   FROM public.observations
  WHERE (observations.retracted_at IS NULL);

CREATE TABLE public.regions (
    code character varying(6) NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    level text NOT NULL,
    parent_code character varying(6),
    CONSTRAINT regions_check CHECK (((level = 'nation'::text) = (parent_code IS NULL))),
    CONSTRAINT regions_code_check CHECK ((((code)::text = 'CN'::text) OR ((code)::text ~ '^[1-9][0-9]{5}$'::text))),
    CONSTRAINT regions_level_check CHECK ((level = ANY (ARRAY['nation'::text, 'province'::text, 'city'::text, 'district'::text])))
);

CREATE TABLE public.sources (
    id text NOT NULL,
    file_name text NOT NULL,
    headline text NOT NULL,
    publisher text NOT NULL,
    published_on date NOT NULL,
    published_precision text NOT NULL,
    published_inferred boolean NOT NULL,
    note text,
    CONSTRAINT sources_id_check CHECK ((id ~ '^[a-z0-9][a-z0-9_-]*$'::text)),
    CONSTRAINT sources_published_precision_check CHECK ((published_precision = ANY (ARRAY['day'::text, 'month'::text, 'quarter'::text, 'year'::text])))
);

CREATE TABLE public.sync_batches (
    id bigint NOT NULL,
    origin text NOT NULL,
    api_key_name text,
    source_name text,
    status text NOT NULL,
    dry_run boolean DEFAULT false NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    row_count integer DEFAULT 0 NOT NULL,
    counts jsonb,
    error text,
    idempotency_key text,
    request_hash text,
    response_status integer,
    response_body json,
    CONSTRAINT sync_batches_origin_check CHECK ((origin = ANY (ARRAY['api'::text, 'schedule'::text, 'cli'::text, 'seed'::text]))),
    CONSTRAINT sync_batches_status_check CHECK ((status = ANY (ARRAY['running'::text, 'applied'::text, 'dry_run'::text, 'rejected'::text, 'failed'::text, 'interrupted'::text])))
);

ALTER TABLE public.sync_batches ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.sync_batches_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.sync_pulls (
    slot timestamp with time zone NOT NULL,
    batch_id bigint,
    claimed_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.topics (
    code text NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    CONSTRAINT topics_code_check CHECK ((code ~ '^[a-z][a-z0-9_]*$'::text))
);

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_prefix_key UNIQUE (prefix);

ALTER TABLE ONLY public.data_version
    ADD CONSTRAINT data_version_pkey PRIMARY KEY (singleton);

ALTER TABLE ONLY public.indicator_comparisons
    ADD CONSTRAINT indicator_comparisons_pkey PRIMARY KEY (indicator_code, comparable_code);

ALTER TABLE ONLY public.indicators
    ADD CONSTRAINT indicators_pkey PRIMARY KEY (code);

ALTER TABLE ONLY public.latest_observations
    ADD CONSTRAINT latest_observations_series UNIQUE NULLS NOT DISTINCT (region_code, indicator_code, reporter);

ALTER TABLE ONLY public.observation_changes
    ADD CONSTRAINT observation_changes_pkey PRIMARY KEY (seq);

ALTER TABLE ONLY public.observation_revisions
    ADD CONSTRAINT observation_revisions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.observations
    ADD CONSTRAINT observations_natural_key UNIQUE NULLS NOT DISTINCT (region_code, indicator_code, as_of, reporter);

ALTER TABLE ONLY public.observations
    ADD CONSTRAINT observations_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.pilot_zone_distinctions
    ADD CONSTRAINT pilot_zone_distinctions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.pilot_zone_distinctions
    ADD CONSTRAINT pilot_zone_distinctions_region_code_text_en_key UNIQUE (region_code, text_en);

ALTER TABLE ONLY public.pilot_zones
    ADD CONSTRAINT pilot_zones_pkey PRIMARY KEY (region_code);

ALTER TABLE ONLY public.programs
    ADD CONSTRAINT programs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.regions
    ADD CONSTRAINT regions_pkey PRIMARY KEY (code);

ALTER TABLE ONLY public.sources
    ADD CONSTRAINT sources_file_name_key UNIQUE (file_name);

ALTER TABLE ONLY public.sources
    ADD CONSTRAINT sources_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sync_batches
    ADD CONSTRAINT sync_batches_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sync_pulls
    ADD CONSTRAINT sync_pulls_pkey PRIMARY KEY (slot);

ALTER TABLE ONLY public.topics
    ADD CONSTRAINT topics_pkey PRIMARY KEY (code);

CREATE UNIQUE INDEX api_keys_active_name_idx ON public.api_keys USING btree (name) WHERE (revoked_at IS NULL);

CREATE INDEX indicator_comparisons_comparable_idx ON public.indicator_comparisons USING btree (comparable_code);

CREATE INDEX indicators_topic_idx ON public.indicators USING btree (topic);

CREATE INDEX latest_observations_indicator_idx ON public.latest_observations USING btree (indicator_code, region_code);

CREATE INDEX latest_observations_level_asc_idx ON public.latest_observations USING btree (indicator_code, region_level, position_asc) WHERE (reporter IS NULL);

CREATE INDEX latest_observations_level_desc_idx ON public.latest_observations USING btree (indicator_code, region_level, position_desc) INCLUDE (as_of, qualifier, as_of_inferred, region_code, position_asc) WHERE (reporter IS NULL);

CREATE INDEX latest_observations_ranking_idx ON public.latest_observations USING btree (indicator_code, region_code) INCLUDE (observation_id, as_of, as_of_precision, as_of_inferred, period_start, value, qualifier) WHERE (reporter IS NULL);

CREATE INDEX observation_revisions_observation_idx ON public.observation_revisions USING btree (observation_id, valid_from);

CREATE UNIQUE INDEX observation_revisions_open_idx ON public.observation_revisions USING btree (observation_id) WHERE (valid_to IS NULL);

CREATE INDEX observation_revisions_validity_idx ON public.observation_revisions USING btree (valid_from, valid_to);

CREATE INDEX observations_indicator_as_of_idx ON public.observations USING btree (indicator_code, as_of DESC);

CREATE INDEX observations_listing_idx ON public.observations USING btree (region_code, indicator_code, as_of DESC, id) WHERE (retracted_at IS NULL);

CREATE INDEX observations_program_idx ON public.observations USING btree (program_id) WHERE (program_id IS NOT NULL);

CREATE INDEX observations_source_idx ON public.observations USING btree (source_id);

CREATE INDEX programs_region_idx ON public.programs USING btree (region_code);

CREATE INDEX regions_parent_idx ON public.regions USING btree (parent_code);

CREATE UNIQUE INDEX sync_batches_idempotency_idx ON public.sync_batches USING btree (api_key_name, idempotency_key) WHERE ((idempotency_key IS NOT NULL) AND (status <> 'interrupted'::text));

CREATE TRIGGER indicator_comparisons_data_version_delete AFTER DELETE ON public.indicator_comparisons REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER indicator_comparisons_data_version_insert AFTER INSERT ON public.indicator_comparisons REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER indicator_comparisons_data_version_update AFTER UPDATE ON public.indicator_comparisons REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER indicators_data_version_delete AFTER DELETE ON public.indicators REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER indicators_data_version_insert AFTER INSERT ON public.indicators REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER indicators_data_version_update AFTER UPDATE ON public.indicators REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER observations_data_version_delete AFTER DELETE ON public.observations REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER observations_data_version_insert AFTER INSERT ON public.observations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER observations_data_version_update AFTER UPDATE ON public.observations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER observations_history_insert AFTER INSERT ON public.observations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.record_inserted_observations();

CREATE TRIGGER observations_history_update AFTER UPDATE ON public.observations REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.record_updated_observations();

CREATE TRIGGER observations_measured_only_insert AFTER INSERT ON public.observations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_derived_observations();

CREATE TRIGGER observations_measured_only_update AFTER UPDATE ON public.observations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_derived_observations();

CREATE TRIGGER observations_no_delete BEFORE DELETE ON public.observations FOR EACH ROW EXECUTE FUNCTION public.refuse_observation_delete();

CREATE TRIGGER pilot_zone_distinctions_data_version_delete AFTER DELETE ON public.pilot_zone_distinctions REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER pilot_zone_distinctions_data_version_insert AFTER INSERT ON public.pilot_zone_distinctions REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER pilot_zone_distinctions_data_version_update AFTER UPDATE ON public.pilot_zone_distinctions REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER pilot_zones_data_version_delete AFTER DELETE ON public.pilot_zones REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER pilot_zones_data_version_insert AFTER INSERT ON public.pilot_zones REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER pilot_zones_data_version_update AFTER UPDATE ON public.pilot_zones REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER programs_data_version_delete AFTER DELETE ON public.programs REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER programs_data_version_insert AFTER INSERT ON public.programs REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER programs_data_version_update AFTER UPDATE ON public.programs REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER regions_data_version_delete AFTER DELETE ON public.regions REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER regions_data_version_insert AFTER INSERT ON public.regions REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER regions_data_version_update AFTER UPDATE ON public.regions REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER regions_rank_latest AFTER UPDATE ON public.regions REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.rank_latest_of_regions();

CREATE TRIGGER sources_data_version_delete AFTER DELETE ON public.sources REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER sources_data_version_insert AFTER INSERT ON public.sources REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER sources_data_version_update AFTER UPDATE ON public.sources REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER topics_data_version_delete AFTER DELETE ON public.topics REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER topics_data_version_insert AFTER INSERT ON public.topics REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

CREATE TRIGGER topics_data_version_update AFTER UPDATE ON public.topics REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.bump_data_version_on_change();

ALTER TABLE ONLY public.indicator_comparisons
    ADD CONSTRAINT indicator_comparisons_comparable_code_fkey FOREIGN KEY (comparable_code) REFERENCES public.indicators(code);

ALTER TABLE ONLY public.indicator_comparisons
    ADD CONSTRAINT indicator_comparisons_indicator_code_fkey FOREIGN KEY (indicator_code) REFERENCES public.indicators(code);

ALTER TABLE ONLY public.indicators
    ADD CONSTRAINT indicators_denominator_code_fkey FOREIGN KEY (denominator_code) REFERENCES public.indicators(code);

ALTER TABLE ONLY public.indicators
    ADD CONSTRAINT indicators_numerator_code_fkey FOREIGN KEY (numerator_code) REFERENCES public.indicators(code);

ALTER TABLE ONLY public.indicators
    ADD CONSTRAINT indicators_topic_fkey FOREIGN KEY (topic) REFERENCES public.topics(code);

ALTER TABLE ONLY public.observations
    ADD CONSTRAINT observations_indicator_code_fkey FOREIGN KEY (indicator_code) REFERENCES public.indicators(code);

ALTER TABLE ONLY public.observations
    ADD CONSTRAINT observations_program_id_fkey FOREIGN KEY (program_id) REFERENCES public.programs(id);

ALTER TABLE ONLY public.observations
    ADD CONSTRAINT observations_region_code_fkey FOREIGN KEY (region_code) REFERENCES public.regions(code);

ALTER TABLE ONLY public.observations
    ADD CONSTRAINT observations_source_id_fkey FOREIGN KEY (source_id) REFERENCES public.sources(id);

ALTER TABLE ONLY public.pilot_zone_distinctions
    ADD CONSTRAINT pilot_zone_distinctions_region_code_fkey FOREIGN KEY (region_code) REFERENCES public.pilot_zones(region_code);

ALTER TABLE ONLY public.pilot_zone_distinctions
    ADD CONSTRAINT pilot_zone_distinctions_source_id_fkey FOREIGN KEY (source_id) REFERENCES public.sources(id);

ALTER TABLE ONLY public.pilot_zones
    ADD CONSTRAINT pilot_zones_region_code_fkey FOREIGN KEY (region_code) REFERENCES public.regions(code);

ALTER TABLE ONLY public.pilot_zones
    ADD CONSTRAINT pilot_zones_source_id_fkey FOREIGN KEY (source_id) REFERENCES public.sources(id);

ALTER TABLE ONLY public.programs
    ADD CONSTRAINT programs_region_code_fkey FOREIGN KEY (region_code) REFERENCES public.regions(code);

ALTER TABLE ONLY public.programs
    ADD CONSTRAINT programs_source_id_fkey FOREIGN KEY (source_id) REFERENCES public.sources(id);

ALTER TABLE ONLY public.regions
    ADD CONSTRAINT regions_parent_code_fkey FOREIGN KEY (parent_code) REFERENCES public.regions(code);

ALTER TABLE ONLY public.sync_pulls
    ADD CONSTRAINT sync_pulls_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.sync_batches(id);
