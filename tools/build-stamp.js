// `npm start` builds only when the app's sources changed since the last build: `check` exits 0 when
// dist is newer than every input, 1 otherwise; `write` marks a finished build. Plain JavaScript,
// since it runs before anything is compiled.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const STAMP = 'dist/.build-stamp';
/** What the running app is compiled or read from; tests, benchmarks and docs are not. */
const INPUTS = ['src', 'explorer', 'migrations', 'openapi.json', 'package-lock.json', 'tsconfig.json', 'nest-cli.json'];

const newest = (file) => {
  const stat = statSync(file);
  return stat.isDirectory() ? Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newest(path.join(file, name)))) : stat.mtimeMs;
};

const mode = process.argv[2];
if (mode === 'write') writeFileSync(STAMP, `${new Date().toISOString()}\n`);
else if (mode === 'check') process.exit(existsSync(STAMP) && statSync(STAMP).mtimeMs >= Math.max(...INPUTS.filter((input) => existsSync(input)).map(newest)) ? 0 : 1);
else {
  process.stderr.write('usage: node tools/build-stamp.js check|write\n');
  process.exit(2);
}
