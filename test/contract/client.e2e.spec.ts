import { runScript } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The example consumer is typed from the committed openapi.json and compiled with the project, so a
// change that breaks its types fails the build; here it runs against the live app.
describe('the typed example client', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp('client')));
  afterAll(() => t.close());

  it('lists regions, compares Zhejiang with Jiangsu and prints the warnings', async () => {
    const result = await runScript('examples/client/compare.js', { API_URL: t.http });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Provinces with figures: .*Zhejiang \(330000\)/m);
    expect(result.stdout).toContain('Enterprises visited: 330000: 5.96 million  |  320000: 4.94 million  (ratio 1.206)');
    expect(result.stdout).toContain('Cumulative loans disbursed: 330000: 6.5 trillion yuan  |  320000: 3.95 trillion yuan');
    expect(result.stdout).toMatch(/^warning DEFINITION_MISMATCH: .*sole proprietors/m);
  });
});
