import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config/paths.js';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The build under test: this checkout, or TEST_APP_ROOT (another checkout, built), to see which tests an older version fails. */
const appRoot = process.env.TEST_APP_ROOT ? path.resolve(process.env.TEST_APP_ROOT) : projectRoot;

/** What a child keeps of the test runner's environment: enough to run, none of the developer's settings. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];

/** The environment of a child process: exactly the given settings, so an exported RESPONSE_CACHE or SYNC_CRON changes nothing. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(INHERITED.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]]));
  return { ...base, ...env };
}

/** Runs a compiled script of the project (dist/src/...) to completion. */
export function runScript(script: string, env: Record<string, string>, args: string[] = []): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(appRoot, 'dist', script), ...args], { env: childEnv(env), cwd: appRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** How much of an instance's output is kept: the last few megabytes, whole lines. */
const MAX_OUTPUT = 8 * 1024 * 1024;

export interface RunningApp {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** Sends the signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const LISTENING = /Listening on http:\/\/(\S+):(\d+) /;

/** Starts the app's process, its output to pipes or to a file descriptor. */
function spawnMain(env: Record<string, string>, root: string, output?: number): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }),
    cwd: root,
    ...(output === undefined ? {} : { stdio: ['ignore', output, output] }),
  });
  return { child, exited: new Promise<number | null>((done) => child.on('exit', (code) => done(code))) };
}

/** The running app, once its output has said where it listens. */
function runningApp(child: ChildProcess, exited: Promise<number | null>, listening: RegExpExecArray, output: () => string): RunningApp {
  return {
    child,
    baseUrl: `http://${listening[1] === 'localhost' ? '127.0.0.1' : listening[1]}:${listening[2]}`,
    output,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

/**
 * Starts `node dist/src/main.js` as `npm start` does and waits until it listens; `root`: another
 * checkout's build (the benchmark's previous version). With `logFile` its output goes to that file,
 * as a deployment's goes to disk, rather than through this process (whose event loop, in the
 * benchmark, is the load generator's).
 */
export function startMain(env: Record<string, string>, timeoutMs = 60_000, root = appRoot, logFile?: string): Promise<RunningApp> {
  if (logFile) return startLoggingToFile(env, timeoutMs, root, logFile);
  return new Promise((resolve, reject) => {
    const { child, exited } = spawnMain(env, root);
    let output = '';
    let listening = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: string) => {
      output += chunk;
      // Bounded: under load an instance writes a log line per request, megabytes a second.
      if (output.length > MAX_OUTPUT) output = output.slice(output.indexOf('\n', output.length - MAX_OUTPUT / 2) + 1);
      const match = listening ? null : LISTENING.exec(output);
      if (match) {
        listening = true;
        clearTimeout(timer);
        resolve(runningApp(child, exited, match, () => output));
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with code ${code} before listening:\n${output}`));
    });
  });
}

async function startLoggingToFile(env: Record<string, string>, timeoutMs: number, root: string, logFile: string): Promise<RunningApp> {
  const fd = openSync(logFile, 'w');
  const { child, exited } = spawnMain(env, root, fd);
  closeSync(fd);
  const output = () => readFileSync(logFile, 'utf8');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = LISTENING.exec(output());
    if (match) return runningApp(child, exited, match, output);
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode} before listening:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not start within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
