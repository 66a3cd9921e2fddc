import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A command's arguments, checked before anything else runs: `--help` (or `-h`) prints what the
 * command does and its usage, and exits 0; a mistake in how it was called is one line saying what
 * is wrong, then the usage line, and exit code 2, before any database is touched.
 */
export function commandLine<T extends ParseArgsConfig>(usage: string, about: string, config: T) {
  const fail = (problem: string): never => {
    console.error(`${problem}\nusage: ${usage}`);
    process.exit(2);
  };
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`${about}\n\nusage: ${usage}`);
    process.exit(0);
  }
  try {
    return { ...parseArgs(config), fail };
  } catch (error) {
    return fail((error as Error).message);
  }
}
