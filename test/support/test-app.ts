import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { prepareDatabase } from '../../src/database/prepare.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** The Node HTTP server supertest talks to. */
  http: ReturnType<NestFastifyApplication['getHttpServer']>;
  db: DataSource;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on its own database, migrated and seeded exactly as `npm start` does it. */
export async function startTestApp(label: string, options: { seed?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase(label);
  const app = await createApp({ databaseUrl: database.url, poolSize: 4, logLevel: false });
  await app.getHttpAdapter().getInstance().ready();
  const db = app.get(DataSource);
  await prepareDatabase(db, { migrate: true, seed: options.seed ?? true, log: () => undefined });
  return {
    app,
    http: app.getHttpServer(),
    db,
    database,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
