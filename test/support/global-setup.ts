import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServerHandle } from '../../src/database/embedded-postgres.js';

declare global {
  var testPostgres: { server: EmbeddedServerHandle; dir: string } | undefined;
}

/**
 * One PostgreSQL for the whole run: the server at TEST_DATABASE_URL when set, otherwise an
 * embedded one in a temporary directory. Each test file creates its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-finance-test-'));
  // The server runs as an unprivileged user, which must be able to reach its data directory.
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata') });
  globalThis.testPostgres = { server, dir };
  process.env.TEST_ADMIN_DATABASE_URL = server.url('postgres');
}
