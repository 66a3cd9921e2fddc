import createClient from 'openapi-fetch';
import type { components, operations, paths } from '../examples/client/api.js';

type Compare = components['schemas']['CompareResponseDto'];
type Figure = components['schemas']['CellObservationDto'];
type CompareQuery = NonNullable<operations['compareCompare']['parameters']['query']>;
type Language = 'zh' | 'en';

/** The explorer's view, as the page's own query string holds it: a copied link restores it. */
interface View {
  regions: string[];
  regionSet: string;
  topic: string;
  indicators: string[];
  align: NonNullable<CompareQuery['align']>;
  asOf: string;
  lang: Language;
}

const client = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl: location.origin });

const TEXT = {
  title: { zh: '区域科创与小微金融数据浏览', en: 'Regional finance figures explorer' },
  docs: { zh: 'API 文档', en: 'API docs' },
  languageHint: { zh: '切换界面与数据的语言', en: 'Switch the language of the page and the figures' },
  switchTo: { zh: 'English', en: '中文' },
  choose: { zh: '选择比较对象', en: 'Choose what to compare' },
  regions: { zh: '地区（输入中文或英文名称）', en: 'Regions (type a Chinese or English name)' },
  regionSet: { zh: '地区组', en: 'Region set' },
  topic: { zh: '主题', en: 'Topic' },
  indicators: { zh: '指标（可多选，留空为全部）', en: 'Indicators (several allowed; none for all)' },
  align: { zh: '日期对齐方式', en: 'Date alignment' },
  asOf: { zh: '截至日期（可选）', en: 'As of (optional)' },
  show: { zh: '比较', en: 'Compare' },
  result: { zh: '比较结果', en: 'Comparison' },
  csv: { zh: '下载 CSV', en: 'Download CSV' },
  copyApi: { zh: '复制 API 地址', en: 'Copy API URL' },
  copyView: { zh: '复制本页链接', en: 'Copy link to this view' },
  apiUrl: { zh: '当前数据的 API 地址', en: 'API URL of what is shown' },
  close: { zh: '关闭', en: 'Close' },
  none: { zh: '（无）', en: '(none)' },
  any: { zh: '（全部）', en: '(all)' },
  remove: { zh: '移除', en: 'Remove' },
  pick: { zh: '请至少选择一个地区或地区组。', en: 'Choose at least one region or a region set.' },
  loading: { zh: '加载中…', en: 'Loading…' },
  copied: { zh: '已复制', en: 'Copied' },
  shown: { zh: '已显示 {n} 个指标。', en: '{n} indicators shown.' },
  indicator: { zh: '指标', en: 'Indicator' },
  noFigure: { zh: '无数据', en: 'no figure' },
  chartOf: { zh: '比较图', en: 'Comparison chart' },
  citation: { zh: '出处', en: 'Citation' },
  value: { zh: '数值', en: 'Value' },
  date: { zh: '日期', en: 'As of' },
  source: { zh: '来源文件', en: 'Source file' },
  quote: { zh: '原文', en: 'Quote' },
  inputs: { zh: '计算所用数据', en: 'Computed from' },
  'latest-each': { zh: '各自最新', en: 'Each region’s newest' },
  'common-latest': { zh: '共同最新日期', en: 'Newest common date' },
  exact: { zh: '指定日期', en: 'Exactly the as-of date' },
} as const;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLInputElement>('region-input');
const options = $<HTMLUListElement>('region-options');

const view = readView();
const regionNames = new Map<string, string>();

function readView(): View {
  const query = new URLSearchParams(location.search);
  const list = (name: string) => (query.get(name) ?? '').split(',').filter(Boolean);
  const align = query.get('align');
  return {
    regions: list('regions'),
    regionSet: query.get('regionSet') ?? '',
    topic: query.get('topic') ?? '',
    indicators: list('indicators'),
    align: align === 'common-latest' || align === 'exact' ? align : 'latest-each',
    asOf: query.get('asOf') ?? '',
    lang: query.get('lang') === 'zh' || (!query.get('lang') && navigator.language.startsWith('zh')) ? 'zh' : 'en',
  };
}

