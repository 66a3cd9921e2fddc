import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import path from 'node:path';
import { projectRoot } from '../config/paths.js';

/** Where `npm run build` puts the explorer (Vite's build of explorer/). */
export const EXPLORER_ROOT = path.join(projectRoot, 'dist', 'explorer');

/**
 * The explorer page at /: static files from the build, served by the API itself (no second
 * server). Only the files the build wrote are routes, so any other path is still the API's 404.
 * The page is revalidated on every visit; its assets carry a content hash in their names, so they
 * are kept for a year.
 */
export async function registerExplorer(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyStatic, {
    root: EXPLORER_ROOT,
    prefix: '/',
    wildcard: false,
    index: 'index.html',
    cacheControl: false,
    setHeaders: (response, file) => {
      response.header('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
