import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('GET /llms.txt', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('llms')));
  afterAll(() => t.close());

  it('says what the API holds and how to ask it, in step with the API: every link answers, every tool and topic is named', async () => {
    const response = await request(t.http).get('/llms.txt').expect(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    const text = response.text;
    expect(text).toMatch(/^# Regional sci-tech and small-business finance figures \(China\)\n\n> /);
    expect(text).toContain('DEFINITION_MISMATCH');
    // Every link it gives works.
    const links = [...text.matchAll(/\]\((\/[^)\s]*)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThanOrEqual(7);
    for (const link of links) expect([link, (await request(t.http).get(link)).status]).toEqual([link, 200]);
    // Every topic and every MCP tool is listed.
    const topics = (await request(t.http).get('/v1/topics').expect(200)).body as { data: { code: string }[] };
    for (const topic of topics.data) expect(text).toContain(`- ${topic.code}: `);
    const tools = await request(t.http).post('/mcp').set('Accept', 'application/json, text/event-stream').send({ jsonrpc: '2.0', id: 1, method: 'tools/list' }).expect(200);
    for (const tool of (tools.body as { result: { tools: { name: string }[] } }).result.tools) expect(text).toContain(`- ${tool.name} (`);
  });
});
