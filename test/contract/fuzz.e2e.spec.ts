import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../src/config/paths.js';
import { createApiKey } from '../support/api-keys.js';
import { Contract } from '../support/contract.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Property-based fuzzing from the OpenAPI document: every operation, every parameter, valid values,
 * boundaries, wrong types and hostile strings. Never a 5xx; every answer is what the document says;
 * the data is the same afterwards. FUZZ_SEED replays a run, FUZZ_RUNS sizes it.
 */
type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema: { type?: string; enum?: string[]; example?: unknown; minimum?: number; maximum?: number } };
type Operation = { parameters?: Parameter[]; requestBody?: unknown };
const document = JSON.parse(readFileSync(path.join(projectRoot, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, operation]) => ({ method, route, operation })));
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

/** Values that exist in the seed, by parameter name, so valid requests reach the code behind the checks. */
const KNOWN: Record<string, string[]> = {
  code: ['330000', 'CN', '浙江', 'Zhejiang', '320500', 'smb_outreach.enterprises_visited'],
  regionCode: ['330100', '340100', '110000'],
  region: ['330000', '330000,320000', 'CN'],
  regions: ['330000,320000', '110000,310000,320100,330100,330400,340100,370100', '浙江,江苏'],
  zones: ['370100,340100,330400'],
  indicator: ['smb_outreach.enterprises_visited', 'smb_outreach.loans_disbursed_cumulative', 'smb_outreach.credit_granted_per_visited'],
  indicators: ['smb_outreach.enterprises_visited,smb_outreach.loans_disbursed_cumulative'],
  id: ['1', '2', '95', 'pilot-zones', '002_caa4a03adb5becde'],
  parent: ['320000', '330000'],
  regionSet: ['pilot-zones', 'yangtze-river-delta', 'provinces'],
  topic: ['smb_outreach', 'scitech_loans'],
  level: ['province', 'city', 'district', 'nation'],
  lang: ['en', 'zh'],
  normalizeTo: ['亿元', 'billion-yuan', '万家'],
  format: ['json', 'csv'],
  align: ['latest-each', 'common-latest', 'exact'],
  asOf: ['2026-04-30', '2025-12-31'],
  from: ['2025-01-01'],
  to: ['2026-12-31'],
  since: ['0', '120'],
  sort: ['-asOf', 'value,-id'],
  kind: ['loan_product', 'platform'],
  latest: ['true', 'false'],
  vintage: ['2026-11-01T00:00:00Z'],
  updatedSince: ['2026-11-01T00:00:00Z'],
  page: ['1', '2'],
  pageSize: ['1', '200'],
  limit: ['1', '100'],
};

const HOSTILE = [
  "' OR 1=1 --",
  '1; DROP TABLE observations; --',
  "330000' UNION SELECT secret_hash FROM api_keys --",
  '{"$gt":""}',
  '{"__proto__":{"admin":true}}',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '....//',
  '/etc/passwd',
  '\\windows\\system32',
  '%00',
  '\u0000',
  'a\u0000b',
  '\u202Eevil\u202C',
  '浙江省\u200F江苏',
  'שלום',
  'مرحبا',
  '🀄️🇨🇳',
  '\uD800',
  '\uDFFF',
  'x'.repeat(300),
  'y'.repeat(9000),
  '-1',
  '0',
  '-0',
  '1e309',
  '99999999999999999999',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  ',,,',
  ' ',
  '',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31T25:61:61Z',
  '330000,'.repeat(60),
  '%',
  '%zz',
  '+',
  '&',
  '=',
  '#',
  '?',
];

/** Percent-encodes anything, lone surrogates included (as the invalid UTF-8 they would be). */
function encode(value: string): string {
  return [...value]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff)
        return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
      return encodeURIComponent(ch);
    })
    .join('');
}

function valueFor(parameter: Parameter): fc.Arbitrary<string> {
  const { schema } = parameter;
  const good = [
    ...(KNOWN[parameter.name] ?? []),
    ...(schema.enum ?? []),
    ...(typeof schema.example === 'string' || typeof schema.example === 'number' ? [String(schema.example)] : []),
  ];
  const bounds =
    schema.type === 'number' || schema.type === 'integer'
      ? [schema.minimum, schema.maximum, (schema.minimum ?? 0) - 1, (schema.maximum ?? 0) + 1].filter((v): v is number => v !== undefined).map(String)
      : [];
  return fc.oneof(
    { weight: 4, arbitrary: good.length ? fc.constantFrom(...good) : fc.constant('1') },
    { weight: 1, arbitrary: bounds.length ? fc.constantFrom(...bounds) : fc.constant('0') },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
  );
}

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const readCall = fc
  .constantFrom(...operations.filter((o) => o.method === 'get'))
  .chain(({ route, operation }) => {
    const parameters = operation.parameters ?? [];
    const pathParameters = parameters.filter((p) => p.in === 'path');
    const query = parameters.filter((p) => p.in === 'query');
    return fc.record({
      route: fc.constant(route),
      path: fc.tuple(...pathParameters.map(valueFor)).map((values) => pathParameters.reduce((url, p, i) => url.replace(`{${p.name}}`, encode(values[i])), route)),
      query: query.length
        ? fc.subarray(query).chain((chosen) => fc.tuple(...chosen.map((p) => valueFor(p).map((v) => [p.name, v] as const))))
        : fc.constant([] as (readonly [string, string])[]),
      extra: fc.option(
        fc.constantFrom(['regoin', '330000'] as const, ['page', '1'] as const, ['lang', 'en'] as const, ['__proto__', 'x'] as const, ['a'.repeat(300), '1'] as const),
        { nil: undefined },
      ),
      // Mostly what clients send, so most requests reach the handlers; now and then what no endpoint serves (406).
      accept: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom('application/json', '*/*', 'text/html,application/xhtml+xml,*/*;q=0.8') },
        { weight: 1, arbitrary: fc.constantFrom('text/csv', 'application/xml', 'application/problem+json', 'text/html') },
      ),
      language: fc.constantFrom('en', 'zh-CN', 'zh;q=0.9, en;q=0.8', 'xx-YY', '*', '\u00e9'),
    });
  })
  .map(({ path: pathname, query, extra, accept, language }): Call => {
    const pairs = [...query, ...(extra ? [extra] : [])];
    const search = pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
    return { method: 'GET', url: search ? `${pathname}?${search}` : pathname, headers: { accept, 'accept-language': language.replace(/[^\x20-\x7e]/g, '') || 'en' } };
  });

