/** The statements of the read model of figures (FiguresRepository runs them; the benchmark's same-SQL baseline runs them too). */

/** The cell form of a figure (aliases: o the figure, i its indicator, s its source). */
const CELL_OBSERVATION_JSON = `json_build_object(
  'id', o.id, 'value', o.value, 'unit', i.unit, 'valuePrinted', o.value_printed, 'unitPrinted', o.unit_printed,
  'qualifier', o.qualifier, 'asOf', o.as_of, 'asOfPrecision', o.as_of_precision, 'asOfInferred', o.as_of_inferred,
  'periodStart', o.period_start, 'source', json_build_object('id', s.id, 'fileName', s.file_name), 'quote', o.quote)`;

const FIGURE_COLUMNS = `o.id, o.region_code AS "regionCode", o.indicator_code AS "indicatorCode", o.as_of AS "asOf",
       o.as_of_precision AS "asOfPrecision", o.as_of_inferred AS "asOfInferred", o.period_start AS "periodStart",
       o.value, o.qualifier, o.reporter, ${CELL_OBSERVATION_JSON} AS observation`;

/** The newest figure of each series of the regions ($1) and indicators ($2), from the newest-figure table (citations included). */
export const NEWEST_SQL = `
  SELECT ${FIGURE_COLUMNS}
    FROM (SELECT observation_id AS id, region_code, indicator_code, reporter, as_of, as_of_precision, as_of_inferred,
                 period_start, value, value_printed, unit_printed, qualifier, source_id, quote
            FROM latest_observations WHERE region_code = ANY ($1) AND indicator_code = ANY ($2)) o
    JOIN indicators i ON i.code = o.indicator_code
    JOIN sources s ON s.id = o.source_id`;

/** The newest figure of every series of one region ($1), its banks' and programmes' own figures included. */
export const REGION_NEWEST_SQL = `
  SELECT ${FIGURE_COLUMNS}
    FROM (SELECT observation_id AS id, region_code, indicator_code, reporter, as_of, as_of_precision, as_of_inferred,
                 period_start, value, value_printed, unit_printed, qualifier, source_id, quote
            FROM latest_observations WHERE region_code = $1) o
    JOIN indicators i ON i.code = o.indicator_code
    JOIN sources s ON s.id = o.source_id
   ORDER BY o.indicator_code, o.reporter`;

/** Every published regional total of the regions ($1) and indicators ($2, or all when null), oldest first. */
export const HISTORY_SQL = `
  SELECT ${FIGURE_COLUMNS}
    FROM published_observations o
    JOIN indicators i ON i.code = o.indicator_code
    JOIN sources s ON s.id = o.source_id
   WHERE o.region_code = ANY ($1) AND ($2::text[] IS NULL OR o.indicator_code = ANY ($2)) AND o.reporter IS NULL
   ORDER BY o.as_of`;

/** Which regions a ranking covers: the children of a parent, the members of a set, of one level (without one, every level but the nation); parameters $n to $n+2. */
const rankedRegion = (n: number) => `($${n}::text IS NULL OR r.parent_code = $${n}) AND ($${n + 1}::text[] IS NULL OR r.code = ANY ($${n + 1}))
                      AND (r.level = $${n + 2} OR ($${n + 2}::text IS NULL AND r.level <> 'nation'))`;

/** The newest regional totals of the indicator $1 as cells (aliased o) of a ranking's statement. */
const NEWEST_OF_INDICATOR = `(SELECT observation_id AS id, region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value,
                                   value_printed, unit_printed, qualifier, source_id, quote
                              FROM latest_observations WHERE indicator_code = $1 AND reporter IS NULL)`;

/** A ranking's entry: `ranked` is the row with its rank, r its region, o, i and s as in CELL_OBSERVATION_JSON. */
const RANKED_ENTRY_JSON = (ranked: string) => `json_build_object('rank', ${ranked}.rank,
  'region', json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level), 'observation', ${CELL_OBSERVATION_JSON})`;

/** A ranked figure a warning is about (alias f, with the columns of NEWEST_OF_INDICATOR). */
const FLAGGED_FIGURE_JSON = `json_build_object('id', f.id, 'regionCode', f.region_code, 'indicatorCode', $1::text, 'asOf', f.as_of, 'asOfPrecision', f.as_of_precision,
  'asOfInferred', f.as_of_inferred, 'periodStart', f.period_start, 'value', f.value, 'qualifier', f.qualifier)`;

/** The cited figure of the region `first` selects (one row, its region_code): the one a ranking's baseline is read against. */
const BASELINE_FIGURE_JSON = (first: string) => `(SELECT json_build_object('regionCode', o.region_code, 'observation', ${CELL_OBSERVATION_JSON})
            FROM (${first}) n JOIN ${NEWEST_OF_INDICATOR} o ON o.region_code = n.region_code
            JOIN indicators i ON i.code = o.indicator_code JOIN sources s ON s.id = o.source_id)`;

/**
 * A ranking of one measured indicator ($1) by its newest regional totals, highest first ($7 = 1) or
 * lowest first ($7 = -1, for ranks), in one statement: the figures come from the covering index of
 * the newest-figure table and only the page asked for ($5 entries skipped, $6 shown) is ranked,
 * joined to its regions and to the citations the newest-figure table carries. A rank ("1224": ties
 * share one) counts only the figures before it, so ranking the first $5 + $6 figures gives the
 * page's ranks exactly: a bounded sort of the top instead of sorting all 3,285 districts and
 * ranking each. Beside the page: the number ranked, the distinct dates, the figures a warning is
 * about (approximate, inferred or older than the newest), and the highest placed figure of the newest
 * date, which the baseline is read against on every page alike.
 */
