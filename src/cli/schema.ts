import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../config/paths.js';
import { createDataSource } from '../database/data-source.js';
import { commandLine } from './command-line.js';
import { writeOrCheck } from './generated-file.js';

// pg_dump must match the server's major version, so both are the system's PostgreSQL (SCHEMA_DATABASE_URL), not the embedded one.
const { values } = commandLine(
  'npm run schema -- [--check]',
  'Migrates a scratch database and writes its schema to schema.sql; with --check, fails when the committed file differs.',
  { options: { check: { type: 'boolean', default: false } } },
);
const server = process.env.SCHEMA_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const file = path.join(projectRoot, 'schema.sql');

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** pg_dump's schema, without what changes from one dump to the next (versions, settings, comments, blank runs). */
function normalize(dump: string): string {
  const lines = dump.split('\n').filter((line) => !line.startsWith('--') && !/^SET |^SELECT pg_catalog\.set_config|^\\(un)?restrict /.test(line));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

const name = `rf_schema_${randomBytes(4).toString('hex')}`;
await admin(`CREATE DATABASE ${name}`);
let schema: string;
try {
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = createDataSource(url.toString(), { poolSize: 1 });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await db.destroy();
  schema = normalize(
    execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', '--exclude-table=schema_migrations', '--exclude-table=schema_migrations_id_seq', url.toString()], {
      encoding: 'utf8',
    }),
  );
} finally {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

writeOrCheck(file, schema, values.check, 'the migrations', 'npm run schema');
