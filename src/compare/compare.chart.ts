import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, citationOf, figureBars, isApproximate, say, warningsPanel, type ChartedFigure } from '../charts/chart-parts.js';
import type { Language } from '../http/language.js';
import type { CompareResponseDto } from './compare.dto.js';

/**
 * One panel per indicator, one bar per region with the figure's display form on it: an approximate
 * figure outlined with a dashed line, a missing one written as missing (never a zero bar), a cell
 * filled by a comparable indicator marked †; every warning printed under the panels.
 */
export function compareChart(body: CompareResponseDto, _query: unknown, language: Language): TopLevelSpec {
  const names = new Map(body.regions.map((region) => [region.code, region.name ?? region.code]));
  const place = new Map(body.regions.map((region, i) => [region.code, i]));
  const values = body.rows.flatMap((row, order) =>
    row.cells.map((cell) => {
      const figure = cell.observation as (ChartedFigure & { value: number }) | null;
      const region = `${names.get(cell.region)}${cell.indicator !== row.indicator.code ? ' †' : ''}`;
      const label = figure?.display ?? say('noFigure', language);
      const citation = figure ? citationOf(figure, language) : '';
      return {
        panel: row.indicator.name ?? row.indicator.code,
        order,
        region,
        place: place.get(cell.region),
        value: figure?.value ?? null,
        labelAt: figure?.value ?? 0,
        label,
        missing: !figure,
        approximate: figure ? isApproximate(figure) : false,
        asOf: figure?.asOf ?? '',
        citation,
        description: `${region}: ${label}${citation ? ` — ${citation}` : ''}`,
      };
    }),
  );
  const regions = body.regions.map((region) => names.get(region.code)!);
  const y = { field: 'region', type: 'nominal', sort: { field: 'place', op: 'min' }, title: null, axis: { labelFontSize: 12, ticks: false, domain: false } } as const;
  const approximate = body.rows.some((row) => row.cells.some((cell) => cell.observation && isApproximate(cell.observation)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: regions.join(language === 'zh' ? '、' : ', '), subtitle: `align=${body.align}${body.asOf ? `, asOf=${body.asOf}` : ''}` },
    config: CHART_CONFIG,
    vconcat: [
      {
        data: { values },
        facet: { row: { field: 'panel', sort: { field: 'order' }, header: { labelLimit: 560 } } },
        resolve: { scale: { x: 'independent', y: 'independent' } },
        spacing: 14,
        spec: {
          width: 400,
          height: { step: 22 },
          layer: figureBars(y),
        },
      } as never,
      ...warningsPanel(body.warnings, language, approximate ? [say('outlined', language)] : []),
    ],
  } as TopLevelSpec;
}
