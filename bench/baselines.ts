import Fastify from 'fastify';
import pg from 'pg';

/** The SQL under GET /v1/regions/{code}/profile: a region's newest figure per indicator, as JSON rows. */
export const PROFILE_SQL = `
  SELECT DISTINCT ON (o.indicator_code, o.reporter) o.indicator_code, o.reporter, o.as_of, o.value, o.value_printed, o.unit_printed, o.qualifier, o.quote
    FROM published_observations o
   WHERE o.region_code = $1
   ORDER BY o.indicator_code, o.reporter, o.as_of DESC`;

/** The SQL under GET /v1/compare: regional totals of the compared regions and indicators. */
export const COMPARE_SQL = `
  SELECT o.id, o.region_code, o.indicator_code, o.as_of, o.value, o.qualifier, o.quote
    FROM published_observations o
   WHERE o.region_code = ANY ($1) AND o.reporter IS NULL AND ($2::text[] IS NULL OR o.indicator_code = ANY ($2))
   ORDER BY o.as_of`;

/** Baseline 1: the HTTP floor, a plain Fastify route. */
export async function startHello(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify();
  app.get('/hello', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Baseline 2: a minimal Fastify + pg server running the same SQL as profile and compare. */
export async function startFastifyPg(databaseUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const app = Fastify();
  app.get<{ Params: { code: string } }>('/profile/:code', async (request) => ({ data: (await pool.query(PROFILE_SQL, [request.params.code])).rows }));
  app.get<{ Querystring: { regions: string; indicators?: string } }>('/compare', async (request) => ({
    data: (await pool.query(COMPARE_SQL, [request.query.regions.split(','), request.query.indicators?.split(',') ?? null])).rows,
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