/** The API's query for the view; empty parts are left out. */
function compareQuery(): CompareQuery {
  const query: CompareQuery = { lang: view.lang, align: view.align };
  if (view.regions.length) query.regions = view.regions.join(',');
  if (view.regionSet) query.regionSet = view.regionSet as CompareQuery['regionSet'];
  if (view.topic) query.topic = view.topic;
  if (view.indicators.length) query.indicators = view.indicators.join(',');
  if (view.asOf) query.asOf = view.asOf;
  return query;
}

const search = (query: Record<string, string | undefined>) => new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
const apiUrl = (format?: string) => `${location.origin}/v1/compare?${search({ ...compareQuery(), format })}`;
const say = (key: keyof typeof TEXT) => TEXT[key][view.lang];
const named = (thing: { nameZh: string; nameEn: string }) => (view.lang === 'zh' ? thing.nameZh : thing.nameEn);

function applyLanguage(): void {
  document.documentElement.lang = view.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = say('title');
  for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) element.textContent = say(element.dataset.text as keyof typeof TEXT);
  $('language').textContent = say('switchTo');
  $('language').setAttribute('lang', view.lang === 'zh' ? 'en' : 'zh-CN');
  for (const option of $<HTMLSelectElement>('align').options) option.textContent = say(option.value as keyof typeof TEXT);
}

async function loadChoices(): Promise<void> {
  const [topics, sets] = await Promise.all([
    client.GET('/v1/topics', { params: { query: { lang: view.lang } } }),
    client.GET('/v1/region-sets', { params: { query: { lang: view.lang } } }),
  ]);
  fillSelect($('topic'), [['', say('any')], ...(topics.data?.data ?? []).map((t): [string, string] => [t.code, named(t)])], view.topic);
  fillSelect($('region-set'), [['', say('none')], ...(sets.data?.data ?? []).map((s): [string, string] => [s.id, named(s)])], view.regionSet);
  await loadIndicators();
}

async function loadIndicators(): Promise<void> {
  const indicators = await client.GET('/v1/indicators', { params: { query: { lang: view.lang, pageSize: 200, ...(view.topic ? { topic: view.topic } : {}) } } });
  const select = $<HTMLSelectElement>('indicators');
  select.replaceChildren(
    ...(indicators.data?.data ?? []).map((i) => {
      const option = new Option(i.name ?? i.code, i.code, false, view.indicators.includes(i.code));
      return option;
    }),
  );
}

function fillSelect(select: HTMLSelectElement, choices: [string, string][], chosen: string): void {
  select.replaceChildren(...choices.map(([value, label]) => new Option(label, value, false, value === chosen)));
}

