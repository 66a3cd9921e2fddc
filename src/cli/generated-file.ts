import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A file generated from the code and committed (openapi.json, schema.sql): written, or with `check`
 * compared with what is committed, exiting 1 when they differ so a test catches the drift.
 */
export function writeOrCheck(file: string, content: string, check: boolean, source: string, command: string): void {
  const name = path.relative(process.cwd(), file) || file;
  if (!check) {
    writeFileSync(file, content);
    console.log(`Wrote ${name}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    /* a missing file differs */
  }
  if (committed !== content) {
    console.error(`${name} is out of date with ${source}: run ${command} and commit the result.`);
    process.exit(1);
  }
  console.log(`${name} matches ${source}`);
}
