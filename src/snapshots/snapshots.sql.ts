import { observationsAt } from '../figures/observation-records.js';
import type { Batch } from '../catalog/schema.js';

/**
 * Each snapshot file's rows, under the names of its row shape. Ordered by key in byte order (COLLATE
 * "C"), so a file is the same bytes on any server whatever its collation. Observations are those
 * published at `$1`; the catalog is as it stands (it keeps no history).
 */
export const SNAPSHOT_ROWS: Record<keyof Batch, string> = {
  topics: `SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM topics ORDER BY code COLLATE "C"`,
  regions: `SELECT code, name_en AS "nameEn", name_zh AS "nameZh", level, parent_code AS "parentCode" FROM regions ORDER BY code COLLATE "C"`,
  sources: `SELECT id, file_name AS "fileName", headline, publisher, published_on AS "publishedOn", published_precision AS "publishedPrecision",
                   published_inferred AS "publishedInferred", note
              FROM sources ORDER BY id COLLATE "C"`,
  // A comparability link is stored once, under the lesser code; a load stores it so again.
  indicators: `SELECT i.code, i.name_zh AS "nameZh", i.name_en AS "nameEn", i.topic, i.unit, i.measure_type AS "measureType",
                      i.definition_zh AS "definitionZh", i.definition_en AS "definitionEn",
                      (SELECT json_agg(json_build_object('code', c.comparable_code, 'caveatEn', c.caveat_en, 'caveatZh', c.caveat_zh) ORDER BY c.comparable_code COLLATE "C")
                         FROM indicator_comparisons c WHERE c.indicator_code = i.code) AS "comparableWith",
                      CASE WHEN i.kind = 'derived' THEN json_build_object('numerator', i.numerator_code, 'denominator', i.denominator_code) END AS "derivedFrom"
                 FROM indicators i ORDER BY i.code COLLATE "C"`,
  programs: `SELECT id, name_zh AS "nameZh", name_en AS "nameEn", region_code AS region, kind, operator, launched_on AS "launchedOn",
                    launch_precision AS "launchPrecision", description_zh AS "descriptionZh", description_en AS "descriptionEn",
                    source_id AS source, quote
               FROM programs ORDER BY id COLLATE "C"`,
  observations: `SELECT o.region_code AS region, o.indicator_code AS indicator, o.as_of AS "asOf", o.reporter, o.as_of_precision AS "asOfPrecision",
                        o.as_of_inferred AS "asOfInferred", o.period_start AS "periodStart", o.value, o.value_printed AS "valuePrinted",
                        o.unit_printed AS "unitPrinted", o.qualifier, o.program_id AS program, o.source_id AS source, o.quote, o.note
                   FROM ${observationsAt('$1')} o
                  ORDER BY o.region_code COLLATE "C", o.indicator_code COLLATE "C", o.as_of, o.reporter COLLATE "C" NULLS FIRST`,
};

/** The days (in China) on which batches were applied, newest first; `$1` is the hours China is ahead of UTC. */
export const SNAPSHOT_DAYS = `
  SELECT to_char(((finished_at AT TIME ZONE 'UTC') + make_interval(hours => $1))::date, 'YYYY-MM-DD') AS date, max(finished_at) AS "lastWritten"
    FROM sync_batches WHERE status = 'applied' AND NOT dry_run
   GROUP BY 1 ORDER BY 1 DESC`;
