import { spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../../src/database/embedded-postgres.js';
import { until } from './until.js';

/** Whether a Redis answers PING at this port of loopback. */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    for (const event of ['error', 'timeout', 'close']) socket.once(event, () => resolve(false));
  });
}

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A Redis of the test's own (the machine's redis-server, keeping nothing on disk), on `port` or a free one. */
export async function startRedis(port?: number): Promise<TestRedis> {
  const chosen = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await until(`redis-server answers on port ${chosen}`, () => redisAnswers(chosen));
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The machine's Redis on 6379 when it answers (every machine this runs on has one), else one started for the test. */
export async function machineRedis(): Promise<TestRedis> {
  if (await redisAnswers(6379)) return { url: 'redis://127.0.0.1:6379', port: 6379, stop: async () => undefined };
  return startRedis();
}
