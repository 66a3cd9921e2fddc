import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../app.factory.js';
import { projectRoot } from '../config/paths.js';
import { buildOpenApiDocument } from '../http/openapi.js';
import { commandLine } from './command-line.js';

// npm run openapi: write openapi.json (or --out FILE) from the code; --check fails when the committed file differs.
const { values } = commandLine('npm run openapi -- [--check] [--out FILE]', { options: { check: { type: 'boolean', default: false }, out: { type: 'string' } } });
const file = values.out ? path.resolve(values.out) : path.join(projectRoot, 'openapi.json');
const app = await createApp({ databaseUrl: 'postgres://offline@127.0.0.1:1/offline', offline: true, logLevel: false });
const document = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
await app.close();

if (values.check) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    /* a missing file differs */
  }
  if (committed !== document) {
    console.error(`${path.relative(process.cwd(), file) || file} is out of date with the code: run npm run openapi and commit the result.`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), file) || file} matches the code`);
} else {
  writeFileSync(file, document);
  console.log(`Wrote ${path.relative(process.cwd(), file) || file}`);
}
