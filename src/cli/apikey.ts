import { parseArgs } from 'node:util';
import { ApiKeysService, SCOPES, type Scope } from '../auth/api-keys.service.js';
import { withDatabase } from './with-database.js';

// npm run apikey -- create --name etl --scope sync:write | list | revoke --name etl
const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } } });
const [command] = positionals;

await withDatabase(async (db) => {
  const keys = new ApiKeysService(db);
  if (command === 'create') {
    const scopes = (values.scope ?? ['sync:write']) as Scope[];
    const unknown = scopes.filter((s) => !SCOPES.includes(s));
    if (!values.name) throw new Error('create needs --name');
    if (unknown.length) throw new Error(`unknown scope ${unknown.join(', ')}; scopes are ${SCOPES.join(', ')}`);
    const { key, info } = await keys.create(values.name, scopes);
    console.log(`Created API key "${info.name}" with scopes ${info.scopes.join(', ')}. It is shown only this once:\n${key}`);
  } else if (command === 'list') {
    for (const k of await keys.list()) {
      console.log(`${k.name}\trfa_${k.prefix}_…\t${k.scopes.join(',')}\tcreated ${new Date(k.createdAt).toISOString()}\t${k.revokedAt ? 'revoked' : 'active'}`);
    }
  } else if (command === 'revoke') {
    if (!values.name) throw new Error('revoke needs --name');
    if (!(await keys.revoke(values.name))) throw new Error(`no active key named "${values.name}"`);
    console.log(`Revoked API key "${values.name}"`);
  } else {
    throw new Error('usage: npm run apikey -- create --name NAME [--scope sync:write] | list | revoke --name NAME');
  }
});
