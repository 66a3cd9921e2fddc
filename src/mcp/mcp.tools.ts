import type { Language } from '../http/language.js';

/**
 * The tools an assistant may call: each is one REST read (get_figure two), named by its route, so
 * its input schema is that route's parameters in the OpenAPI document and its answer is the REST
 * answer. What is here is only what an assistant reads first: a summary that states the warnings.
 */
export interface ToolDefinition {
  name: string;
  description: string;
  /** The REST route it reads (GET). */
  path: string;
  /** A second route read with the same path parameters, its answer set beside the first. */
  alongside?: { path: string; as: string };
  summarize: (body: Record<string, unknown>, language: Language) => string[];
}

type Named = { name?: string; code?: string; nameZh?: string; nameEn?: string };
type Figure = { display?: string; asOf?: string; quote?: string | null; source?: { fileName: string } | null };
type Said = { code: string; message?: string };

const nameOf = (thing: Named | undefined) => thing?.name ?? thing?.nameEn ?? thing?.code ?? '';
const cited = (figure: Figure) => `${figure.display ?? ''} (${figure.asOf ?? ''}${figure.source ? `; ${figure.source.fileName}: “${figure.quote}”` : ''})`;

/** Warnings first, each in the request's language: an assistant that reads only the text still sees them. */
export function warningLines(warnings: Said[] | undefined, language: Language): string[] {
  if (!warnings?.length) return [];
  return [language === 'zh' ? `注意（${warnings.length}）：` : `Warnings (${warnings.length}):`, ...warnings.map((w) => `- ${w.code}: ${w.message ?? ''}`)];
}

const listed = (body: Record<string, unknown>, line: (item: Record<string, unknown>) => string) => {
  const data = (body.data ?? []) as Record<string, unknown>[];
  return [`${data.length} of ${(body.meta as { total?: number } | undefined)?.total ?? data.length}:`, ...data.slice(0, 50).map((item) => `- ${line(item)}`)];
};

export const TOOLS: ToolDefinition[] = [
  {
    name: 'find_regions',
    description:
      'Find regions by GB/T 2260 code, Chinese or English name (q), level or parent; every answer names the region code the other tools take. Region sets (peer groups such as yangtze-river-delta) are listed by /v1/region-sets and accepted wherever regions are.',
    path: '/v1/regions',
    summarize: (body) => listed(body, (r) => `${String(r.code)} ${String(r.nameZh)} (${String(r.nameEn)}, ${String(r.level)})`),
  },
  {
    name: 'list_indicators',
    description: 'List the indicators (optionally of one topic) with their unit, measure type, definition and comparable indicators.',
    path: '/v1/indicators',
    summarize: (body, language) =>
      listed(body, (i) => `${String(i.code)}: ${nameOf(i)} [${String(i.unit)}] ${((language === 'zh' ? i.definitionZh : i.definitionEn) as string | undefined) ?? ''}`),
  },
  {
    name: 'compare_regions',
    description:
      'Compare regions side by side (regions or a region set; a topic or indicators; an alignment of dates). Every figure keeps its unit, as-of date, qualifier and citation, and every pair that cannot simply be compared carries a warning (DEFINITION_MISMATCH, AS_OF_MISMATCH, APPROXIMATE, MISSING…). Read the warnings before the numbers.',
    path: '/v1/compare',
    summarize: (body, language) => {
      const regions = new Map((body.regions as Named[]).map((r) => [r.code, nameOf(r)]));
      const rows = body.rows as { indicator: Named; cells: { region: string; indicator: string; observation: Figure | null }[] }[];
      return [
        ...warningLines(body.warnings as Said[], language),
        language === 'zh' ? '数据：' : 'Figures:',
        ...rows.map(
          (row) =>
            `- ${nameOf(row.indicator)}: ${row.cells
              .map(
                (cell) =>
                  `${regions.get(cell.region)} ${cell.observation ? cited(cell.observation) : language === 'zh' ? '无数据' : 'no figure'}${cell.indicator !== row.indicator.code ? ` [${cell.indicator}]` : ''}`,
              )
              .join('; ')}`,
        ),
      ];
    },
  },
  {
    name: 'rank_regions',
    description:
      'Rank regions by their newest figure of one indicator (all levels, one level, the children of a parent, or a region set), with the national figure alongside and warnings for mixed dates and approximate figures.',
    path: '/v1/rankings/{indicator}',
    summarize: (body, language) => {
      const entries = body.entries as { rank: number; region: Named; observation: Figure }[];
      const baseline = body.nationalBaseline as Figure | null;
      return [
        ...warningLines(body.warnings as Said[], language),
        `${nameOf(body.indicator as Named)}:`,
        ...entries.slice(0, 20).map((entry) => `${entry.rank}. ${nameOf(entry.region)} ${cited(entry.observation)}`),
        ...(baseline ? [`${language === 'zh' ? '全国' : 'National'}: ${cited(baseline)}`] : []),
      ];
    },
  },
  {
    name: 'region_profile',
    description: "One region's newest figures by topic, its institutions' own figures, programmes and pilot zone, with warnings.",
    path: '/v1/regions/{code}/profile',
    summarize: (body, language) => {
      const topics = body.topics as (Named & { figures: { indicator: Named; observation: Figure }[] })[];
      return [
        ...warningLines(body.warnings as Said[], language),
        `${nameOf(body.region as Named)}:`,
        ...topics.flatMap((topic) => [`${nameOf(topic)}:`, ...topic.figures.map((f) => `- ${nameOf(f.indicator)}: ${cited(f.observation)}`)]),
      ];
    },
  },
  {
    name: 'get_figure',
    description: 'One figure (observation id, as other tools return it) with its citation, and every value it has had (its revisions, with the batch of each).',
    path: '/v1/observations/{id}',
    alongside: { path: '/v1/observations/{id}/revisions', as: 'revisions' },
    summarize: (body, language) => {
      const revisions = (body.revisions as { data: unknown[] }).data;
      return [
        `${nameOf(body.region as Named)} · ${nameOf(body.indicator as Named)}: ${cited(body)}`,
        language === 'zh' ? `修订记录 ${revisions.length} 条` : `${revisions.length} revision(s)`,
      ];
    },
  },
];
