/**
 * The full record of a figure, as /v1/observations and a program's figures serve it, read from any
 * relation with the columns of published_observations (aliased o): the published figures, the
 * figures as they stood at a moment (observationsAt), or a listing's chosen rows.
 */
export function observationRecords(relation: string): string {
  return `
  SELECT o.id,
         json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level) AS region,
         json_build_object('code', i.code, 'nameZh', i.name_zh, 'nameEn', i.name_en, 'topic', i.topic,
                           'unit', i.unit, 'measureType', i.measure_type) AS indicator,
         o.as_of AS "asOf", o.as_of_precision AS "asOfPrecision", o.as_of_inferred AS "asOfInferred",
         o.period_start AS "periodStart", o.value, i.unit,
         o.value_printed AS "valuePrinted", o.unit_printed AS "unitPrinted", o.qualifier,
         CASE WHEN o.reporter IS NULL THEN 'region' WHEN o.program_id IS NOT NULL THEN 'program' ELSE 'institution' END AS scope,
         o.reporter,
         CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object('id', p.id, 'nameZh', p.name_zh, 'nameEn', p.name_en) END AS program,
         json_build_object('id', s.id, 'fileName', s.file_name, 'publisher', s.publisher,
                           'publishedOn', s.published_on, 'publishedInferred', s.published_inferred) AS source,
         o.quote, o.note, o.created_at AS "createdAt", o.updated_at AS "updatedAt"
    FROM ${relation} o
    JOIN regions r ON r.code = o.region_code
    JOIN indicators i ON i.code = o.indicator_code
    JOIN sources s ON s.id = o.source_id
    LEFT JOIN programs p ON p.id = o.program_id`;
}

/**
 * The observations as they stood at a moment (the SQL parameter named), from the revision history:
 * the same columns as published_observations, so every read can be asked about the past.
 */
export function observationsAt(param: string): string {
  return `(SELECT r.observation_id AS id, r.region_code, r.indicator_code, r.as_of, r.as_of_precision, r.as_of_inferred, r.period_start,
                  r.value, r.value_printed, r.unit_printed, r.qualifier, r.reporter, r.program_id, r.source_id, r.quote, r.note,
                  r.created_at, r.valid_from AS updated_at, NULL::timestamptz AS retracted_at
             FROM observation_revisions r
            WHERE r.valid_from <= ${param}::timestamptz AND (r.valid_to IS NULL OR r.valid_to > ${param}::timestamptz) AND NOT r.retracted)`;
}
