import os from 'node:os';

const MB = 1024 * 1024;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * The embedded PostgreSQL's server settings. Its defaults are sized for a machine of a few hundred
 * megabytes (128 MB of shared buffers), so on a national dataset of several GB pages come from the
 * kernel's cache, or from disk once the kernel has reclaimed it, and a read's time depends on what
 * else ran before. Sized here from the machine's memory instead, as PostgreSQL's own tuning guide
 * says for a dedicated server: a quarter for shared buffers, three quarters as the planner's cache
 * estimate. No pg_prewarm: measured on the national dataset, its autoprewarm refilling 6 GB after
 * a restart slowed the first minutes of reads threefold (bench/README.md). `overrides` (from
 * EMBEDDED_PG_SETTINGS) win over each.
 */
export function embeddedServerSettings(totalMemory = os.totalmem(), overrides = ''): Record<string, string> {
  const memoryMb = Math.floor(totalMemory / MB);
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    shared_buffers: `${clamp(Math.floor(memoryMb / 4), 128, 8192)}MB`,
    effective_cache_size: `${clamp(Math.floor((memoryMb * 3) / 4), 512, 65536)}MB`,
    // Per sort or hash of each statement: enough for a page of a ranking or listing in memory, few enough MB that 200 connections cannot exhaust the machine.
    work_mem: `${clamp(Math.floor(memoryMb / 800), 4, 64)}MB`,
    maintenance_work_mem: `${clamp(Math.floor(memoryMb / 20), 64, 1024)}MB`,
  };
  for (const pair of overrides.split(/[\s,]+/).filter(Boolean)) {
    const [name, value] = pair.split('=');
    settings[name] = value;
  }
  return settings;
}

/** The settings as the server's command line takes them. */
export const settingFlags = (settings: Record<string, string>) => Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
