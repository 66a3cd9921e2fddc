import net from 'node:net';
import { freePort, onFreePort } from '../../src/database/embedded-postgres.js';

const listen = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: net.Server) => new Promise((resolve) => server.close(resolve));
const taken = (error: Error) => (error as NodeJS.ErrnoException).code === 'EADDRINUSE';

describe('starting on a free port', () => {
  it('chooses again when the chosen port was taken before it could be bound', async () => {
    const squatter = await listen(0);
    const squatted = (squatter.address() as net.AddressInfo).port;
    const chosen: number[] = [];
    const choose = async () => {
      const port = chosen.length === 0 ? squatted : await freePort();
      chosen.push(port);
      return port;
    };
    const server = await onFreePort(listen, taken, choose);
    try {
      expect(chosen).toHaveLength(2);
      expect((server.address() as net.AddressInfo).port).toBe(chosen[1]);
    } finally {
      await close(server);
      await close(squatter);
    }
  });

  it('gives up after the attempts allowed, and never retries another failure', async () => {
    const squatter = await listen(0);
    const squatted = (squatter.address() as net.AddressInfo).port;
    let tries = 0;
    await expect(onFreePort(listen, taken, async () => (tries++, squatted), 3)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(tries).toBe(3);
    tries = 0;
    await expect(
      onFreePort(
        () => Promise.reject(new Error('initdb failed')),
        taken,
        async () => (tries++, squatted),
      ),
    ).rejects.toThrow('initdb failed');
    expect(tries).toBe(1);
    await close(squatter);
  });
});
