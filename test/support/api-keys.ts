import { runScript } from './processes.js';

/** Creates an API key with the project's own CLI, as an operator would, and returns it. */
export async function createApiKey(databaseUrl: string, name: string, scopes: string | string[] = 'sync:write'): Promise<string> {
  const result = await runScript('src/cli/apikey.js', { DATABASE_URL: databaseUrl }, ['create', '--name', name, ...[scopes].flat().flatMap((scope) => ['--scope', scope])]);
  const key = result.stdout.trim().split('\n').at(-1)!;
  if (result.code !== 0 || !key.startsWith('rfa_')) throw new Error(`apikey create failed: ${result.stderr}${result.stdout}`);
  return key;
}

/** The secret part of a key (rfa_<prefix>_<secret>); the secret is base64url, so it may itself hold "_". */
export function secretOf(key: string): string {
  const secret = /^rfa_[0-9a-f]{8}_(.+)$/.exec(key)?.[1];
  if (!secret) throw new Error(`not an API key: ${key}`);
  return secret;
}
