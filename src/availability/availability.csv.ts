import type { CsvRow } from '../http/csv.js';
import type { AvailabilityDto } from './availability.dto.js';

/** One line per region and indicator of the grid, those without figures included (count 0), as the chart shows them. */
export function availabilityRows(body: AvailabilityDto): { rows: CsvRow[] } {
  const entries = new Map(body.data.map((entry) => [`${entry.region}|${entry.indicator}`, entry]));
  return {
    rows: body.regions.flatMap((region) =>
      body.indicators.map((indicator) => {
        const entry = entries.get(`${region.code}|${indicator.code}`);
        return {
          region_code: region.code,
          region_name_zh: region.nameZh,
          region_name_en: region.nameEn,
          indicator_code: indicator.code,
          indicator_name_zh: indicator.nameZh,
          indicator_name_en: indicator.nameEn,
          topic: indicator.topic,
          count: entry?.count ?? 0,
          first_as_of: entry?.firstAsOf,
          last_as_of: entry?.lastAsOf,
        };
      }),
    ),
  };
}
