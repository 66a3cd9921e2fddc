import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createApiKey } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { dailyVisitedRows } from '../support/synthetic-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Rows of a CSV answer (the byte-order mark and header row included in the parse). */
const records = (text: string): Record<string, string>[] => parse(text.replace(/^\uFEFF/, ''), { columns: true });

describe('downloads: a CSV or NDJSON listing holds every matching row', () => {
  let t: TestApp;
  /** The JSON listing's ids, in its order, read page by page as a client would. */
  const listedIds = async (filter: string) => {
    const ids: number[] = [];
    for (let url: string | null = `/v1/observations?${filter}&pageSize=200`; url;) {
      const page = (await request(t.http).get(url).expect(200)).body as { data: { id: number }[]; links: { next: string | null } };
      ids.push(...page.data.map((o) => o.id));
      url = page.links.next;
    }
    return ids;
  };

  beforeAll(async () => {
    t = await startTestApp('downloads');
    // More figures of one series than a download reads in one statement, so it must continue by keyset.
    const key = await createApiKey(t.database.url, 'downloads');
    const batch = { observations: dailyVisitedRows(6_000, '1950-01-01', (i) => i + 1, 'download test') };
    await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send(batch).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers format=csv with every matching row, in the listing order, not one page', async () => {
    const ids = await listedIds('sort=region,indicator,-asOf');
    expect(ids.length).toBeGreaterThan(6_000);
    const csv = await request(t.http).get('/v1/observations?format=csv').expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(records(csv.text).map((row) => Number(row.id))).toEqual(ids);
  });

  it('answers ndjson (format or Accept) with one object per line, the same rows as JSON', async () => {
    const filter = 'region=330000&indicator=smb_outreach.enterprises_visited&sort=asOf';
    const ids = await listedIds(filter);
    for (const [query, headers] of [
      [`${filter}&format=ndjson&lang=zh`, {}],
      [`${filter}&lang=zh`, { accept: 'application/x-ndjson' }],
    ] as const) {
      const response = await fetch(`${t.http}/v1/observations?${query}`, { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      const lines = (await response.text()).split('\n');
      expect(lines.pop()).toBe('');
      const rows = lines.map((line) => JSON.parse(line) as { id: number; display: string });
      expect(rows.map((row) => row.id)).toEqual(ids);
      // Each row is the JSON listing's, decorated alike: the first synthetic figure printed 1 万家.
      expect(rows[0].display).toBe('1万家');
    }
  });

  it('writes the header row when nothing matches', async () => {
    const csv = await request(t.http).get('/v1/observations?region=330000&to=1000-01-01&format=csv').expect(200);
    expect(csv.text.split('\r\n')).toEqual([expect.stringMatching(/^\uFEFFregion,indicator,asOf,/), '']);
    const ndjson = await fetch(`${t.http}/v1/observations?region=330000&to=1000-01-01&format=ndjson`);
    expect([ndjson.status, await ndjson.text()]).toEqual([200, '']);
  });

  it('refuses paging parameters in a download rather than cut it', async () => {
    const body = expectProblem(await request(t.http).get('/v1/observations?format=csv&pageSize=10&page=2'), 400);
    expect(body.errors!.map((e) => e.name).sort()).toEqual(['page', 'pageSize']);
    expect(body.errors![0].message).toContain('every matching row');
  });

  it('answers a ranking as CSV with every region ranked, not one page', async () => {
    const url = '/v1/rankings/smb_outreach.loans_disbursed_cumulative?level=province';
    const { body } = await request(t.http).get(`${url}&pageSize=1`).expect(200);
    expect(body.entries).toHaveLength(1);
    expect(body.meta.total).toBeGreaterThan(1);
    const csv = await request(t.http).get(`${url}&format=csv`).expect(200);
    // Every region ranked, then the national baseline's line.
    expect(records(csv.text).map((line) => line.role)).toEqual([...Array<string>(body.meta.total).fill('ranked'), 'national baseline']);
    expect(expectProblem(await request(t.http).get(`${url}&format=csv&pageSize=1`), 400).errors![0].name).toBe('pageSize');
  });
});
