import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvToRows } from '../catalog/csv.js';
import { decodeText } from '../catalog/encoding.js';
import { redactCredentials } from '../config/redact.js';
import { rowReaderOf, SNAPSHOT_TABLES, type SnapshotTable } from '../snapshots/data-package.js';
import { fetchSource } from '../sync/pull.service.js';
import type { CsvPart } from './batches.js';
import { sendInParts } from './batches.js';

/** How long one file of a snapshot may take to arrive. */
const DOWNLOAD_TIMEOUT_MS = 60 * 60_000;

interface Resource {
  name: string;
  path: string;
  bytes?: number;
  hash?: string;
}

/** A snapshot's files, each checked against its descriptor's size and sha256, on this machine. */
export interface CheckedSnapshot {
  files: { table: SnapshotTable; file: string }[];
  /** Removes what was downloaded. */
  cleanUp(): Promise<void>;
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

/**
 * Reads a snapshot's datapackage.json (a path or an http(s) URL) and brings each file it lists to
 * this machine, checking its size and sha256 as it comes: a file that differs from what the
 * descriptor says (cut short, or written after it) stops the load before anything is written.
 */
export async function checkSnapshot(source: string): Promise<CheckedSnapshot> {
  const shown = redactCredentials(source);
  let descriptorText: string;
  let base: string;
  if (isUrl(source)) {
    const response = await fetchSource(source);
    descriptorText = await response.text();
    // Files are named relative to where the descriptor was found, after any redirect (latest → a day).
    const found = new URL(response.url);
    const given = new URL(source);
    [found.username, found.password] = [given.username, given.password];
    base = found.toString();
  } else {
    descriptorText = await readFile(source, 'utf8');
    base = path.resolve(source);
  }
  let resources: Resource[];
  try {
    resources = (JSON.parse(descriptorText) as { resources: Resource[] }).resources;
    if (!Array.isArray(resources)) throw new Error('it lists no resources');
  } catch (error) {
    throw new Error(`${shown} is not a data package descriptor: ${(error as Error).message}`, { cause: error });
  }
  const unknown = resources.filter((resource) => !SNAPSHOT_TABLES.some((table) => table.name === resource.name)).map((resource) => resource.name);
  if (unknown.length) throw new Error(`${shown} lists resources this API does not hold: ${unknown.join(', ')}`);

  const directory = await mkdtemp(path.join(os.tmpdir(), 'regional-finance-snapshot-'));
  try {
    const files: CheckedSnapshot['files'] = [];
    for (const table of SNAPSHOT_TABLES) {
      const resource = resources.find((candidate) => candidate.name === table.name);
      if (!resource) continue;
      // A plain file name only: a descriptor may not point outside its own directory (the Frictionless rule).
      if (!/^[\w.-]+$/.test(resource.path) || resource.path.startsWith('..')) throw new Error(`${shown}: resource ${resource.name} has path "${resource.path}", not a file name`);
      const local = path.join(directory, resource.path);
      const where = isUrl(base) ? redactCredentials(new URL(resource.path, base).toString()) : path.join(path.dirname(base), resource.path);
      const body = isUrl(base)
        ? Readable.fromWeb((await fetchSource(new URL(resource.path, base).toString(), DOWNLOAD_TIMEOUT_MS)).body as never)
        : createReadStream(path.join(path.dirname(base), resource.path));
      const hash = createHash('sha256');
      let bytes = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(body, measure, createWriteStream(local));
      const sha256 = `sha256:${hash.digest('hex')}`;
      if (resource.bytes !== undefined && resource.bytes !== bytes) throw new Error(`${where} has ${bytes} bytes; the descriptor says ${resource.bytes}`);
      if (resource.hash !== undefined && resource.hash !== sha256) throw new Error(`${where} has ${sha256}; the descriptor says ${resource.hash}`);
      files.push({ table, file: local });
    }
    return { files, cleanUp: () => rm(directory, { recursive: true, force: true }) };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** The catalog of a checked snapshot (every file but the figures), as one batch. */
export async function catalogBatch(snapshot: CheckedSnapshot): Promise<Record<string, unknown[]>> {
  const batch: Record<string, unknown[]> = {};
  for (const { table, file } of snapshot.files) {
    if (table.name === 'observations') continue;
    const { rows } = csvToRows(decodeText(await readFile(file)), rowReaderOf(table));
    if (rows.length) batch[table.name] = rows;
  }
  return batch;
}

/** Sends the figures of a checked snapshot in parts of `partRows`. */
export function sendFigures(snapshot: CheckedSnapshot, partRows: number, send: (part: CsvPart) => Promise<boolean>) {
  const figures = snapshot.files.find(({ table }) => table.name === 'observations');
  if (!figures) return Promise.resolve({ accepted: true, rows: 0, parts: 0 });
  return sendInParts(createReadStream(figures.file), rowReaderOf(figures.table), partRows, send);
}
