import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { AppConfig, loadConfig, OPTIONAL_SETTINGS } from '../../src/config/config.js';
import { projectRoot } from '../../src/config/paths.js';

interface ComposeService {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
}

// No Docker engine runs where the tests run: check the file against the app's configuration instead.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const { db, api } = compose.services;

  it('has a PostgreSQL service and the API built from the Dockerfile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'db']);
    expect(db.image).toMatch(/^postgres:\d+/);
    expect(api.build).toBe('.');
  });

  it('gives the API only settings the app knows, and valid ones', () => {
    const known = new Set(Object.keys(new AppConfig()).concat(OPTIONAL_SETTINGS));
    for (const key of Object.keys(api.environment ?? {})) expect(known).toContain(key);
    expect(() => loadConfig(api.environment)).not.toThrow();
  });

  it('points DATABASE_URL at the db service with its credentials', () => {
    const url = new URL(api.environment!.DATABASE_URL);
    expect(url.hostname).toBe('db');
    expect(url.port || '5432').toBe('5432');
    expect(decodeURIComponent(url.username)).toBe(db.environment!.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(db.environment!.POSTGRES_PASSWORD);
    expect(url.pathname.slice(1)).toBe(db.environment!.POSTGRES_DB);
  });

  it('publishes the port the app listens on', () => {
    const port = String(loadConfig(api.environment).PORT);
    expect(api.ports).toContain(`${port}:${port}`);
    expect(readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8')).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
  });

  it('has health checks, starts the API once the database is healthy and keeps data in a named volume', () => {
    expect(db.healthcheck?.test).toBeDefined();
    expect(JSON.stringify(api.healthcheck?.test)).toContain('/health/ready');
    expect(api.depends_on?.db.condition).toBe('service_healthy');
    const [volume] = (db.volumes ?? [])[0].split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('runs on a current LTS and ships only what runs: no compiler, tests or embedded PostgreSQL binaries', () => {
    const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    for (const stage of stages) expect(Number(/^node:(\d+)/.exec(stage)?.[1])).toBeGreaterThanOrEqual(22);
    const shipped = [...stages.at(-1)!.matchAll(/^COPY (?:--from=(\S+) )?(\S+) /gm)].map(([, stage, source]) => `${stage ?? 'context'} ${source}`);
    expect(shipped).toEqual([
      'context package.json',
      'dependencies /app/node_modules',
      'build /app/dist/src',
      'build /app/dist/migrations',
      'build /app/dist/explorer',
      'context seeds',
    ]);
    const dependencies = stages.find((stage) => / AS dependencies\n/.test(stage))!;
    expect(dependencies).toMatch(/^RUN npm ci --omit=dev --omit=optional /m);
  });

  it('builds in stages and runs as an unprivileged user', () => {
    const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
