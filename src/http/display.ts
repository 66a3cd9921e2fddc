import type { Qualifier, Unit } from '../catalog/schema.js';
import type { Language } from './language.js';

/** Units a response can be rescaled to, with their English forms. */
export const TARGET_UNITS: Readonly<Record<string, { label: string; base: Unit; scale: number }>> = {
  元: { label: '元', base: 'CNY', scale: 1 },
  万元: { label: '万元', base: 'CNY', scale: 1e4 },
  亿元: { label: '亿元', base: 'CNY', scale: 1e8 },
  万亿元: { label: '万亿元', base: 'CNY', scale: 1e12 },
  家: { label: '家', base: 'count', scale: 1 },
  户: { label: '户', base: 'count', scale: 1 },
  万家: { label: '万家', base: 'count', scale: 1e4 },
  万户: { label: '万户', base: 'count', scale: 1e4 },
  yuan: { label: 'yuan', base: 'CNY', scale: 1 },
  'ten-thousand-yuan': { label: '10 thousand yuan', base: 'CNY', scale: 1e4 },
  'hundred-million-yuan': { label: '100 million yuan', base: 'CNY', scale: 1e8 },
  'billion-yuan': { label: 'billion yuan', base: 'CNY', scale: 1e9 },
  'trillion-yuan': { label: 'trillion yuan', base: 'CNY', scale: 1e12 },
  'ten-thousand': { label: '10 thousand', base: 'count', scale: 1e4 },
  million: { label: 'million', base: 'count', scale: 1e6 },
};

const ZH_QUALIFIER: Record<Qualifier, string> = { exact: '', about: '约', nearly: '近', more_than: '超', at_least: '至少', up_to: '最高' };
const EN_QUALIFIER: Record<Qualifier, string> = { exact: '', about: 'about ', nearly: 'nearly ', more_than: 'more than ', at_least: 'at least ', up_to: 'up to ' };

const trim = (value: number, digits = 4) => String(Number(value.toPrecision(digits)));

/** A person-readable form of a normalized value, e.g. 6.5e12 CNY is "6.5 trillion yuan" or "6.5万亿元". */
export function formatValue(value: number, unit: Unit, language: Language): string {
  const abs = Math.abs(value);
  if (unit === 'percent') return `${trim(value)}%`;
  if (unit === 'percentage_points') return language === 'zh' ? `${trim(value)}个百分点` : `${trim(value)} percentage points`;
  if (unit === 'year') return language === 'zh' ? `${trim(value)}年` : `${trim(value)} year${value === 1 ? '' : 's'}`;
  if (unit === 'rank') return language === 'zh' ? `第${value}位` : `No. ${value}`;
  const noun = unit === 'CNY' ? (language === 'zh' ? '元' : ' yuan') : '';
  if (language === 'zh') {
    const [scale, prefix] = abs >= 1e12 ? [1e12, '万亿'] : abs >= 1e8 ? [1e8, '亿'] : abs >= 1e4 ? [1e4, '万'] : [1, ''];
    return `${trim(value / scale)}${prefix}${noun}`;
  }
  const [scale, word] = abs >= 1e12 ? [1e12, ' trillion'] : abs >= 1e9 ? [1e9, ' billion'] : abs >= 1e6 ? [1e6, ' million'] : abs >= 1e3 ? [1e3, ' thousand'] : [1, ''];
  return `${trim(value / scale)}${word}${noun}`;
}

/** The display form of a figure: as printed in Chinese (约6.5万亿元), in words in English (about 6.5 trillion yuan). */
export function displayFigure(
  figure: { value: number; unit: Unit; qualifier: Qualifier; valuePrinted?: string | null; unitPrinted?: string | null; id?: number | null },
  language: Language,
): string {
  if (language === 'zh') {
    const printed =
      figure.id !== null && figure.valuePrinted
        ? `${figure.unit === 'rank' ? '第' : ''}${figure.valuePrinted}${figure.unitPrinted ?? ''}`
        : formatValue(figure.value, figure.unit, 'zh');
    return `${ZH_QUALIFIER[figure.qualifier]}${printed}`;
  }
  return `${EN_QUALIFIER[figure.qualifier]}${formatValue(figure.value, figure.unit, 'en')}`;
}

export interface DisplayOptions {
  language: Language;
  normalizeTo?: string;
}

// Plain objects only: a Date (createdAt, receivedAt) must reach the serializer untouched.
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Adds, throughout a response, `name` in the chosen language beside nameZh/nameEn (and `message`
 * beside messageZh/messageEn), `display` to
 * every figure, and `scaled` (value and unit) when normalizeTo is given and the unit matches.
 * `value` itself always stays in base units, so the same field never changes meaning.
 */
export function decorate(body: unknown, options: DisplayOptions): unknown {
  const target = options.normalizeTo ? TARGET_UNITS[options.normalizeTo] : undefined;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = visit(value);
    if (typeof node.nameZh === 'string' && typeof node.nameEn === 'string') out.name = options.language === 'zh' ? node.nameZh : node.nameEn;
    if (typeof node.messageZh === 'string' && typeof node.messageEn === 'string') out.message = options.language === 'zh' ? node.messageZh : node.messageEn;
    if (typeof node.value === 'number' && typeof node.unit === 'string' && typeof node.qualifier === 'string') {
      out.display = displayFigure(node as Parameters<typeof displayFigure>[0], options.language);
      if (target && target.base === node.unit) out.scaled = { value: Number((node.value / target.scale).toPrecision(12)), unit: target.label };
    }
    return out;
  };
  return visit(body);
}
