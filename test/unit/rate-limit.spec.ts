import type { IncomingMessage } from 'node:http';
import { parseTrustProxy } from '../../src/config/config.js';
import { clientAddress, clientTracker, FixedWindowStorage, trustedHop } from '../../src/http/rate-limit.js';

describe('FixedWindowStorage', () => {
  let now = 0;
  const storage = new FixedWindowStorage(() => now);

  it('allows the limit within a window, blocks past it, and opens again when the block ends', () => {
    now = 1_000;
    for (let i = 1; i <= 3; i++) expect(storage.hit('a', 60_000, 3, 60_000)).toEqual({ totalHits: i, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(storage.hit('a', 60_000, 3, 60_000)).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 60 });
    now = 31_000;
    expect(storage.hit('a', 60_000, 3, 60_000)).toMatchObject({ isBlocked: true, timeToBlockExpire: 30, timeToExpire: 30 });
    now = 61_000;
    expect(storage.hit('a', 60_000, 3, 60_000)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps one allowance per key', () => {
    now = 200_000;
    storage.hit('b', 60_000, 1, 60_000);
    expect(storage.hit('b', 60_000, 1, 60_000).isBlocked).toBe(true);
    expect(storage.hit('c', 60_000, 1, 60_000).isBlocked).toBe(false);
  });

  it('starts a new window once the old one has passed', () => {
    now = 300_000;
    storage.hit('d', 1_000, 5, 1_000);
    now = 300_999;
    expect(storage.hit('d', 1_000, 5, 1_000)).toMatchObject({ totalHits: 2, timeToExpire: 1 });
    now = 301_000;
    expect(storage.hit('d', 1_000, 5, 1_000)).toMatchObject({ totalHits: 1, timeToExpire: 1 });
  });
});

describe('clientTracker', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['2001:DB8:1:3::1', '2001:db8:1:3::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['::1', '::1'],
    ['not an address', 'not an address'],
    [undefined, ''],
  ])('%s draws on the allowance of %s', (address, tracker) => expect(clientTracker(address)).toBe(tracker));
});

describe('the client address behind proxies', () => {
  // The socket's peer is the proxy next to the service; X-Forwarded-For lists what each proxy saw, the client's own claim first.
  const from = (forwarded: string) => ({ headers: { 'x-forwarded-for': forwarded }, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

  it('reads the setting as none, a hop count or a list of proxies', () => {
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.0/8, loopback,2001:db8::1')).toEqual(['10.0.0.0/8', 'loopback', '2001:db8::1']);
    expect(parseTrustProxy('true')).toBeUndefined();
    expect(parseTrustProxy('10.0.0.0/33')).toBeUndefined();
  });

  it('takes the address next to the last trusted hop, whatever a client writes further left', () => {
    expect(clientAddress(from('10.1.0.5, 203.0.113.7'), trustedHop(false))).toBe('127.0.0.1');
    expect(clientAddress(from('10.1.0.5, 203.0.113.7'), trustedHop(1))).toBe('203.0.113.7');
    expect(clientAddress(from('10.1.0.5, 203.0.113.7, 10.0.0.2'), trustedHop(2))).toBe('203.0.113.7');
    expect(clientAddress(from('10.1.0.5, 203.0.113.7'), trustedHop(['loopback']))).toBe('203.0.113.7');
    expect(clientAddress(from('198.51.100.9, 203.0.113.7'), trustedHop(['loopback', '203.0.113.0/24']))).toBe('198.51.100.9');
    // Fewer entries than trusted hops: the furthest address there is.
    expect(clientAddress(from('203.0.113.7'), trustedHop(5))).toBe('203.0.113.7');
  });
});