const seededRow = {
  region: '330000',
  indicator: 'smb_outreach.enterprises_visited',
  asOf: '2026-04-30',
  asOfPrecision: 'month',
  asOfInferred: false,
  value: 5_960_000,
  valuePrinted: '596',
  unitPrinted: '万家',
  qualifier: 'exact',
  source: '002_caa4a03adb5becde',
  quote: '截至2026年4月末，浙江已组织走访企业596万家',
};
const writeCall = (key: string) =>
  fc
    .record({
      body: fc.oneof(
        fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
        fc
          .record({
            field: fc.constantFrom(...Object.keys(seededRow), 'retract', 'extra', '__proto__'),
            value: fc.oneof(fc.constantFrom(...HOSTILE), fc.anything({ maxDepth: 1 })),
          })
          .map(({ field, value }) => JSON.stringify({ observations: [{ ...seededRow, [field]: value }] })),
        fc.constantFrom('{', '{"observations":', 'null', '[]', '"text"', '{"observations":[]}', '{"observations":{"0":1}}', `{"observations":[${'1,'.repeat(2000)}1]}`),
      ),
      authorization: fc.constantFrom(`Bearer ${key}`, `Bearer ${key}`, `Bearer ${key}`, '', 'Bearer ', `Bearer ${key}x`, 'Basic Og=='),
      contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded'),
      idempotencyKey: fc.option(fc.constantFrom('k1', 'x'.repeat(300), '\u00e9'), { nil: undefined }),
    })
    .map(({ body, authorization, contentType, idempotencyKey }): Call => ({
      method: 'POST',
      // A body that happens to be valid is still only a dry run: the property is that the data stays as it was.
      url: '/v1/sync/batches?dryRun=true',
      headers: {
        'content-type': contentType,
        ...(authorization ? { authorization } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey.replace(/[^\x20-\x7e]/g, '_') } : {}),
      },
      body,
    }));

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let db: pg.Client;
  let key: string;
  const contract = new Contract(document as never);
  beforeAll(async () => {
    t = await startTestApp('fuzz');
    key = await createApiKey(t.database.url, 'fuzz');
    db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const TABLES = [
    'observations',
    'latest_observations',
    'regions',
    'topics',
    'sources',
    'indicators',
    'indicator_comparisons',
    'programs',
    'pilot_zones',
    'pilot_zone_distinctions',
    'data_version',
  ];
  const dump = async () => {
    const parts: Record<string, unknown> = {};
    for (const table of TABLES) parts[table] = (await db.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
    parts.revisions = (await db.query(`SELECT count(*)::int AS n, max(id)::int AS last FROM observation_revisions`)).rows;
    parts.changes = (await db.query(`SELECT count(*)::int AS n FROM observation_changes`)).rows;
    return JSON.stringify(parts);
  };

  it(`never answers 5xx, answers as the document says, and changes no data (${RUNS} requests, seed ${SEED})`, async () => {
    const before = await dump();
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 5, arbitrary: readCall }, { weight: 1, arbitrary: writeCall(key) }), async (call) => {
        const response = await fetch(`${t.http}${call.url}`, { method: call.method, headers: call.headers, body: call.body, redirect: 'manual' });
        const text = await response.text();
        const status = response.status;
        seen.set(String(status), (seen.get(String(status)) ?? 0) + 1);
        const contentType = response.headers.get('content-type') ?? '';
        if (status >= 500) throw new Error(`${call.method} ${call.url} answered ${status}: ${text.slice(0, 500)}`);
        if (status >= 400 && !contentType.startsWith('application/problem+json')) throw new Error(`${call.method} ${call.url} answered ${status} as ${contentType}`);
        if (status === 304) return;
        const body = contentType.includes('json') ? JSON.parse(text) : text;
        // An empty path segment makes another URL (/v1/regions/ is the list, /v1/regions//profile no route at all).
        const url = call.url.replace(/\/(?=\?|$)/, '');
        if (!contract.template(url)) {
          if (status !== 404) throw new Error(`${call.method} ${call.url} is no route of the document but answered ${status}`);
          return;
        }
        const problems = contract.check(call.method, url, status, contentType, body);
        if (problems.length) throw new Error(`${call.method} ${call.url} (${status}): ${problems.slice(0, 3).join('; ')}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`fuzz: ${RUNS} requests, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
    expect(seen.get('200')).toBeGreaterThan(RUNS / 10);
    expect(await dump()).toBe(before);
  }, 600_000);
});
