import 'reflect-metadata';
import path from 'node:path';
import { createApp } from '../app.factory.js';
import { projectRoot } from '../config/paths.js';
import { buildOpenApiDocument } from '../http/openapi.js';
import { commandLine } from './command-line.js';
import { writeOrCheck } from './generated-file.js';

const { values } = commandLine(
  'npm run openapi -- [--check] [--out FILE]',
  'Writes openapi.json (or --out FILE) from the code; with --check, fails when the committed file differs.',
  { options: { check: { type: 'boolean', default: false }, out: { type: 'string' } } },
);
const file = values.out ? path.resolve(values.out) : path.join(projectRoot, 'openapi.json');
const app = await createApp({ databaseUrl: 'postgres://offline@127.0.0.1:1/offline', offline: true, logLevel: false });
const document = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
await app.close();

writeOrCheck(file, document, values.check, 'the code', 'npm run openapi');
