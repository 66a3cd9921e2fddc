import proxyAddr from '@fastify/proxy-addr';
import type { ThrottlerStorage } from '@nestjs/throttler';
import ipaddr from 'ipaddr.js';
import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';
import type { TrustProxy } from '../config/config.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One allowance per client address across every endpoint, shared by the Nest guard and the cache's fast path. */
export const RATE_LIMIT_WINDOW_MS = 60_000;
export const RATE_LIMIT_THROTTLER = 'default';
export const rateLimitKey = (throttler: string, tracker: string) => `${throttler}:${tracker}`;

interface Window {
  hits: number;
  resetsAt: number;
  blockedUntil: number;
}

/**
 * Fixed-window counters, O(1) per request and one small record per client. The throttler's own
 * in-memory storage keeps a timestamp per hit and filters the whole list on every request, which
 * at a few thousand requests a second from one client costs more than serving the response.
 */
export class FixedWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private sweep?: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    return this.hit(key, ttl, limit, blockDuration);
  }

  hit(key: string, ttl: number, limit: number, blockDuration: number): ThrottlerStorageRecord {
    const now = this.now();
    this.sweepEvery(ttl);
    let window = this.windows.get(key);
    if (!window || (now >= window.resetsAt && now >= window.blockedUntil)) {
      window = { hits: 0, resetsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    }
    if (window.blockedUntil <= now) {
      if (now >= window.resetsAt) Object.assign(window, { hits: 0, resetsAt: now + ttl });
      window.hits++;
      if (window.hits > limit) window.blockedUntil = now + blockDuration;
    }
    const isBlocked = window.blockedUntil > now;
    return {
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.resetsAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  /** Forgets clients whose window and block have both ended, so memory follows the active clients. */
  private sweepEvery(ttl: number): void {
    if (this.sweep) return;
    this.sweep = setInterval(() => {
      const now = this.now();
      for (const [key, window] of this.windows) if (now >= window.resetsAt && now >= window.blockedUntil) this.windows.delete(key);
    }, ttl);
    this.sweep.unref();
  }
}

/**
 * Whether the address at this hop (0: the socket's peer, then X-Forwarded-For from the right) is a
 * proxy of ours. The client is the first address that is not: an entry a client wrote itself lies
 * further left and is never reached. Fastify is given the same function, so request.ip agrees.
 */
export function trustedHop(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile(trust);
}

/** The client address, as Fastify gives request.ip: the socket's peer, or the address next to the last trusted proxy. */
export function clientAddress(request: IncomingMessage, trusted: (address: string, hop: number) => boolean): string | undefined {
  return proxyAddr(request, trusted);
}

/**
 * Whose allowance a request draws on, for the guard and the cache's fast path alike: an IPv4
 * address as it is (also when it arrives IPv4-mapped, ::ffff:a.b.c.d), an IPv6 address by its /64,
 * the smallest block one subscriber is given, so a client cannot rotate addresses within it.
 */
export function clientTracker(address: string | undefined): string {
  if (!address) return '';
  // The common case, checked first: it is on the path of every cached answer.
  if (isIPv4(address)) return address;
  const bare = address.split('%')[0];
  if (!ipaddr.isValid(bare)) return address;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const ipv6 = parsed as ipaddr.IPv6;
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().toString();
  if (ipv6.range() === 'loopback') return '::1';
  return `${new ipaddr.IPv6([...ipv6.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}

/**
 * Counts a request the Nest guard never sees (a response served from the cache) against the same
 * allowance. Returns the rate-limit headers as writeHead's flat list, or undefined once the client
 * is over its limit: the caller then hands the request to Nest, whose guard answers the 429.
 */
export function countRequest(storage: FixedWindowStorage, limit: number, tracker: string): string[] | undefined {
  const { totalHits, timeToExpire, isBlocked } = storage.hit(rateLimitKey(RATE_LIMIT_THROTTLER, tracker), RATE_LIMIT_WINDOW_MS, limit, RATE_LIMIT_WINDOW_MS);
  if (isBlocked) return undefined;
  return ['x-ratelimit-limit', String(limit), 'x-ratelimit-remaining', String(Math.max(0, limit - totalHits)), 'x-ratelimit-reset', String(timeToExpire)];
}
