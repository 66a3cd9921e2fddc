import { runScript } from '../support/processes.js';

// The schema the migrations build, committed as schema.sql: every change to it shows in review, triggers and all, in one file.
describe('schema.sql', () => {
  it('matches the schema the migrations build (run npm run schema after adding a migration)', async () => {
    const result = await runScript('src/cli/schema.js', process.env.SCHEMA_DATABASE_URL ? { SCHEMA_DATABASE_URL: process.env.SCHEMA_DATABASE_URL } : {}, ['--check']);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('schema.sql matches the migrations');
    expect(result.code).toBe(0);
  });
});
