import { runScript } from '../support/processes.js';

// Every contract change shows in review: the committed openapi.json must be what the code produces.
describe('openapi.json', () => {
  it('matches the document the code generates (run npm run openapi after changing the API)', async () => {
    const result = await runScript('src/cli/openapi.js', {}, ['--check']);
    expect(result.stderr).not.toContain('out of date');
    expect(result.code).toBe(0);
  });
});
