import { withDatabase } from './with-database.js';

// npm run migrate [-- --revert]: apply pending migrations, or revert the last one.
await withDatabase(async (db) => {
  if (process.argv.includes('--revert')) {
    await db.undoLastMigration({ transaction: 'each' });
    console.log('Reverted the last migration');
    return;
  }
  const applied = await db.runMigrations({ transaction: 'each' });
  console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations');
});
