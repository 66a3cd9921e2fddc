import type { TopLevelSpec } from 'vega-lite';
import type { Language } from '../http/language.js';

/** Named in every SVG so Chinese renders wherever one of these is installed (Debian: fonts-noto-cjk). */
export const CJK_FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export const CHART_CONFIG = {
  font: CJK_FONT_STACK,
  background: 'white',
  view: { stroke: null },
  axis: { labelLimit: 260, labelFontSize: 12, titleFontSize: 12 },
  header: { labelFontSize: 13, labelFontWeight: 'bold', labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', title: null },
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 12, subtitleColor: '#555' },
} as const;

export const FIGURE_COLOR = '#3b6ea8';
export const MISSING_COLOR = '#8a8a8a';

const WORDS = {
  noFigure: { zh: '无数据', en: 'no figure' },
  derivedFrom: { zh: '计算自', en: 'derived from' },
  national: { zh: '全国', en: 'National' },
  offScale: { zh: '超出图幅，未画出', en: 'off the scale, not drawn' },
  outlined: { zh: '虚线框：约数（约/近/超/逾）', en: 'Dashed outline: an approximate figure (约/近/超/逾)' },
  seed: { zh: '初始载入', en: 'initial load' },
  batch: { zh: '批次', en: 'batch' },
  retracted: { zh: '已撤回', en: 'retracted' },
  revisionsOf: { zh: '数据修订记录', en: 'Revisions of observation' },
  availability: { zh: '数据覆盖：每格为数据条数', en: 'Availability: figures per region and indicator' },
  warnings: { zh: '注意', en: 'Warnings' },
} as const;

export const say = (word: keyof typeof WORDS, language: Language): string => WORDS[word][language];

/** What a chart reads of a figure (a cell's observation, decorated for the request's language). */
export interface ChartedFigure {
  qualifier: string;
  display?: string;
  asOf: string;
  source: { fileName: string } | null;
  quote: string | null;
  inputs?: ChartedFigure[];
}

/** Source and verbatim clause of a figure; a derived figure's are its inputs'. */
export function citationOf(figure: ChartedFigure, language: Language): string {
  if (figure.source && figure.quote) return `${figure.source.fileName}: “${figure.quote}”`;
  const inputs = (figure.inputs ?? []).map((input) => citationOf(input, language));
  return inputs.length ? `${say('derivedFrom', language)} ${inputs.join(' / ')}` : '';
}

export const isApproximate = (figure: { qualifier: string }) => figure.qualifier !== 'exact';

/** Width of a line as vega estimates it, in Latin characters: a Chinese character takes two. */
const widthOf = (text: string) => [...text].reduce((sum, char) => sum + (char.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

/** Breaks a long message into lines of about `width` Latin characters (vega does not wrap text). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of text.match(/[\u2e80-\uffff]\s*|[^\s\u2e80-\uffff]+\s*|\s+/g) ?? []) {
    // Closing punctuation stays on the line it closes.
    if (line && widthOf(line + token.trimEnd()) > width && !/^[，。、；：！？）」』”]/.test(token)) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

type Said = { code: string; message?: string };

/** A panel of text under a chart: every warning, in the request's language, wrapped to the chart's width. */
export function warningsPanel(warnings: Said[], language: Language, notes: string[] = []): TopLevelSpec[] {
  const said = [...notes, ...warnings.map((w) => `${w.code}: ${w.message ?? ''}`)];
  if (!said.length) return [];
  const lines = [say('warnings', language), ...said.flatMap((text) => wrap(`• ${text}`, 84).map((line, i) => (i ? `   ${line}` : line)))];
  return [
    {
      data: { values: lines.map((text, line) => ({ line, text, heading: line === 0 })) },
      width: 560,
      height: { step: 17 },
      mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 12, aria: false },
      encoding: {
        y: { field: 'line', type: 'ordinal', axis: null },
        x: { value: 0 },
        text: { field: 'text' },
        fontWeight: { condition: { test: 'datum.heading', value: 'bold' }, value: 'normal' },
        color: { condition: { test: 'datum.heading', value: '#222' }, value: '#7a4b00' },
      },
    } as TopLevelSpec,
  ];
}

/**
 * A horizontal bar per figure with its display form at the bar's end: an approximate figure outlined
 * with a dashed line; a missing one (value null) has no bar, its label "no figure" in grey at zero.
 * Each datum: region, value, labelAt (value, or 0), label, approximate, missing, asOf, citation, description.
 */
export function figureBars(y: object): object[] {
  const tooltip = ['region', 'label', 'asOf', 'citation'].map((field) => ({ field, type: 'nominal' }));
  return [
    {
      mark: { type: 'bar', height: 16, strokeWidth: 1.5 },
      encoding: {
        y,
        x: { field: 'value', type: 'quantitative', axis: null, scale: { zero: true } },
        color: { value: FIGURE_COLOR },
        fillOpacity: { condition: { test: 'datum.approximate', value: 0.12 }, value: 1 },
        stroke: { value: FIGURE_COLOR },
        strokeDash: { condition: { test: 'datum.approximate', value: [4, 2] }, value: [1, 0] },
        description: { field: 'description' },
        tooltip,
      },
    },
    {
      // The label says itself; its bar carries the citation.
      mark: { type: 'text', align: 'left', dx: 4, fontSize: 12, aria: false },
      encoding: {
        y,
        x: { field: 'labelAt', type: 'quantitative' },
        text: { field: 'label' },
        color: { condition: { test: 'datum.missing', value: MISSING_COLOR }, value: '#222' },
        fontStyle: { condition: { test: 'datum.missing', value: 'italic' }, value: 'normal' },
        tooltip,
      },
    },
  ];
}