function renderChosen(): void {
  $('chosen').replaceChildren(
    ...view.regions.map((code) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${regionNames.get(code) ?? code} ×`;
      button.setAttribute('aria-label', `${say('remove')} ${regionNames.get(code) ?? code}`);
      button.addEventListener('click', () => {
        view.regions = view.regions.filter((c) => c !== code);
        renderChosen();
        input.focus();
      });
      item.append(button);
      return item;
    }),
  );
}

// Type-ahead over /v1/regions?q=, a combobox driven by the arrow keys, Enter and Escape.
let suggestions: { code: string; label: string }[] = [];
let active = -1;
let typed = 0;

async function suggest(): Promise<void> {
  const text = input.value.trim();
  const asked = ++typed;
  if (!text) return closeOptions();
  const found = await client.GET('/v1/regions', { params: { query: { q: text, pageSize: 8, lang: view.lang } } });
  if (asked !== typed) return;
  suggestions = (found.data?.data ?? []).map((r) => ({ code: r.code, label: `${r.name ?? r.nameEn} (${view.lang === 'zh' ? r.nameEn : r.nameZh}) ${r.code}` }));
  active = suggestions.length ? 0 : -1;
  renderOptions();
}

function renderOptions(): void {
  options.replaceChildren(
    ...suggestions.map((s, i) => {
      const item = document.createElement('li');
      item.id = `region-option-${i}`;
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', String(i === active));
      item.textContent = s.label;
      item.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(i);
      });
      return item;
    }),
  );
  options.hidden = !suggestions.length;
  input.setAttribute('aria-expanded', String(!options.hidden));
  if (active >= 0) input.setAttribute('aria-activedescendant', `region-option-${active}`);
  else input.removeAttribute('aria-activedescendant');
}

function closeOptions(): void {
  suggestions = [];
  active = -1;
  renderOptions();
}

function choose(index: number): void {
  const picked = suggestions[index];
  if (!picked) return;
  regionNames.set(picked.code, picked.label.split(' (')[0]);
  if (!view.regions.includes(picked.code)) view.regions.push(picked.code);
  input.value = '';
  closeOptions();
  renderChosen();
}

input.addEventListener('input', () => void suggest());
input.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    if (!suggestions.length) return;
    event.preventDefault();
    active = (active + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length;
    renderOptions();
  } else if (event.key === 'Enter' && suggestions.length) {
    event.preventDefault();
    choose(active);
  } else if (event.key === 'Escape') closeOptions();
});
input.addEventListener('blur', () => setTimeout(closeOptions, 100));

function readForm(): void {
  view.regionSet = $<HTMLSelectElement>('region-set').value;
  view.topic = $<HTMLSelectElement>('topic').value;
  view.indicators = [...$<HTMLSelectElement>('indicators').selectedOptions].map((o) => o.value);
  view.align = $<HTMLSelectElement>('align').value as View['align'];
  view.asOf = $<HTMLInputElement>('as-of').value;
}

function writeLocation(): void {
  const query = search({
    regions: view.regions.join(','),
    regionSet: view.regionSet,
    topic: view.topic,
    indicators: view.indicators.join(','),
    align: view.align,
    asOf: view.asOf,
    lang: view.lang,
  });
  history.replaceState(null, '', `${location.pathname}?${query}`);
}

async function show(): Promise<void> {
  const status = $('status');
  if (!view.regions.length && !view.regionSet) {
    status.textContent = say('pick');
    return;
  }
  writeLocation();
  $('result').setAttribute('aria-busy', 'true');
  status.textContent = say('loading');
  const query = compareQuery();
  const [json, svg] = await Promise.all([
    client.GET('/v1/compare', { params: { query } }),
    client.GET('/v1/compare', { params: { query: { ...query, format: 'svg' } }, parseAs: 'text' }),
  ]);
  $('result').setAttribute('aria-busy', 'false');
  if (!json.data) {
    const problem = json.error as { detail?: string } | undefined;
    status.textContent = problem?.detail ?? String(json.response.status);
    $('chart').replaceChildren();
    $('table').replaceChildren();
    $('warnings').replaceChildren();
    return;
  }
  const comparison = json.data;
  for (const region of comparison.regions) regionNames.set(region.code, region.name ?? region.code);
  renderChosen();
  status.textContent = say('shown').replace('{n}', String(comparison.rows.length));
  $<HTMLAnchorElement>('csv').href = apiUrl('csv');
  $<HTMLInputElement>('api-url').value = apiUrl();
  renderWarnings(comparison);
  renderTable(comparison);
  renderChart(typeof svg.data === 'string' ? svg.data : '');
}

function renderWarnings(comparison: Compare): void {
  $('warnings').replaceChildren(
    ...comparison.warnings.map((warning) => {
      const item = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = warning.code;
      item.append(code, ` ${(view.lang === 'zh' ? warning.messageZh : warning.messageEn) ?? ''}`);
      return item;
    }),
  );
}

/** The server's SVG, parsed as an image document so nothing in it runs, then placed in the page (its <title>s are the tooltips). */
function renderChart(svg: string): void {
  const chart = $('chart');
  const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  if (parsed.nodeName !== 'svg') return chart.replaceChildren();
  parsed.setAttribute('role', 'img');
  parsed.setAttribute('aria-label', say('chartOf'));
  chart.replaceChildren(document.importNode(parsed, true));
}

function renderTable(comparison: Compare): void {
  const table = $<HTMLTableElement>('table');
  const head = table.createTHead();
  const headRow = document.createElement('tr');
  headRow.append(cellOf('th', say('indicator')), ...comparison.regions.map((region) => cellOf('th', region.name ?? region.code)));
  for (const cell of headRow.children) cell.setAttribute('scope', 'col');
  head.replaceChildren(headRow);
  const body = document.createElement('tbody');
  for (const row of comparison.rows) {
    const line = document.createElement('tr');
    const name = cellOf('th', row.indicator.name ?? row.indicator.code);
    name.setAttribute('scope', 'row');
    line.append(name);
    for (const region of comparison.regions) {
      const cell = row.cells.find((c) => c.region === region.code);
      const figure = cell?.observation;
      const td = document.createElement('td');
      if (!figure) {
        td.className = 'missing';
        td.textContent = say('noFigure');
      } else {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = `${figure.display ?? figure.value}${cell.indicator !== row.indicator.code ? ' †' : ''}`;
        button.setAttribute('aria-haspopup', 'dialog');
        button.addEventListener('click', () => openCitation(`${region.name ?? region.code} · ${row.indicator.name ?? row.indicator.code}`, figure));
        td.append(button);
      }
      line.append(td);
    }
    body.append(line);
  }
  table.tBodies[0]?.remove();
  table.append(body);
}

function cellOf(tag: 'th' | 'td', text: string): HTMLTableCellElement {
  const cell = document.createElement(tag);
  cell.textContent = text;
  return cell;
}

function openCitation(heading: string, figure: Figure): void {
  $('citation-heading').textContent = `${say('citation')}: ${heading}`;
  const list = $('citation-body');
  list.replaceChildren();
  const add = (term: string, value: string) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  };
  const describe = (f: Figure) => {
    add(say('value'), f.display ?? String(f.value));
    add(say('date'), f.asOf);
    if (f.source) add(say('source'), f.source.fileName);
    if (f.quote) add(say('quote'), f.quote);
  };
  describe(figure);
  if (figure.inputs?.length) {
    add(say('inputs'), '');
    figure.inputs.forEach(describe);
  }
  $<HTMLDialogElement>('citation').showModal();
}

async function copy(text: string, button: HTMLElement): Promise<void> {
  $<HTMLInputElement>('api-url').value = text;
  await navigator.clipboard?.writeText(text).catch(() => undefined);
  $('status').textContent = `${say('copied')}: ${text}`;
  button.focus();
}

$('query').addEventListener('submit', (event) => {
  event.preventDefault();
  readForm();
  void show();
});
$('topic').addEventListener('change', () => {
  view.topic = $<HTMLSelectElement>('topic').value;
  view.indicators = [];
  void loadIndicators();
});
$('language').addEventListener('click', () => {
  readForm();
  view.lang = view.lang === 'zh' ? 'en' : 'zh';
  applyLanguage();
  void loadChoices().then(show);
});
$('copy-api').addEventListener('click', () => void copy(apiUrl(), $('copy-api')));
$('copy-view').addEventListener('click', () => {
  writeLocation();
  void copy(location.href, $('copy-view'));
});

$<HTMLSelectElement>('align').value = view.align;
$<HTMLInputElement>('as-of').value = view.asOf;
applyLanguage();
renderChosen();
await loadChoices();
if (view.regions.length || view.regionSet) await show();
