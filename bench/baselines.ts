import Fastify from 'fastify';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { HISTORY_SQL, LEVEL_RANKING_SQL, NEWEST_SQL, RANKING_SQL, REGION_NEWEST_SQL } from '../src/figures/figures.sql.js';
import { PROFILE_RECORD_SQL } from '../src/regions/regions.sql.js';

/**
 * Baseline 1: the HTTP floor, a plain Fastify route; and `/copy?url=…`, the body the app answered at
 * that URL (fetched once, kept as bytes, and with `gzip=true` gzipped): the floor for sending an
 * answer as large as the app's.
 */
export async function startHello(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify();
  app.get('/hello', async () => ({ hello: 'world' }));
  const bodies = new Map<string, { type: string; body: Buffer; gzip: Buffer }>();
  app.get<{ Querystring: { url: string; gzip?: string } }>('/copy', async (request, reply) => {
    const { url } = request.query;
    if (!bodies.has(url)) {
      const response = await fetch(url);
      const body = Buffer.from(await response.arrayBuffer());
      // The app's own compression (zlib's default level), so the same stream as it sends.
      bodies.set(url, { type: response.headers.get('content-type')!, body, gzip: gzipSync(body) });
    }
    const { type, body, gzip } = bodies.get(url)!;
    if (request.query.gzip === 'true') return reply.type(type).header('content-encoding', 'gzip').send(gzip);
    return reply.type(type).send(body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/**
 * Baseline 2: a minimal Fastify + pg server running the statements the app runs (imported, not
 * copied) for a cold profile, compare and ranking, and returning their rows as they come.
 */
export async function startFastifyPg(databaseUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const indicators = (await pool.query<{ code: string }>(`SELECT code FROM indicators WHERE kind = 'measured'`)).rows.map((r) => r.code);
  // A derived value's inputs (numerator, denominator and the denominator's comparable indicators), whose history the app reads.
  const inputs = (
    await pool.query<{ code: string }>(
      `SELECT numerator_code AS code FROM indicators WHERE kind = 'derived'
       UNION SELECT denominator_code FROM indicators WHERE kind = 'derived'
       UNION SELECT c.comparable_code FROM indicator_comparisons c JOIN indicators d ON d.denominator_code = c.indicator_code
       UNION SELECT c.indicator_code FROM indicator_comparisons c JOIN indicators d ON d.denominator_code = c.comparable_code`,
    )
  ).rows.map((r) => r.code);
  // The app keeps the nation's series per data version (the baselines of profiles and rankings): read once here too.
  const national = (await pool.query(HISTORY_SQL, [['CN'], null])).rows as { indicatorCode: string }[];
  const app = Fastify();
  // A profile is its record, its newest figures and its derived values' inputs, read side by side.
  app.get<{ Params: { code: string } }>('/profile/:code', async (request) => {
    const { code } = request.params;
    const [record, figures, history] = await Promise.all([
      pool.query(PROFILE_RECORD_SQL, [code]),
      pool.query(REGION_NEWEST_SQL, [code]),
      pool.query(HISTORY_SQL, [[code], inputs]),
    ]);
    const shown = new Set(figures.rows.map((f: { indicatorCode: string }) => f.indicatorCode));
    return { data: [record.rows, figures.rows, history.rows, national.filter((f) => shown.has(f.indicatorCode))] };
  });
  // Compare of every indicator: the regions' newest figures and their derived values' inputs.
  app.get<{ Querystring: { regions: string; indicators?: string } }>('/compare', async (request) => {
    const regions = request.query.regions.split(',');
    const [newest, history] = await Promise.all([
      pool.query(NEWEST_SQL, [regions, request.query.indicators?.split(',') ?? indicators]),
      pool.query(HISTORY_SQL, [regions, inputs]),
    ]);
    return { data: newest.rows, inputs: history.rows };
  });
  // As the app chooses: a whole level from the ranks kept with the newest figures, anything else ranked on the spot.
  app.get<{ Params: { indicator: string }; Querystring: { level?: string } }>('/ranking/:indicator', async (request) => ({
    data: (request.query.level
      ? await pool.query(LEVEL_RANKING_SQL, [request.params.indicator, request.query.level, 0, 50, 1])
      : await pool.query(RANKING_SQL, [request.params.indicator, null, null, null, 0, 50, 1])
    ).rows,
    national: national.filter((f) => f.indicatorCode === request.params.indicator),
  }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

/**
 * Run as a script (node dist/bench/baselines.js DATABASE_URL), the baselines get a process of their
 * own, as the app has: the benchmark's load generator must not share their event loop.
 */
if (process.argv[1]?.endsWith('baselines.js') && process.argv[2]) {
  const [hello, fastifyPg] = [await startHello(), await startFastifyPg(process.argv[2])];
  console.log(JSON.stringify({ hello: hello.url, fastifyPg: fastifyPg.url }));
  process.on('SIGTERM', () => void Promise.all([hello.close(), fastifyPg.close()]).then(() => process.exit(0)));
}
