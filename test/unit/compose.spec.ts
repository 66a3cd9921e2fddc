import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { AppConfig, loadConfig, OPTIONAL_SETTINGS } from '../../src/config/config.js';
import { projectRoot } from '../../src/config/paths.js';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
}

// No Docker engine (nor its compose plugin) runs where the tests run: the file is checked against
// the app's configuration, the Dockerfile and the proxy's Caddyfile instead, with YAML anchors and
// merge keys resolved as Compose resolves them.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const { db, redis, proxy } = compose.services;
  const apis = Object.entries(compose.services).filter(([name]) => name.startsWith('api-'));
  const caddyfile = readFileSync(path.join(projectRoot, 'deploy', 'Caddyfile'), 'utf8');

  it('runs PostgreSQL, Redis, two API instances built from the Dockerfile, and a reverse proxy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api-1', 'api-2', 'db', 'proxy', 'redis']);
    expect(db.image).toMatch(/^postgres:\d+/);
    expect(redis.image).toMatch(/^redis:\d+/);
    expect(proxy.image).toMatch(/^caddy:\d+/);
    for (const [, api] of apis) expect(api.build).toBe('.');
  });

  it('gives each API only settings the app knows, and valid ones, one of them seeding', () => {
    const known = new Set(Object.keys(new AppConfig()).concat(OPTIONAL_SETTINGS));
    for (const [, api] of apis) {
      for (const key of Object.keys(api.environment ?? {})) expect(known).toContain(key);
      expect(() => loadConfig(api.environment)).not.toThrow();
    }
    expect(apis.map(([, api]) => loadConfig(api.environment).SEED_ON_START)).toEqual([true, false]);
  });

  it('points every instance at the db service with its credentials, and at the one Redis', () => {
    for (const [, api] of apis) {
      const url = new URL(api.environment!.DATABASE_URL);
      expect(url.hostname).toBe('db');
      expect(url.port || '5432').toBe('5432');
      expect(decodeURIComponent(url.username)).toBe(db.environment!.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(db.environment!.POSTGRES_PASSWORD);
      expect(url.pathname.slice(1)).toBe(db.environment!.POSTGRES_DB);
      expect(new URL(api.environment!.REDIS_URL).hostname).toBe('redis');
      // One proxy in front: clients are told apart by the address it forwards.
      expect(loadConfig(api.environment).TRUST_PROXY).toBe('1');
    }
  });

  it('publishes only the proxy, which balances over every instance on the port it listens on', () => {
    const port = String(loadConfig(apis[0][1].environment).PORT);
    expect(readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8')).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
    for (const [name, service] of Object.entries(compose.services)) if (name !== 'proxy') expect([name, service.ports]).toEqual([name, undefined]);
    const [published] = proxy.ports!;
    expect(caddyfile).toMatch(new RegExp(`^:${published.split(':')[1]} \\{`, 'm'));
    const upstreams = /reverse_proxy ([^{]+)\{/.exec(caddyfile)![1].trim().split(/\s+/);
    expect(upstreams).toEqual(apis.map(([name]) => `${name}:${port}`));
    expect(caddyfile).toMatch(/health_uri \/health\/ready/);
    expect(proxy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  it('has health checks, starts each API once what it needs is healthy and keeps data in a named volume', () => {
    expect(db.healthcheck?.test).toBeDefined();
    expect(redis.healthcheck?.test).toBeDefined();
    for (const [, api] of apis) {
      expect(JSON.stringify(api.healthcheck?.test)).toContain('/health/ready');
      expect(api.depends_on?.redis.condition).toBe('service_healthy');
    }
    expect(compose.services['api-1'].depends_on?.db.condition).toBe('service_healthy');
    // The second waits for the first, which migrates and seeds.
    expect(compose.services['api-2'].depends_on?.['api-1'].condition).toBe('service_healthy');
    expect(Object.keys(proxy.depends_on ?? {}).sort()).toEqual(apis.map(([name]) => name));
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
