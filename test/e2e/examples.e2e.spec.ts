import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Examples = Record<string, { summary: string; value: unknown }>;

// The OpenAPI document's worked examples are abbreviated real responses: each must still hold.
describe('OpenAPI worked examples', () => {
  let t: TestApp;
  let examples: [string, { summary: string; value: unknown }][];
  beforeAll(async () => {
    t = await startTestApp('examples');
    const { body } = await request(t.http).get('/openapi.json').expect(200);
    examples = ['/v1/compare', '/v1/rankings/{indicator}', '/v1/pilot-zones/compare'].flatMap((path) =>
      Object.entries(body.paths[path].get.responses['200'].content['application/json'].examples as Examples),
    );
  });
  afterAll(() => t.close());

  it('documents the worked examples', () => {
    expect(examples.map(([name]) => name).sort()).toEqual(['jinanHefeiJiaxing', 'provinces', 'zhejiangVsJiangsuOutreach']);
  });

  it('matches what the service answers today', async () => {
    for (const [, example] of examples) {
      const url = example.summary.replace(/^GET /, '');
      const { body } = await request(t.http).get(url).expect(200);
      expect(body).toMatchObject(example.value as object);
    }
  });
});
