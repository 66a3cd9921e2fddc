import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, FIGURE_COLOR, say } from '../charts/chart-parts.js';
import type { Language } from '../http/language.js';
import type { RevisionListDto } from './observation.dto.js';

/** The figure's value over the times it was published, a step per revision, each labelled with its value and the batch that wrote it. */
export function revisionsChart(body: RevisionListDto, _query: unknown, language: Language): TopLevelSpec {
  const values = body.data.map((revision) => {
    const batch = revision.batchId === null ? say('seed', language) : `${say('batch', language)} ${revision.batchId}`;
    const label = `${revision.display ?? `${revision.valuePrinted}${revision.unitPrinted}`} · ${batch}${revision.retracted ? ` · ${say('retracted', language)}` : ''}`;
    const citation = `${revision.sourceId}: “${revision.quote}”`;
    return {
      validFrom: new Date(revision.validFrom).toISOString(),
      value: revision.value,
      label,
      retracted: revision.retracted,
      asOf: revision.asOf,
      citation,
      description: `${label} — ${citation}`,
    };
  });
  const x = { field: 'validFrom', type: 'temporal', title: null, axis: { format: '%Y-%m-%d %H:%M', labelAngle: 0, tickCount: 4 } } as const;
  const y = { field: 'value', type: 'quantitative', title: null, axis: null, scale: { zero: false, padding: 24 } } as const;
  const tooltip = [
    { field: 'label', type: 'nominal' },
    { field: 'asOf', type: 'nominal' },
    { field: 'citation', type: 'nominal' },
  ] as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${body.region.name ?? body.region.code} · ${body.indicator.name ?? body.indicator.code}`,
      subtitle: `${say('revisionsOf', language)} ${body.observationId}`,
    },
    config: CHART_CONFIG,
    data: { values },
    width: 520,
    height: 200,
    layer: [
      { mark: { type: 'line', interpolate: 'step-after', color: FIGURE_COLOR }, encoding: { x, y } },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x,
          y,
          color: { condition: { test: 'datum.retracted', value: '#c0392b' }, value: FIGURE_COLOR },
          description: { field: 'description' },
          tooltip,
        },
      },
      { mark: { type: 'text', align: 'left', dx: 6, dy: -10, fontSize: 11, aria: false }, encoding: { x, y, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}
