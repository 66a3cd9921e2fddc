import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, MISSING_COLOR, say } from '../charts/chart-parts.js';
import { ProblemException } from '../errors/problem.js';
import type { Language } from '../http/language.js';
import type { AvailabilityDto } from './availability.dto.js';

/** Past this a grid is no longer read at a glance (and the SVG grows past what an <img> should carry). */
export const MAX_CHARTED_REGIONS = 100;

/** The region × indicator grid, each cell shaded by its number of figures; a pair with none is a grey cell marked —. */
export function availabilityChart(body: AvailabilityDto, _query: unknown, language: Language): TopLevelSpec {
  if (body.regions.length > MAX_CHARTED_REGIONS)
    throw ProblemException.validation([
      {
        location: 'query',
        name: 'format',
        message: `a chart draws at most ${MAX_CHARTED_REGIONS} regions and this grid has ${body.regions.length}: narrow it with region, regionSet or topic, or ask for json or csv`,
      },
    ]);
  const counts = new Map(body.data.map((entry) => [`${entry.region}|${entry.indicator}`, entry]));
  const values = body.regions.flatMap((region, row) =>
    body.indicators.map((indicator, column) => {
      const entry = counts.get(`${region.code}|${indicator.code}`);
      const regionName = region.name ?? region.code;
      const indicatorName = indicator.name ?? indicator.code;
      const span = entry ? (entry.firstAsOf === entry.lastAsOf ? entry.lastAsOf : `${entry.firstAsOf} – ${entry.lastAsOf}`) : say('noFigure', language);
      return {
        region: regionName,
        row,
        indicator: indicatorName,
        column,
        count: entry?.count ?? 0,
        label: entry ? String(entry.count) : '—',
        description: `${regionName} · ${indicatorName}: ${entry ? `${entry.count} (${span})` : span}`,
      };
    }),
  );
  const x = { field: 'indicator', type: 'nominal', sort: { field: 'column', op: 'min' }, title: null, axis: { orient: 'top', labelAngle: -40, labelLimit: 220 } } as const;
  const y = { field: 'region', type: 'nominal', sort: { field: 'row', op: 'min' }, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: say('availability', language) },
    config: CHART_CONFIG,
    data: { values },
    width: { step: 34 },
    height: { step: 24 },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x,
          y,
          color: {
            condition: { test: 'datum.count === 0', value: '#eeeeee' },
            field: 'count',
            type: 'quantitative',
            scale: { scheme: 'blues', domainMin: 0 },
            legend: null,
          },
          description: { field: 'description' },
          tooltip: [{ field: 'description', type: 'nominal' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 11, aria: false },
        encoding: {
          x,
          y,
          text: { field: 'label' },
          color: { condition: { test: 'datum.count === 0', value: MISSING_COLOR }, value: '#111' },
        },
      },
    ],
  };
}
