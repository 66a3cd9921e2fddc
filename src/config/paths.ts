import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The repository root, whether running from src/ (ts) or dist/src/ (compiled). */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

export const seedsDir = path.join(projectRoot, 'seeds');

/** The source documents live beside the repository, never inside it. */
export function sourcesDir(override?: string): string {
  return override ? path.resolve(override) : path.resolve(projectRoot, '..', 'shared', 'sources');
}
