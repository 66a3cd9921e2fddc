import request from 'supertest';
import { readSeedCatalog } from '../../src/seed/seed-loader.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const catalog = readSeedCatalog();
type Item = { id: number; region: { code: string }; indicator: { code: string; topic: string }; asOf: string; value: number; reporter: string | null; [key: string]: unknown };

describe('/v1/observations', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('observations')));
  afterAll(() => t.close());

  const list = async (
    query: string,
  ): Promise<{ data: Item[]; meta: { total: number; page: number; pageSize: number; totalPages: number }; links: Record<string, string | null> }> =>
    (await request(t.http).get(`/v1/observations?${query}`).expect(200)).body;

  it('serves every seeded figure with its unit, date, qualifier and citation', async () => {
    const page = await list('pageSize=200');
    expect(page.meta.total).toBe(catalog.observations.length);
    const item = page.data[0];
    expect(Object.keys(item).sort()).toEqual(
      [
        'asOf',
        'asOfInferred',
        'asOfPrecision',
        'createdAt',
        'display',
        'id',
        'indicator',
        'note',
        'periodStart',
        'program',
        'qualifier',
        'quote',
        'region',
        'reporter',
        'scope',
        'source',
        'unit',
        'unitPrinted',
        'updatedAt',
        'value',
        'valuePrinted',
      ].sort(),
    );
    for (const o of page.data) {
      expect(typeof o.value).toBe('number');
      expect(o.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(o.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect((o.source as { fileName: string }).fileName).toMatch(/\.txt$/);
      expect(typeof o.quote).toBe('string');
    }
  });

  it('serves figures as the documents print them (expected values written out by hand)', async () => {
    const page = await list('pageSize=200');
    expect(page.meta.total).toBe(103);
    const find = (region: string, indicator: string) => page.data.find((o) => o.region.code === region && o.indicator.code === indicator && o.reporter === null);
    // 截至2026年4月末，浙江已组织走访企业596万家 … 累放贷款6.5万亿元
    expect(find('330000', 'smb_outreach.enterprises_visited')).toMatchObject({ value: 5_960_000, asOf: '2026-04-30', qualifier: 'exact', unitPrinted: '万家' });
    expect(find('330000', 'smb_outreach.loans_disbursed_cumulative')).toMatchObject({ value: 6_500_000_000_000, unit: 'CNY' });
    // 江苏全省已走访经营主体494万户 (dated by the page graphic's heading)
    expect(find('320000', 'smb_outreach.entities_visited')).toMatchObject({ value: 4_940_000, asOf: '2026-04-30', asOfInferred: true });
    // 全省科技贷款余额超过5万亿元
    expect(find('320000', 'scitech_loans.scitech_loan_balance')).toMatchObject({ value: 5_000_000_000_000, qualifier: 'more_than', asOf: '2025-09-30' });
  });

  it('serves Zhejiang enterprises visited as printed (万家) and normalized to a count', async () => {
    const seeded = catalog.observations.find((o) => o.region === '330000' && o.indicator === 'smb_outreach.enterprises_visited')!;
    const page = await list('region=330000&indicator=smb_outreach.enterprises_visited');
    const served = page.data.find((o) => o.asOf === seeded.asOf && o.reporter === null)!;
    expect(served).toMatchObject({
      value: seeded.value,
      valuePrinted: seeded.valuePrinted,
      unitPrinted: '万家',
      unit: 'count',
      qualifier: seeded.qualifier,
      quote: seeded.quote,
      scope: 'region',
    });
    expect(served.value).toBe(Number(seeded.valuePrinted) * 1e4);
  });

  it('filters by a comma list of regions and of indicators', async () => {
    const page = await list('region=330000,320000&pageSize=200');
    expect(page.meta.total).toBe(catalog.observations.filter((o) => ['330000', '320000'].includes(o.region)).length);
    expect(new Set(page.data.map((o) => o.region.code))).toEqual(new Set(['330000', '320000']));

    const indicators = ['smb_outreach.enterprises_visited', 'smb_outreach.entities_visited'];
    const byIndicator = await list(`indicator=${indicators.join(',')}&pageSize=200`);
    expect(byIndicator.meta.total).toBe(catalog.observations.filter((o) => indicators.includes(o.indicator)).length);
  });

  it('filters by topic and by source', async () => {
    const topicOf = new Map(catalog.indicators.map((i) => [i.code, i.topic]));
    const page = await list('topic=smb_outreach&pageSize=200');
    expect(page.meta.total).toBe(catalog.observations.filter((o) => topicOf.get(o.indicator) === 'smb_outreach').length);
    for (const o of page.data) expect(o.indicator.topic).toBe('smb_outreach');

    const source = catalog.sources[2].id;
    const bySource = await list(`source=${source}&pageSize=200`);
    expect(bySource.meta.total).toBe(catalog.observations.filter((o) => o.source === source).length);
  });

  it('filters by as-of dates, both ends inclusive', async () => {
    const page = await list('from=2025-01-01&to=2025-12-31&pageSize=200');
    const expected = catalog.observations.filter((o) => o.asOf >= '2025-01-01' && o.asOf <= '2025-12-31');
    expect(page.meta.total).toBe(expected.length);
    const day = expected[0].asOf;
    const exact = await list(`from=${day}&to=${day}&pageSize=200`);
    expect(exact.meta.total).toBe(catalog.observations.filter((o) => o.asOf === day).length);
  });

  it('latest=true keeps the newest figure per region, indicator and reporter', async () => {
    const newest = new Map<string, string>();
    for (const o of catalog.observations) {
      const key = `${o.region}|${o.indicator}|${o.reporter ?? ''}`;
      if (!newest.has(key) || newest.get(key)! < o.asOf) newest.set(key, o.asOf);
    }
    const page = await list('latest=true&pageSize=200');
    expect(page.meta.total).toBe(newest.size);
    for (const o of page.data) expect(o.asOf).toBe(newest.get(`${o.region.code}|${o.indicator.code}|${o.reporter ?? ''}`));

    const bounded = await list('latest=true&to=2025-06-30&pageSize=200');
    for (const o of bounded.data) expect(o.asOf <= '2025-06-30').toBe(true);
  });

  it('sorts by the requested keys', async () => {
    const byValue = await list('sort=-value&pageSize=200');
    const values = byValue.data.map((o) => o.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const byDate = await list('sort=asOf,id&pageSize=200');
    const dates = byDate.data.map((o) => o.asOf);
    expect(dates).toEqual([...dates].sort());
  });

  it('pages through every figure exactly once', async () => {
    const seen = new Set<number>();
    let next: string | null = '/v1/observations?pageSize=7';
    while (next) {
      const page: { data: Item[]; links: { next: string | null } } = (await request(t.http).get(next).expect(200)).body;
      for (const o of page.data) seen.add(o.id);
      next = page.links.next;
    }
    expect(seen.size).toBe(catalog.observations.length);
  });

  it('pages by cursor in any sort order: every figure once, in order, with the total of the first page', async () => {
    for (const sort of ['-value', 'asOf', 'indicator,-region']) {
      const first = await list(`sort=${sort}&pageSize=9`);
      expect(first.links.next).toMatch(/cursor=/);
      expect(first.links.next).not.toMatch(/[?&]page=/);
      const rows: Item[] = [...first.data];
      let next = first.links.next;
      let page = 1;
      while (next) {
        const body = (await request(t.http).get(next).expect(200)).body;
        expect(body.meta).toMatchObject({ page: ++page, total: catalog.observations.length });
        rows.push(...body.data);
        next = body.links.next;
      }
      expect(rows).toHaveLength(catalog.observations.length);
      expect(new Set(rows.map((o) => o.id)).size).toBe(rows.length);
      const offsetPaged = await list(`sort=${sort}&pageSize=200`);
      expect(rows.map((o) => o.id)).toEqual(offsetPaged.data.map((o) => o.id));
    }
  });

  it('refuses a cursor it did not issue, or one from another sort order', async () => {
    const garbage = expectProblem(await request(t.http).get('/v1/observations?cursor=bm90LWEtY3Vyc29y'), 400);
    expect(garbage.errors![0]).toMatchObject({ name: 'cursor', message: expect.stringContaining('links.next') });
    const next = (await list('sort=-value&pageSize=5')).links.next!;
    const cursor = new URL(next, 'http://x').searchParams.get('cursor');
    const otherSort = expectProblem(await request(t.http).get(`/v1/observations?cursor=${cursor}&sort=asOf`), 400);
    expect(otherSort.errors![0].message).toContain('sorted by -value');
  });

  it('returns one figure by id, and 404 for an unknown id', async () => {
    const [first] = (await list('pageSize=1')).data;
    const one = await request(t.http).get(`/v1/observations/${first.id}`).expect(200);
    expect(one.body).toEqual(first);
    const body = expectProblem(await request(t.http).get('/v1/observations/987654321'), 404);
    expect(body.detail).toContain('987654321');
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999999999999'])('answers 400, not 500, for the id %s', async (id) => {
    const body = expectProblem(await request(t.http).get(`/v1/observations/${id}`), 400);
    expect(body.errors?.[0]).toMatchObject({ location: 'path', name: 'id' });
  });

  it('names unknown region and indicator codes instead of returning nothing', async () => {
    const body = expectProblem(await request(t.http).get('/v1/observations?region=330000,110119&indicator=nope.nothing&topic=astrology&source=missing'), 400);
    const byName = Object.fromEntries((body.errors ?? []).map((e) => [e.name, e.message]));
    expect(byName.region).toContain('110119');
    expect(byName.region).not.toContain('330000');
    expect(byName.indicator).toContain('nope.nothing');
    expect(byName.topic).toContain('astrology');
    expect(byName.source).toContain('missing');
  });

  it.each([
    ['from=2025-02-30', 'from'],
    ['to=yesterday', 'to'],
    ['from=2026-01-01&to=2025-01-01', 'from'],
    ['latest=yes', 'latest'],
    ['sort=colour', 'sort'],
    ['pageSize=201', 'pageSize'],
    ['page=0', 'page'],
    ['region=Zhejang', 'region'],
    ['indicator=NOT A CODE', 'indicator'],
    ['unknown=1', 'unknown'],
  ])('rejects %s with a 400 naming %s', async (query, name) => {
    const body = expectProblem(await request(t.http).get(`/v1/observations?${query}`), 400);
    expect(body.errors?.map((e) => e.name)).toContain(name);
  });

  it('suggests the parameter a misspelt one was meant to be', async () => {
    const body = expectProblem(await request(t.http).get('/v1/observations?regoin=330000&pagesize=5'), 400);
    const byName = Object.fromEntries((body.errors ?? []).map((e) => [e.name, e.message]));
    expect(byName.regoin).toContain('did you mean "region"');
    expect(byName.pagesize).toContain('did you mean "pageSize"');
  });

  it('lists every problem of a bad query at once', async () => {
    const body = expectProblem(await request(t.http).get('/v1/observations?from=2025-13-01&pageSize=0&sort=x'), 400);
    expect(body.errors?.map((e) => e.name).sort()).toEqual(['from', 'pageSize', 'sort']);
  });
});
