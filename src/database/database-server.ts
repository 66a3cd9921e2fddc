import path from 'node:path';
import type { AppConfig } from '../config/config.js';
import { projectRoot } from '../config/paths.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface DatabaseServer {
  url: string;
  /** 'external' for DATABASE_URL, 'embedded' when this process started the server, 'attached' when another process did. */
  mode: 'external' | 'embedded' | 'attached';
  stop(): Promise<void>;
}

const APP_DATABASE = 'regional_finance';

/**
 * DATABASE_URL when set; otherwise the embedded server for EMBEDDED_PG_DATA_DIR, attaching to it
 * when another process (the app, a CLI) already runs it, so tools never start a second server.
 */
export async function openDatabaseServer(config: AppConfig, log: (line: string) => void = () => undefined): Promise<DatabaseServer> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, mode: 'external', stop: async () => undefined };

  const server = await startEmbeddedPostgres({
    dataDir: path.resolve(projectRoot, config.EMBEDDED_PG_DATA_DIR),
    port: config.EMBEDDED_PG_PORT,
    settings: config.EMBEDDED_PG_SETTINGS,
    log,
  });
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [APP_DATABASE]);
    if (!rowCount) {
      // Another process may create it between the check and here; that is fine.
      await admin.query(`CREATE DATABASE ${APP_DATABASE}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await admin.end();
  }
  return { url: server.url(APP_DATABASE), mode: server.owned ? 'embedded' : 'attached', stop: () => server.stop() };
}
