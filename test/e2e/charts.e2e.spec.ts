import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Datum = Record<string, unknown> & { description: string };
/** A Vega-Lite spec as the API writes it: the data of every view inline. */
type Spec = { $schema: string; data?: { values: Datum[] }; vconcat?: Spec[]; layer?: Spec[]; title?: { text: string } };

const ZJ_JS = `regions=${encodeURIComponent('浙江,江苏')}&topic=smb_outreach`;
const ZJ_LOANS_QUOTE = '截至2026年4月末，浙江已组织走访企业596万家，纳入推荐清单数量172万家，其中147万家已获得授信支持，累放贷款6.5万亿元';

/** Every inline data row of a spec, the views' and their layers' alike. */
const dataOf = (spec: Spec): Datum[] => [...(spec.data?.values ?? []), ...(spec.vconcat ?? []).flatMap(dataOf), ...(spec.layer ?? []).flatMap(dataOf)];
/** The marks Vega drew, each named by its <title>: the citation, written once (the API turns Vega's aria-label into it). */
const marksOf = (svg: string, kind: string) =>
  [...svg.matchAll(new RegExp(`<path role="graphics-symbol" aria-roledescription="${kind}"[^>]*><title>([^<]*)</title>`, 'g'))].map((m) => m[1]);
const records = (text: string): Record<string, string>[] => parse(text.replace(/^\uFEFF/, ''), { columns: true });

