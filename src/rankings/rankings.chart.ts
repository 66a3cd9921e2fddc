import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, citationOf, figureBars, isApproximate, say, warningsPanel, type ChartedFigure } from '../charts/chart-parts.js';
import type { Language } from '../http/language.js';
import type { RankingDto } from './ranking.dto.js';

/** A baseline further right than this share past the longest bar would squeeze every bar into a sliver: it is named, not drawn. */
const BASELINE_REACH = 1.5;

/**
 * This page of the ranking as horizontal bars in rank order, each with its display form (and its
 * as-of date where the dates differ), the national baseline as a rule where it fits the scale, and
 * the ranking's warnings underneath.
 */
export function rankingChart(body: RankingDto, _query: unknown, language: Language): TopLevelSpec {
  const dates = new Set(body.entries.map((entry) => entry.observation.asOf));
  const values = body.entries.map((entry) => {
    const figure = entry.observation as ChartedFigure & { value: number };
    const region = entry.region.name ?? entry.region.code;
    const label = `${figure.display ?? ''}${dates.size > 1 ? ` (${figure.asOf})` : ''}`;
    const citation = citationOf(figure, language);
    return {
      rank: entry.rank,
      region: `${entry.rank}. ${region}`,
      value: figure.value,
      labelAt: figure.value,
      label,
      missing: false,
      approximate: isApproximate(figure),
      asOf: figure.asOf,
      citation,
      description: `${entry.rank}. ${region}: ${label} — ${citation}`,
    };
  });
  const baseline = body.nationalBaseline as (ChartedFigure & { value: number }) | null;
  const longest = Math.max(0, ...values.map((value) => value.value));
  const drawBaseline = baseline !== null && values.length > 0 && baseline.value <= longest * BASELINE_REACH;
  const baselineLabel = baseline ? `${say('national', language)} ${baseline.display ?? ''}` : '';
  const notes = baseline && !drawBaseline ? [`${baselineLabel}: ${say('offScale', language)}`] : [];
  if (values.some((value) => value.approximate)) notes.push(say('outlined', language));
  const y = { field: 'region', type: 'nominal', sort: { field: 'rank', op: 'min' }, title: null, axis: { ticks: false, domain: false } } as const;
  const bars = {
    data: { values },
    width: 420,
    height: { step: 22 },
    layer: [
      ...figureBars(y),
      ...(drawBaseline
        ? [
            {
              data: { values: [{ value: baseline.value, label: baselineLabel, description: `${baselineLabel} — ${citationOf(baseline, language)}` }] },
              layer: [
                {
                  mark: { type: 'rule', color: '#c0392b', strokeWidth: 1.5, strokeDash: [6, 3] },
                  encoding: { x: { field: 'value', type: 'quantitative' }, description: { field: 'description' } },
                },
                {
                  mark: { type: 'text', color: '#c0392b', align: 'left', dx: 3, y: -8, fontSize: 11, aria: false },
                  encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
                },
              ],
            },
          ]
        : []),
    ],
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: body.indicator.name ?? body.indicator.code,
      subtitle: values.length
        ? `${language === 'zh' ? `共 ${body.meta.total} 个地区` : `${body.meta.total} regions ranked`} · ${[...dates].sort().join(', ')}`
        : say('noFigure', language),
    },
    config: CHART_CONFIG,
    vconcat: [bars as never, ...warningsPanel(body.warnings, language, notes)],
  } as TopLevelSpec;
}
