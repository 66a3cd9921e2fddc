import createClient from 'openapi-fetch';
import type { paths } from './api.js';

/**
 * How a frontend team consumes the API: a client typed from the committed openapi.json.
 * Lists the provinces, compares Zhejiang with Jiangsu on small-business outreach, prints the warnings.
 * Run: API_URL=http://localhost:3000 node dist/examples/client/compare.js
 */
// JSON bodies: the endpoints that also speak CSV document it as text, and the client is told which one it reads.
const client = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl: process.env.API_URL ?? 'http://localhost:3000' });

const regions = await client.GET('/v1/regions', { params: { query: { level: 'province', pageSize: 50 } } });
if (!regions.data) throw new Error(`listing regions failed: ${regions.error?.detail}`);
console.log(`Provinces with figures: ${regions.data.data.map((r) => `${r.nameEn} (${r.code})`).join(', ')}`);

const comparison = await client.GET('/v1/compare', { params: { query: { regions: '330000,320000', topic: 'smb_outreach', lang: 'en' } } });
if (!comparison.data) throw new Error(`compare failed: ${comparison.error?.detail}`);
for (const row of comparison.data.rows) {
  const cells = row.cells.map((cell) => `${cell.region}: ${cell.observation?.display ?? 'no figure'}`).join('  |  ');
  console.log(`${row.indicator.nameEn}: ${cells}${row.summary.ratio !== null ? `  (ratio ${row.summary.ratio.toFixed(3)})` : ''}`);
}
for (const warning of comparison.data.warnings) console.log(`warning ${warning.code}: ${warning.messageEn}`);
