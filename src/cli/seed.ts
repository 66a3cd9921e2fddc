import { describeSeedResult, loadSeed } from '../seed/seed-loader.js';
import { commandLine } from './command-line.js';
import { withDatabase } from './with-database.js';

commandLine('npm run seed', 'Loads seeds/ into the database (idempotent; prints what changed).', { options: {} });

await withDatabase(async (db) => {
  if (await db.showMigrations()) throw new Error('Migrations are pending: run npm run migrate first');
  console.log(describeSeedResult(await loadSeed(db)));
});
