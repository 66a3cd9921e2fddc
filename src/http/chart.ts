import { SetMetadata } from '@nestjs/common';
import * as vega from 'vega';
import { None, View, logger, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Language } from './language.js';

/** Draws an endpoint's JSON answer (decorated for the request's language) as a Vega-Lite spec with its data inline. */
export type ChartSpec = (body: never, query: never, language: Language) => TopLevelSpec;

export const CHART_SPEC = 'chart-spec';

/** Marks an endpoint as available as a chart: format=vega-lite (the spec) or format=svg (the spec drawn here). */
export const ChartExport = (spec: ChartSpec) => SetMetadata(CHART_SPEC, spec);

/**
 * The spec drawn as SVG by Vega's own renderer, headless (no browser or canvas; text widths are
 * estimated). Vega writes a mark's `description` as its aria-label; it becomes the mark's <title>,
 * which is what browsers show as the tooltip of an SVG shape.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // The specs are ours and tested; Vega-Lite's notes on them would only fill the log.
  const quiet = logger(None);
  const view = new View(parse(compile(spec, { logger: quiet }).spec), { renderer: 'none', logLevel: None });
  try {
    return withFontOnce(withTitles(await view.toSVG()));
  } finally {
    view.finalize();
  }
}

/**
 * Without a canvas Vega estimates every character at 0.8 of the font size, so Chinese labels (a full
 * em each) overrun the space laid out for them and are cut at the edge. This estimate gives CJK
 * characters a full em and others 0.6; it is the layout's only measure of text on the server.
 */
type TextItem = { text?: unknown; fontSize?: number };
// Exported by vega at run time, though its typings leave it out.
const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } };
textMetrics.width = (item, text) => {
  const lines = [text ?? item.text ?? ''].flat().map(String);
  const size = item.fontSize ?? 11;
  return Math.max(0, ...lines.map((line) => [...line].reduce((sum, char) => sum + (char.charCodeAt(0) >= 0x2e80 ? 1 : 0.6), 0) * size));
};

const FONT_FAMILY = / font-family="([^"]*)"/;

/** Vega names the font on every text element; the chart's one font is named once, in a style rule, instead. */
function withFontOnce(svg: string): string {
  const font = FONT_FAMILY.exec(svg);
  if (!font) return svg;
  const rule = `<style>text{font-family:${font[1].replaceAll('&quot;', '"')}}</style>`;
  return svg.replaceAll(font[0], '').replace(/^(<svg[^>]*>)/, `$1${rule}`);
}

const DESCRIBED_SHAPE = /<(path|line|rect|circle|text)\b([^>]*?) aria-label="([^"]*)"([^>]*?)(\/?)>/g;

/**
 * Each mark's description becomes its <title>, in place of the aria-label (a <title> names an SVG
 * shape for screen readers too): the citation is written once per mark, not twice. Vega's
 * attribute values are escaped already, so the label goes into <title> as it is.
 */
function withTitles(svg: string): string {
  return svg.replace(DESCRIBED_SHAPE, (_, tag: string, before: string, label: string, after: string, selfClosing: string) =>
    selfClosing ? `<${tag}${before}${after}><title>${label}</title></${tag}>` : `<${tag}${before}${after}><title>${label}</title>`,
  );
}
