import { describeSeedResult, loadSeed } from '../seed/seed-loader.js';
import { withDatabase } from './with-database.js';

// npm run seed: load seeds/ into the database (idempotent; prints what changed).
await withDatabase(async (db) => {
  if (await db.showMigrations()) throw new Error('Migrations are pending: run npm run migrate first');
  console.log(describeSeedResult(await loadSeed(db)));
});
