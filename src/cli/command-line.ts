import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A command's arguments, checked before anything else runs: a mistake in how it was called is one
 * line saying what is wrong, then the usage line, and exit code 2, before any database is touched.
 */
export function commandLine<T extends ParseArgsConfig>(usage: string, config: T) {
  const fail = (problem: string): never => {
    console.error(`${problem}\nusage: ${usage}`);
    process.exit(2);
  };
  try {
    return { ...parseArgs(config), fail };
  } catch (error) {
    return fail((error as Error).message);
  }
}
