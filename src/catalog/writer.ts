import type { EntityManager } from 'typeorm';
import type { Catalog, WriteCounts } from './schema.js';

type Counts = Record<keyof Catalog, WriteCounts>;

/**
 * Upserts rows through unnest() arrays: one statement per table whatever the row count (no bind
 * parameter limit), rows whose values are unchanged are not touched (updated_at keeps its value),
 * and `xmax = 0` tells inserted rows from updated ones.
 */
async function upsert(manager: EntityManager, sql: string, columns: unknown[][], total: number): Promise<WriteCounts> {
  if (total === 0) return { created: 0, updated: 0, unchanged: 0 };
  const rows = await manager.query<{ inserted: boolean }[]>(sql, columns);
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created, unchanged: total - rows.length };
}

const pick = <T, K extends keyof T>(rows: T[], key: K, fallback: unknown = null) => rows.map((row) => row[key] ?? fallback);

/** Writes a catalog in one transaction; callers pass a transactional manager. */
export async function writeCatalog(manager: EntityManager, catalog: Catalog): Promise<Counts> {
  const counts = {} as Counts;

  counts.topics = await upsert(
    manager,
    `INSERT INTO topics (code, name_zh, name_en)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en
       WHERE (topics.name_zh, topics.name_en) IS DISTINCT FROM (excluded.name_zh, excluded.name_en)
     RETURNING (xmax = 0) AS inserted`,
    [pick(catalog.topics, 'code'), pick(catalog.topics, 'nameZh'), pick(catalog.topics, 'nameEn')],
    catalog.topics.length,
  );

  counts.regions = await upsert(
    manager,
    `INSERT INTO regions (code, name_zh, name_en, level, parent_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, level = excluded.level, parent_code = excluded.parent_code
       WHERE (regions.name_zh, regions.name_en, regions.level, regions.parent_code)
             IS DISTINCT FROM (excluded.name_zh, excluded.name_en, excluded.level, excluded.parent_code)
     RETURNING (xmax = 0) AS inserted`,
    [pick(catalog.regions, 'code'), pick(catalog.regions, 'nameZh'), pick(catalog.regions, 'nameEn'), pick(catalog.regions, 'level'), pick(catalog.regions, 'parentCode')],
    catalog.regions.length,
  );

  const s = catalog.sources;
  counts.sources = await upsert(
    manager,
    `INSERT INTO sources (id, file_name, headline, publisher, published_on, published_precision, published_inferred, note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::boolean[], $8::text[])
     ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, headline = excluded.headline, publisher = excluded.publisher,
       published_on = excluded.published_on, published_precision = excluded.published_precision,
       published_inferred = excluded.published_inferred, note = excluded.note
       WHERE (sources.file_name, sources.headline, sources.publisher, sources.published_on, sources.published_precision, sources.published_inferred, sources.note)
             IS DISTINCT FROM (excluded.file_name, excluded.headline, excluded.publisher, excluded.published_on, excluded.published_precision, excluded.published_inferred, excluded.note)
     RETURNING (xmax = 0) AS inserted`,
    [
      pick(s, 'id'),
      pick(s, 'fileName'),
      pick(s, 'headline'),
      pick(s, 'publisher'),
      pick(s, 'publishedOn'),
      pick(s, 'publishedPrecision'),
      pick(s, 'publishedInferred'),
      pick(s, 'note'),
    ],
    s.length,
  );

  const i = catalog.indicators;
  counts.indicators = await upsert(
    manager,
    `INSERT INTO indicators (code, name_zh, name_en, topic, unit, measure_type, definition_zh, definition_en, kind, numerator_code, denominator_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
     ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, topic = excluded.topic, unit = excluded.unit,
       measure_type = excluded.measure_type, definition_zh = excluded.definition_zh, definition_en = excluded.definition_en,
       kind = excluded.kind, numerator_code = excluded.numerator_code, denominator_code = excluded.denominator_code
       WHERE (indicators.name_zh, indicators.name_en, indicators.topic, indicators.unit, indicators.measure_type, indicators.definition_zh, indicators.definition_en,
              indicators.kind, indicators.numerator_code, indicators.denominator_code)
             IS DISTINCT FROM (excluded.name_zh, excluded.name_en, excluded.topic, excluded.unit, excluded.measure_type, excluded.definition_zh, excluded.definition_en,
              excluded.kind, excluded.numerator_code, excluded.denominator_code)
     RETURNING (xmax = 0) AS inserted`,
    [
      ...[pick(i, 'code'), pick(i, 'nameZh'), pick(i, 'nameEn'), pick(i, 'topic'), pick(i, 'unit'), pick(i, 'measureType'), pick(i, 'definitionZh'), pick(i, 'definitionEn')],
      i.map((row) => (row.derivedFrom ? 'derived' : 'measured')),
      i.map((row) => row.derivedFrom?.numerator ?? null),
      i.map((row) => row.derivedFrom?.denominator ?? null),
    ],
    i.length,
  );

  const links = i.flatMap((indicator) =>
    (indicator.comparableWith ?? []).map((link) => {
      const [a, b] = [indicator.code, link.code].sort();
      return { a, b, caveatEn: link.caveatEn, caveatZh: link.caveatZh };
    }),
  );
  const uniqueLinks = [...new Map(links.map((link) => [`${link.a}|${link.b}`, link])).values()];
  await upsert(
    manager,
    `INSERT INTO indicator_comparisons (indicator_code, comparable_code, caveat_en, caveat_zh)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (indicator_code, comparable_code) DO UPDATE SET caveat_en = excluded.caveat_en, caveat_zh = excluded.caveat_zh
       WHERE (indicator_comparisons.caveat_en, indicator_comparisons.caveat_zh) IS DISTINCT FROM (excluded.caveat_en, excluded.caveat_zh)
     RETURNING (xmax = 0) AS inserted`,
    [pick(uniqueLinks, 'a'), pick(uniqueLinks, 'b'), pick(uniqueLinks, 'caveatEn'), pick(uniqueLinks, 'caveatZh')],
    uniqueLinks.length,
  );

  const p = catalog.programs;
  counts.programs = await upsert(
    manager,
    `INSERT INTO programs (id, name_zh, name_en, region_code, kind, operator, launched_on, launch_precision, description_zh, description_en, source_id, quote)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
     ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, region_code = excluded.region_code, kind = excluded.kind,
       operator = excluded.operator, launched_on = excluded.launched_on, launch_precision = excluded.launch_precision,
       description_zh = excluded.description_zh, description_en = excluded.description_en, source_id = excluded.source_id, quote = excluded.quote
       WHERE (programs.name_zh, programs.name_en, programs.region_code, programs.kind, programs.operator, programs.launched_on, programs.launch_precision,
              programs.description_zh, programs.description_en, programs.source_id, programs.quote)
             IS DISTINCT FROM (excluded.name_zh, excluded.name_en, excluded.region_code, excluded.kind, excluded.operator, excluded.launched_on, excluded.launch_precision,
              excluded.description_zh, excluded.description_en, excluded.source_id, excluded.quote)
     RETURNING (xmax = 0) AS inserted`,
    [
      pick(p, 'id'),
      pick(p, 'nameZh'),
      pick(p, 'nameEn'),
      pick(p, 'region'),
      pick(p, 'kind'),
      pick(p, 'operator'),
      pick(p, 'launchedOn'),
      pick(p, 'launchPrecision'),
      pick(p, 'descriptionZh'),
      pick(p, 'descriptionEn'),
      pick(p, 'source'),
      pick(p, 'quote'),
    ],
    p.length,
  );

  const z = catalog.pilotZones;
  counts.pilotZones = await upsert(
    manager,
    `INSERT INTO pilot_zones (region_code, name_zh, name_en, approval_year, batch, plan_document, source_id, quote, note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
     ON CONFLICT (region_code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, approval_year = excluded.approval_year,
       batch = excluded.batch, plan_document = excluded.plan_document, source_id = excluded.source_id, quote = excluded.quote, note = excluded.note
       WHERE (pilot_zones.name_zh, pilot_zones.name_en, pilot_zones.approval_year, pilot_zones.batch, pilot_zones.plan_document, pilot_zones.source_id, pilot_zones.quote, pilot_zones.note)
             IS DISTINCT FROM (excluded.name_zh, excluded.name_en, excluded.approval_year, excluded.batch, excluded.plan_document, excluded.source_id, excluded.quote, excluded.note)
     RETURNING (xmax = 0) AS inserted`,
    [
      pick(z, 'region'),
      pick(z, 'nameZh'),
      pick(z, 'nameEn'),
      pick(z, 'approvalYear'),
      pick(z, 'batch'),
      pick(z, 'planDocument'),
      pick(z, 'source'),
      pick(z, 'quote'),
      pick(z, 'note'),
    ],
    z.length,
  );
  const d = z.flatMap((zone) => zone.distinctions.map((distinction) => ({ region: zone.region, ...distinction })));
  await upsert(
    manager,
    `INSERT INTO pilot_zone_distinctions (region_code, text_zh, text_en, source_id, quote)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (region_code, text_en) DO UPDATE SET text_zh = excluded.text_zh, source_id = excluded.source_id, quote = excluded.quote
       WHERE (pilot_zone_distinctions.text_zh, pilot_zone_distinctions.source_id, pilot_zone_distinctions.quote)
             IS DISTINCT FROM (excluded.text_zh, excluded.source_id, excluded.quote)
     RETURNING (xmax = 0) AS inserted`,
    [pick(d, 'region'), pick(d, 'textZh'), pick(d, 'textEn'), pick(d, 'source'), pick(d, 'quote')],
    d.length,
  );

  const o = catalog.observations;
  counts.observations = await upsert(
    manager,
    `INSERT INTO observations (region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value, value_printed,
                               unit_printed, qualifier, reporter, program_id, source_id, quote, note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::boolean[], $6::date[], $7::numeric[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
     ON CONFLICT ON CONSTRAINT observations_natural_key DO UPDATE SET
       as_of_precision = excluded.as_of_precision, as_of_inferred = excluded.as_of_inferred, period_start = excluded.period_start,
       value = excluded.value, value_printed = excluded.value_printed, unit_printed = excluded.unit_printed, qualifier = excluded.qualifier,
       program_id = excluded.program_id, source_id = excluded.source_id, quote = excluded.quote, note = excluded.note, updated_at = now(),
       retracted_at = NULL
       WHERE (observations.as_of_precision, observations.as_of_inferred, observations.period_start, observations.value, observations.value_printed,
              observations.unit_printed, observations.qualifier, observations.program_id, observations.source_id, observations.quote, observations.note,
              observations.retracted_at IS NOT NULL)
             IS DISTINCT FROM (excluded.as_of_precision, excluded.as_of_inferred, excluded.period_start, excluded.value, excluded.value_printed,
              excluded.unit_printed, excluded.qualifier, excluded.program_id, excluded.source_id, excluded.quote, excluded.note, false)
     RETURNING (xmax = 0) AS inserted`,
    [
      pick(o, 'region'),
      pick(o, 'indicator'),
      pick(o, 'asOf'),
      pick(o, 'asOfPrecision'),
      pick(o, 'asOfInferred'),
      pick(o, 'periodStart'),
      o.map((row) => String(row.value)),
      pick(o, 'valuePrinted'),
      pick(o, 'unitPrinted'),
      pick(o, 'qualifier'),
      pick(o, 'reporter'),
      pick(o, 'program'),
      pick(o, 'source'),
      pick(o, 'quote'),
      pick(o, 'note'),
    ],
    o.length,
  );
  return counts;
}
