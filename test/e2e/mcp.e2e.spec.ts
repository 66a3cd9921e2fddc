import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Ajv } from 'ajv';
import request from 'supertest';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ZJ_LOANS_QUOTE = '截至2026年4月末，浙江已组织走访企业596万家，纳入推荐清单数量172万家，其中147万家已获得授信支持，累放贷款6.5万亿元';
type Text = { type: string; text: string };

describe('the MCP server at /mcp, through the SDK client', () => {
  let t: TestApp;
  let client: Client;
  beforeAll(async () => {
    t = await startTestApp('mcp');
    client = new Client({ name: 'mcp-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${t.http}/mcp`)));
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    return { ...result, text: (result.content as Text[]).map((c) => c.text).join('\n') } as { isError?: boolean; text: string; structuredContent?: Record<string, unknown> };
  };

  it('lists six read-only tools whose input schemas are valid JSON Schemas, made from the REST parameters', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['compare_regions', 'find_regions', 'get_figure', 'list_indicators', 'rank_regions', 'region_profile']);
    const ajv = new Ajv({ strict: false });
    const document = (await request(t.http).get('/openapi.json').expect(200)).body as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint).toBe(true);
      expect(() => ajv.compile(tool.inputSchema)).not.toThrow();
      expect(tool.inputSchema.type).toBe('object');
    }
    // compare_regions takes what GET /v1/compare takes, but the format of a download or a chart.
    const compare = tools.find((tool) => tool.name === 'compare_regions')!;
    const restParameters = document.paths['/v1/compare'].get.parameters.map((p) => p.name).filter((name) => !['format', 'shape'].includes(name));
    expect(Object.keys(compare.inputSchema.properties!).sort()).toEqual(restParameters.sort());
    expect(tools.find((tool) => tool.name === 'rank_regions')!.inputSchema.required).toEqual(['indicator']);
  });

  it('compares 浙江 with 江苏 on smb_outreach: the REST answer, its quotes, and the warnings stated first', async () => {
    const result = await call('compare_regions', { regions: '浙江,江苏', topic: 'smb_outreach', lang: 'zh' });
    expect(result.isError).toBeFalsy();
    const rest = (
      await request(t.http)
        .get(`/v1/compare?regions=${encodeURIComponent('浙江,江苏')}&topic=smb_outreach&lang=zh`)
        .expect(200)
    ).body as object;
    expect(result.structuredContent).toEqual(rest);
    const rows = result.structuredContent!.rows as { indicator: { code: string }; cells: { region: string; observation: { value: number; quote: string } | null }[] }[];
    const loans = rows.find((row) => row.indicator.code === 'smb_outreach.loans_disbursed_cumulative')!;
    expect(loans.cells.map((cell) => [cell.region, cell.observation?.value])).toEqual([
      ['330000', 6.5e12],
      ['320000', 3.95e12],
    ]);
    expect(loans.cells[0].observation!.quote).toBe(ZJ_LOANS_QUOTE);
    expect((result.structuredContent!.warnings as { code: string }[]).map((w) => w.code)).toContain('DEFINITION_MISMATCH');
    // The text says the warnings before any number.
    const lines = result.text.split('\n');
    expect(lines[0]).toMatch(/^注意（\d+）：$/);
    expect(result.text.indexOf('DEFINITION_MISMATCH')).toBeLessThan(result.text.indexOf('6.5万亿元'));
    expect(result.text).toContain('经营主体');
    expect(result.text).toContain(ZJ_LOANS_QUOTE);
  });

  it('answers every other tool with the REST answer and a summary', async () => {
    const regions = await call('find_regions', { q: 'Zhejiang' });
    expect(regions.text).toContain('330000 浙江省 (Zhejiang, province)');
    const indicators = await call('list_indicators', { topic: 'smb_outreach' });
    expect(indicators.text).toContain('smb_outreach.enterprises_visited');
    const ranking = await call('rank_regions', { indicator: 'smb_outreach.loans_disbursed_cumulative', level: 'province' });
    expect(ranking.text).toMatch(/1\. Zhejiang 6\.5 trillion yuan/);
    expect(ranking.text.split('\n')[0]).toMatch(/^Warnings \(\d+\):$/);
    const profile = await call('region_profile', { code: '330000', lang: 'zh' });
    expect(profile.text).toContain('浙江省:');
    const id = (ranking.structuredContent!.entries as { observation: { id: number } }[])[0].observation.id;
    const figure = await call('get_figure', { id });
    expect(figure.structuredContent).toMatchObject({ id, revisions: { observationId: id } });
    expect(figure.text).toContain(ZJ_LOANS_QUOTE);
  });

  it('answers bad input to every tool with a tool error naming the problem, never a transport failure', async () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['find_regions', { level: 'planet' }, /level must be one of/],
      ['list_indicators', { topic: 'nowhere' }, /topic/],
      ['compare_regions', { regions: '浙江,火星' }, /no region matches "火星"/],
      ['rank_regions', { indicator: 'no.such_indicator' }, /no.such_indicator/],
      ['rank_regions', {}, /rank_regions needs indicator/],
      ['region_profile', { code: '999999' }, /999999/],
      ['get_figure', { id: 'abc' }, /id/],
      ['compare_regions', { regions: '330000', bogus: 1 }, /"bogus" is not a known parameter/],
      ['no_such_tool', {}, /There is no tool "no_such_tool"/],
    ];
    for (const [name, args, says] of bad) {
      const result = await call(name, args);
      expect([name, result.isError, result.text]).toEqual([name, true, expect.stringMatching(says)]);
    }
  });

  it('offers the sources and the indicator catalog as resources', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['regional-finance://indicators', 'regional-finance://sources']);
    const sources = await client.readResource({ uri: 'regional-finance://sources' });
    expect((sources.contents[0] as { text: string }).text).toContain('002_caa4a03adb5becde.txt');
  });

  it('opens no stream: GET and DELETE are 405 with Allow: POST', async () => {
    for (const method of ['get', 'delete'] as const) {
      const response = await request(t.http)[method]('/mcp');
      expectProblem(response, 405);
      expect(response.headers.allow).toContain('POST');
      expect(response.headers.allow).not.toContain('GET');
    }
  });
});

describe('the MCP server under the REST rate limit', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('mcp_limit', { RATE_LIMIT_PER_MINUTE: '4' })));
  afterAll(() => t.close());

  it('counts each message as one request, however many reads its tool makes', async () => {
    const message = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_figure', arguments: { id: 1 } } });
    const statuses: number[] = [];
    for (let id = 1; id <= 6; id++) {
      const response = await request(t.http).post('/mcp').set('Accept', 'application/json, text/event-stream').send(message(id));
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});
