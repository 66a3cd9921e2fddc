import { startMain, type RunningApp } from './processes.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  /** Base URL of the running service, for supertest. */
  http: string;
  database: TestDatabase;
  process: RunningApp;
  close(): Promise<void>;
}

/**
 * The real service, started as `npm start` starts it (node dist/src/main.js), on its own fresh
 * database: migrated and seeded at start-up. Tests talk to it over HTTP only.
 */
export async function startTestApp(label: string, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(label);
  try {
    // Tests send many requests from one address; the rate limit has its own test.
    const running = await startMain({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '4', RATE_LIMIT_PER_MINUTE: '1000000', ...env });
    return {
      http: running.baseUrl,
      database,
      process: running,
      async close() {
        await running.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
