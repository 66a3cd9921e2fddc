import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/config.js';
import { createDataSource } from '../database/data-source.js';
import { openDatabaseServer } from '../database/database-server.js';

/**
 * Runs a command-line task against the configured database: DATABASE_URL, or the embedded server,
 * attaching to it when the app is already running it.
 */
export async function withDatabase(task: (db: DataSource) => Promise<void>): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // A tool's own output is what it prints; the log says only what LOG_LEVEL asks for (debug detail, such as a failed statement, on request).
  const levels: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  Logger.overrideLogger(levels.slice(0, levels.indexOf(config.LOG_LEVEL as LogLevel) + 1));
  const server = await openDatabaseServer(config);
  const db = createDataSource(server.url, { poolSize: 2 });
  let exitCode = 0;
  try {
    await db.initialize();
    await task(db);
  } catch (error) {
    console.error((error as Error).message);
    exitCode = 1;
  } finally {
    if (db.isInitialized) await db.destroy();
    await server.stop();
  }
  process.exit(exitCode || Number(process.exitCode ?? 0));
}
