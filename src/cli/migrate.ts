import { commandLine } from './command-line.js';
import { withDatabase } from './with-database.js';

const { values } = commandLine('npm run migrate [-- --revert]', 'Applies pending migrations, or with --revert undoes the last one.', {
  options: { revert: { type: 'boolean', default: false } },
});

await withDatabase(async (db) => {
  if (values.revert) {
    await db.undoLastMigration({ transaction: 'each' });
    console.log('Reverted the last migration');
    return;
  }
  const applied = await db.runMigrations({ transaction: 'each' });
  console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations');
});