describe('charts: format=vega-lite and format=svg', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('charts')));
  afterAll(() => t.close());

  const fetchText = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${t.http}${path}`, { headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const specOf = async (path: string) => {
    const response = await request(t.http).get(path).expect(200);
    expect(response.headers['content-type']).toBe('application/vnd.vegalite.v6+json; charset=utf-8');
    return JSON.parse(response.text) as Spec;
  };

  it('draws compare as a panel per indicator: missing regions as missing, approximate figures flagged, warnings in the language asked', async () => {
    const json = (await request(t.http).get(`/v1/compare?${ZJ_JS}&lang=zh`).expect(200)).body as {
      rows: { indicator: { nameZh: string }; cells: { observation: { display: string } | null }[] }[];
      warnings: { code: string; messageZh: string }[];
    };
    const spec = await specOf(`/v1/compare?${ZJ_JS}&lang=zh&format=vega-lite`);
    expect(spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
    const cells = dataOf(spec).filter((d) => 'panel' in d);
    // One datum per cell of the JSON answer, each with the JSON's display form.
    expect(cells).toHaveLength(json.rows.reduce((n, row) => n + row.cells.length, 0));
    expect(new Set(cells.map((d) => d.panel))).toEqual(new Set(json.rows.map((row) => row.indicator.nameZh)));
    const missing = cells.filter((d) => d.missing);
    expect(missing.length).toBe(json.rows.flatMap((row) => row.cells).filter((cell) => !cell.observation).length);
    expect(missing.length).toBeGreaterThan(0);
    // A missing figure has no bar value: never drawn as zero.
    for (const d of missing) expect(d).toMatchObject({ value: null, label: '无数据' });
    const loans = cells.find((d) => d.panel === '累计发放贷款' && String(d.region).startsWith('浙江'))!;
    expect(loans).toMatchObject({ value: 6.5e12, label: '6.5万亿元', approximate: false });
    expect(loans.citation).toContain(ZJ_LOANS_QUOTE);
    // 超百场 (more than a hundred events) is approximate.
    expect(cells.find((d) => d.label === '超百场')).toMatchObject({ approximate: true });
    const lines = dataOf(spec)
      .filter((d) => 'line' in d)
      .map((d) => String(d.text))
      .join('');
    for (const warning of json.warnings) expect(lines.replace(/\s+/g, '')).toContain(`${warning.code}:${warning.messageZh}`.replace(/\s+/g, ''));
  });

  it('renders compare as SVG on the server: a bar per figure, each citing its source, CJK fonts named, cached like JSON', async () => {
    const path = `/v1/compare?${ZJ_JS}&format=svg`;
    const first = await fetchText(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(first.text).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(first.text).toContain('Noto Sans CJK SC');
    const json = (await request(t.http).get(`/v1/compare?${ZJ_JS}`).expect(200)).body as { rows: { cells: { observation: object | null }[] }[] };
    const figures = json.rows.flatMap((row) => row.cells).filter((cell) => cell.observation).length;
    const bars = marksOf(first.text, 'bar');
    expect(bars).toHaveLength(figures);
    // Every bar's tooltip cites a source file; a derived figure cites its inputs'.
    for (const bar of bars) expect(bar).toMatch(/\.txt: “/);
    expect(bars.find((bar) => bar.includes('6.5 trillion yuan'))).toContain(ZJ_LOANS_QUOTE);
    // Written once per figure: a mark's citation is its title, not also an attribute.
    const times = (text: string) => text.split(ZJ_LOANS_QUOTE).length - 1;
    expect(times(first.text)).toBe(bars.reduce((sum, bar) => sum + times(bar), 0));
    expect(first.text).toContain('DEFINITION_MISMATCH');
    expect(first.text).toContain('no figure');

    const second = await fetchText(path);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.text).toBe(first.text);
    const revalidated = await fetch(`${t.http}${path}`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
  });

  it('answers an <img> (Accept: image/svg+xml) with SVG, and bad input with problem+json, never a broken image', async () => {
    const img = await fetchText(`/v1/compare?${ZJ_JS}`, { Accept: 'image/avif,image/webp,image/svg+xml,image/*,*/*;q=0.8' });
    expect(img.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const browser = await fetchText(`/v1/compare?${ZJ_JS}`, { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(browser.headers.get('content-type')).toMatch(/^application\/json/);

    const unknown = await request(t.http)
      .get(`/v1/compare?regions=${encodeURIComponent('浙江,火星')}&format=svg`)
      .set('Accept', 'image/svg+xml');
    expect(expectProblem(unknown, 400).errors![0]).toMatchObject({ name: 'regions', message: expect.stringContaining('火星') });
    const noChart = await request(t.http).get('/v1/regions?format=svg');
    expectProblem(noChart, 400);
    const notOffered = await request(t.http).get('/v1/regions').set('Accept', 'image/svg+xml');
    expectProblem(notOffered, 406);
    const badPage = await request(t.http).get('/v1/rankings/smb_outreach.loans_disbursed_cumulative?format=svg&page=0');
    expectProblem(badPage, 400);
  });

  it('draws a ranking as bars in rank order with the baseline named, and revisions and availability', async () => {
    const ranking = await fetchText('/v1/rankings/smb_outreach.loans_disbursed_cumulative?format=svg&lang=zh');
    expect(ranking.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(marksOf(ranking.text, 'bar').map((bar) => bar.split(':')[0])).toEqual(['1. 浙江省', '2. 江苏省']);
    // The national 12.6万亿元 is off the scale of two provinces' bars: said, not drawn.
    expect(ranking.text).toContain('全国 12.6万亿元: 超出图幅，未画出');

    const revisions = (await request(t.http).get('/v1/observations?region=330000&indicator=smb_outreach.loans_disbursed_cumulative').expect(200)).body as {
      data: { id: number }[];
    };
    const id = revisions.data[0].id;
    const history = (await request(t.http).get(`/v1/observations/${id}/revisions?lang=en`).expect(200)).body as {
      region: { code: string };
      indicator: { code: string };
      data: { display: string; quote: string }[];
    };
    expect(history).toMatchObject({ region: { code: '330000' }, indicator: { code: 'smb_outreach.loans_disbursed_cumulative' } });
    expect(history.data[0].display).toBe('6.5 trillion yuan');
    const steps = dataOf(await specOf(`/v1/observations/${id}/revisions?format=vega-lite`));
    expect(steps).toHaveLength(history.data.length);
    expect(steps[0].citation).toContain(history.data[0].quote);
    const revisionSvg = await fetchText(`/v1/observations/${id}/revisions?format=svg`);
    expect(marksOf(revisionSvg.text, 'point')[0]).toContain(history.data[0].quote);
    const revisionCsv = records((await request(t.http).get(`/v1/observations/${id}/revisions?format=csv`).expect(200)).text);
    expect(revisionCsv[0]).toMatchObject({ observation_id: String(id), region_code: '330000', display: '6.5 trillion yuan' });

    const grid = `/v1/availability?region=${encodeURIComponent('浙江,江苏,CN')}&topic=smb_outreach`;
    const availability = (await request(t.http).get(grid).expect(200)).body as { regions: { code: string }[]; indicators: { code: string }[]; data: unknown[] };
    expect(availability.regions.map((r) => r.code)).toEqual(['330000', '320000', 'CN']);
    const cells = dataOf(await specOf(`${grid}&format=vega-lite`));
    // The whole grid, empty pairs included, so a reader sees what is missing.
    expect(cells).toHaveLength(availability.regions.length * availability.indicators.length);
    expect(cells.filter((cell) => cell.count === 0).length).toBe(cells.length - availability.data.length);
    const gridCsv = records((await request(t.http).get(`${grid}&format=csv`).expect(200)).text);
    expect(gridCsv).toHaveLength(cells.length);
    const gridSvg = await fetchText(`${grid}&format=svg`);
    expect(gridSvg.text.match(/aria-roledescription="rect mark"/g)).toHaveLength(cells.length);
  });
});
