import { defineConfig } from 'vite';

// The explorer is static files the API serves from dist/explorer (after nest build, which empties dist).
export default defineConfig({
  // Run from the repository's root (npm run build:explorer).
  root: 'explorer',
  base: '/',
  build: { outDir: '../dist/explorer', emptyOutDir: true, target: 'es2022', reportCompressedSize: true },
  logLevel: 'warn',
});
