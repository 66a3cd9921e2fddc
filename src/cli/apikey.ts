import { ApiKeysService, SCOPES, type Scope } from '../auth/api-keys.service.js';
import { commandLine } from './command-line.js';
import { withDatabase } from './with-database.js';

const { positionals, values, fail } = commandLine(
  'npm run apikey -- create --name NAME [--scope SCOPE]... | list | revoke --name NAME',
  'Creates an API key (printed once; scopes sync:write, the default, and sync:read), lists keys, or revokes one by name.',
  {
    allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } },
  },
);
const [command, ...extra] = positionals;
if (!['create', 'list', 'revoke'].includes(command)) fail(command ? `unknown command "${command}"` : 'name a command: create, list or revoke');
if (extra.length) fail(`unexpected argument "${extra[0]}"`);
if (command !== 'list' && !values.name) fail(`${command} needs --name`);
const scopes = (values.scope ?? ['sync:write']) as Scope[];
const unknown = scopes.filter((s) => !SCOPES.includes(s));
if (unknown.length) fail(`unknown scope ${unknown.join(', ')}; scopes are ${SCOPES.join(', ')}`);

await withDatabase(async (db) => {
  const keys = new ApiKeysService(db);
  if (command === 'create') {
    const { key, info } = await keys.create(values.name!, scopes);
    console.log(`Created API key "${info.name}" with scopes ${info.scopes.join(', ')}. It is shown only this once:\n${key}`);
  } else if (command === 'list') {
    for (const k of await keys.list()) {
      console.log(`${k.name}\trfa_${k.prefix}_…\t${k.scopes.join(',')}\tcreated ${new Date(k.createdAt).toISOString()}\t${k.revokedAt ? 'revoked' : 'active'}`);
    }
  } else {
    if (!(await keys.revoke(values.name!))) throw new Error(`no active key named "${values.name}"`);
    console.log(`Revoked API key "${values.name}"`);
  }
});
