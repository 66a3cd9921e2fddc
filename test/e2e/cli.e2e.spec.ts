import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { projectRoot } from '../../src/config/paths.js';
import { createApiKey, secretOf } from '../support/api-keys.js';
import { expectProblem } from '../support/problem.js';
import { runScript } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('command-line tools', () => {
  let t: TestApp;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-cli-'));
  beforeAll(async () => (t = await startTestApp('cli')));
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (script: string, args: string[]) => runScript(`src/cli/${script}.js`, { DATABASE_URL: t.database.url }, args);

  it('creates, lists and revokes API keys; a revoked key is refused at once', async () => {
    const key = await createApiKey(t.database.url, 'cli-etl');
    const reader = await createApiKey(t.database.url, 'cli-reader', 'sync:read');
    await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send({ observations: [] }).expect(201);

    const listed = await cli('apikey', ['list']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines.find((line) => line.startsWith('cli-etl\t'))).toMatch(/^cli-etl\trfa_[0-9a-f]{8}_…\tsync:write\tcreated \d{4}-\d\d-\d\dT[\d:.]+Z\tactive$/);
    expect(lines.find((line) => line.startsWith('cli-reader\t'))).toContain('\tsync:read\t');
    expect(listed.stdout).not.toContain(secretOf(key));

    const revoked = await cli('apikey', ['revoke', '--name', 'cli-etl']);
    expect([revoked.code, revoked.stdout.trim()]).toEqual([0, 'Revoked API key "cli-etl"']);
    expect((await cli('apikey', ['list'])).stdout).toMatch(/^cli-etl\t.*\trevoked$/m);
    expectProblem(await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${key}`).send({ observations: [] }), 401);
    expectProblem(await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${reader}`).send({ observations: [] }), 403);

    const again = await cli('apikey', ['revoke', '--name', 'cli-etl']);
    expect([again.code, again.stderr.trim()]).toEqual([1, 'no active key named "cli-etl"']);

    // A name in use is refused in one line (no SQL, no hash); a revoked key's name may be given again.
    const taken = await cli('apikey', ['create', '--name', 'cli-reader']);
    expect([taken.code, taken.stderr.trim()]).toEqual([1, 'An API key named "cli-reader" is in use; revoke it first, or choose another name.']);
    const rotated = await createApiKey(t.database.url, 'cli-etl');
    await request(t.http).post('/v1/sync/batches').set('Authorization', `Bearer ${rotated}`).send({ observations: [] }).expect(201);
  });

  it.each(['apikey', 'migrate', 'seed', 'sync', 'openapi', 'schema'])('%s --help says what it does and how to call it, does nothing else, exit 0', async (script) => {
    // No database answers at this address: --help must not need one, nor run the command.
    for (const flag of ['--help', '-h']) {
      const result = await runScript(`src/cli/${script}.js`, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, [flag]);
      expect([result.code, result.stderr]).toEqual([0, '']);
      const [about, blank, usage, ...rest] = result.stdout.trim().split('\n');
      expect(about.length).toBeGreaterThan(20);
      expect([blank, rest]).toEqual(['', []]);
      expect(usage).toMatch(new RegExp(`^usage: npm run ${script}\\b`));
    }
  });

  it.each([
    ['apikey', [], 'name a command: create, list or revoke'],
    ['apikey', ['delete'], 'unknown command "delete"'],
    ['apikey', ['create'], 'create needs --name'],
    ['apikey', ['create', '--name', 'x', '--scope', 'admin'], 'unknown scope admin; scopes are sync:write, sync:read'],
    ['apikey', ['list', '--colour'], "Unknown option '--colour'"],
    ['migrate', ['--backwards'], "Unknown option '--backwards'"],
    ['seed', ['again'], "Unexpected argument 'again'"],
    ['sync', [], '--file is needed'],
    ['sync', ['--file', 'x.csv', '--batch-rows', '0'], '--batch-rows must be a whole number from 1 to 50,000 (got "0")'],
    ['sync', ['--file', 'x.csv', '--batch-rows', 'abc'], '--batch-rows must be a whole number from 1 to 50,000 (got "abc")'],
    ['sync', ['--file', 'x.csv', '--batch-rows', '1.5'], '--batch-rows must be a whole number from 1 to 50,000 (got "1.5")'],
    ['sync', ['--file', 'x.csv', '--batch-rows', '50001'], '--batch-rows must be a whole number from 1 to 50,000 (got "50001")'],
    ['openapi', ['--write'], "Unknown option '--write'"],
  ])('%s %j: says what is wrong and how to call it, exit 2, before touching any database', async (script, args, problem) => {
    // No database answers at this address: a usage error must not need one.
    const result = await runScript(`src/cli/${script}.js`, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, args);
    expect(result.code).toBe(2);
    const [first, usage, ...rest] = result.stderr.trim().split('\n');
    expect(first).toContain(problem);
    expect(usage).toMatch(new RegExp(`^usage: npm run ${script}\\b`));
    expect(rest).toEqual([]);
    expect(result.stdout).toBe('');
  });

  it('syncs a batch from an http URL once, dry run first', async () => {
    const batch = {
      observations: [
        {
          region: '320000',
          indicator: 'smb_outreach.entities_visited',
          asOf: '2010-04-30',
          asOfPrecision: 'month',
          asOfInferred: false,
          value: 5_010_000,
          valuePrinted: '501',
          unitPrinted: '万户',
          qualifier: 'exact',
          source: '002_caa4a03adb5becde',
          quote: 'cli http test',
        },
      ],
    };
    // The source wants Basic credentials and a token, both in its URL: they must work, and never be shown.
    const basic = `Basic ${Buffer.from('etl:s3cret-pass').toString('base64')}`;
    const server = http.createServer((req, res) =>
      req.url === '/batch.json?token=tok-abc123' && req.headers.authorization === basic
        ? res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(batch))
        : res.writeHead(404).end(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const url = `http://etl:s3cret-pass@127.0.0.1:${port}/batch.json?token=tok-abc123`;
    const served = () => request(t.http).get('/v1/observations?region=320000&indicator=smb_outreach.entities_visited&from=2010-04-30&to=2010-04-30').expect(200);
    try {
      const dry = await cli('sync', ['--file', url, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('checked (dry run, nothing written)');
      expect(dry.stdout).toContain('observations: 1 created, 0 updated, 0 unchanged');
      expect((await served()).body.data).toEqual([]);
      const real = await cli('sync', ['--file', url]);
      expect(real.code).toBe(0);
      expect(real.stdout).toContain('observations: 1 created');
      expect((await served()).body.data.map((o: { value: number }) => o.value)).toEqual([5_010_000]);
      for (const output of [dry.stdout, dry.stderr, real.stdout, real.stderr]) expect(output).not.toMatch(/s3cret|tok-abc/);
      const reader = await createApiKey(t.database.url, 'cli-log-reader', 'sync:read');
      const logged = (await request(t.http).get('/v1/sync/batches?pageSize=1').set('Authorization', `Bearer ${reader}`).expect(200)).body.data[0];
      expect(logged).toMatchObject({ origin: 'cli', sourceName: `http://redacted@127.0.0.1:${port}/batch.json?token=redacted`, status: 'applied' });
      const anonymous = (await request(t.http).get('/v1/sync/batches?pageSize=1').expect(200)).body.data[0];
      expect(anonymous).toEqual({
        id: logged.id,
        origin: 'cli',
        status: 'applied',
        dryRun: false,
        receivedAt: logged.receivedAt,
        finishedAt: logged.finishedAt,
        counts: logged.counts,
      });
    } finally {
      server.close();
    }
  });

  it('writes the OpenAPI document where it is told, the same the committed one holds, and checks a file against the code', async () => {
    const out = path.join(dir, 'openapi.json');
    const written = await runScript('src/cli/openapi.js', {}, ['--out', out]);
    expect(written.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(projectRoot, 'openapi.json'), 'utf8'));
    expect((await runScript('src/cli/openapi.js', {}, ['--check', '--out', out])).code).toBe(0);
    writeFileSync(out, readFileSync(out, 'utf8').replace('"Regional', '"Provincial'));
    const stale = await runScript('src/cli/openapi.js', {}, ['--check', '--out', out]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('is out of date with the code');
  });
});