export const RANKING_SQL = `
  WITH figures AS (
    SELECT l.observation_id AS id, l.region_code, l.as_of, l.as_of_precision, l.as_of_inferred, l.period_start, l.value, l.qualifier
      FROM latest_observations l JOIN regions r ON r.code = l.region_code
     WHERE l.indicator_code = $1 AND l.reporter IS NULL AND ${rankedRegion(2)}),
  top AS (
    SELECT *, rank() OVER (ORDER BY value * $7::int DESC) AS rank, row_number() OVER (ORDER BY value * $7::int DESC, region_code COLLATE "C") AS position
      FROM (SELECT * FROM figures ORDER BY value * $7::int DESC, region_code COLLATE "C" LIMIT $5::int + $6::int) first),
  summary AS (SELECT count(*) AS total, max(as_of) AS newest, array_agg(DISTINCT as_of ORDER BY as_of)::text[] AS dates FROM figures)
  SELECT summary.total,
         COALESCE((SELECT json_agg(${RANKED_ENTRY_JSON('p')} ORDER BY p.position)
                     FROM top p JOIN regions r ON r.code = p.region_code
                     JOIN ${NEWEST_OF_INDICATOR} o ON o.region_code = p.region_code
                     JOIN indicators i ON i.code = o.indicator_code JOIN sources s ON s.id = o.source_id
                    WHERE p.position > $5::int), '[]') AS entries,
         COALESCE(summary.dates, '{}') AS dates,
         COALESCE((SELECT json_agg(${FLAGGED_FIGURE_JSON} ORDER BY f.value * $7::int DESC, f.region_code COLLATE "C") FROM figures f
                    WHERE f.qualifier <> 'exact' OR f.as_of_inferred OR f.as_of < summary.newest), '[]') AS flagged,
         ${BASELINE_FIGURE_JSON(`SELECT region_code FROM figures WHERE as_of = summary.newest ORDER BY value * $7::int DESC, region_code COLLATE "C" LIMIT 1`)} AS newest
    FROM summary`;

/** The page's columns of a figure of the newest-figure table, with its rank and position in one order ($5: 1 highest first, -1 lowest first). */
const rankedPage = (order: 'desc' | 'asc') => `
    SELECT observation_id AS id, region_code, indicator_code, as_of, as_of_precision, as_of_inferred, period_start, value, value_printed, unit_printed,
           qualifier, source_id, quote, rank_${order} AS rank, position_${order} AS position
      FROM latest_observations
     WHERE $5::int = ${order === 'desc' ? 1 : -1} AND indicator_code = $1 AND region_level = $2 AND reporter IS NULL
       AND position_${order} > $3::int AND position_${order} <= $3::int + $4::int`;

/**
 * RANKING_SQL's answer for a whole level ($2; no parent or set), from the ranks the newest-figure
 * table keeps per level (migration LatestRanks): the page ($3 skipped, $4 shown) is an index range,
 * and the count, dates and flagged figures come from the same index without visiting the rows.
 */
export const LEVEL_RANKING_SQL = `
  WITH summary AS (
    SELECT count(*) AS total, max(as_of) AS newest, array_agg(DISTINCT as_of ORDER BY as_of)::text[] AS dates
      FROM latest_observations WHERE indicator_code = $1 AND region_level = $2 AND reporter IS NULL),
  page AS (${rankedPage('desc')}
    UNION ALL${rankedPage('asc')}),
  flagged AS (
    SELECT region_code, CASE WHEN $5::int = 1 THEN position_desc ELSE position_asc END AS position
      FROM latest_observations
     WHERE indicator_code = $1 AND region_level = $2 AND reporter IS NULL
       AND (qualifier <> 'exact' OR as_of_inferred OR as_of < (SELECT newest FROM summary)))
  SELECT summary.total,
         COALESCE((SELECT json_agg(${RANKED_ENTRY_JSON('o')} ORDER BY o.position)
                     FROM page o JOIN regions r ON r.code = o.region_code JOIN indicators i ON i.code = o.indicator_code JOIN sources s ON s.id = o.source_id), '[]') AS entries,
         COALESCE(summary.dates, '{}') AS dates,
         COALESCE((SELECT json_agg(${FLAGGED_FIGURE_JSON} ORDER BY flagged.position)
                     FROM flagged JOIN ${NEWEST_OF_INDICATOR} f ON f.region_code = flagged.region_code), '[]') AS flagged,
         ${BASELINE_FIGURE_JSON(`SELECT region_code FROM latest_observations
                                  WHERE indicator_code = $1 AND region_level = $2 AND reporter IS NULL AND as_of = summary.newest
                                  ORDER BY CASE WHEN $5::int = 1 THEN position_desc ELSE position_asc END LIMIT 1`)} AS newest
    FROM summary`;

/** The regions a ranking covers, by the same filter, when its figures come from the history instead. */
export const RANKED_REGIONS_SQL = `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level FROM regions r WHERE ${rankedRegion(1)}`;
