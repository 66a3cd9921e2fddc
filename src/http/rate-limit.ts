import proxyAddr from '@fastify/proxy-addr';
import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import ipaddr from 'ipaddr.js';
import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';
import type { TrustProxy } from '../config/config.js';
import { redactCredentials } from '../config/redact.js';
import { rateLimitStoreErrors } from '../telemetry/metrics.js';

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

/** Where the allowance is counted: this process's memory (answers at once) or Redis, shared by every instance. */
export interface RateCounter extends ThrottlerStorage {
  hit(key: string, ttl: number, limit: number, blockDuration: number): ThrottlerStorageRecord | Promise<ThrottlerStorageRecord>;
}

/**
 * Fixed-window counters, O(1) per request and one small record per client. The throttler's own
 * in-memory storage keeps a timestamp per hit and filters the whole list on every request, which
 * at a few thousand requests a second from one client costs more than serving the response.
 */
export class FixedWindowStorage implements RateCounter {
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
 * The same fixed window in Redis, one script call per request: hits and block are two keys of one
 * client (a hash tag keeps them on one cluster slot). While blocked, hits are not counted.
 */
const WINDOW_SCRIPT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return { tonumber(redis.call('GET', KEYS[1]) or '0'), math.max(redis.call('PTTL', KEYS[1]), 0), 1, blocked }
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return { hits, ttl, 1, tonumber(ARGV[3]) }
end
return { hits, ttl, 0, 0 }`;

/** How long after a failed call the instance counts alone before it asks Redis again. */
const RETRY_AFTER_MS = 1000;

/**
 * Counters in Redis (REDIS_URL), so N instances behind a load balancer allow a client the limit
 * once, not N times. When Redis does not answer (within 250 ms) the limit fails open: the request
 * is counted in this instance's memory instead, one line is logged when Redis goes away and one when
 * it is back, and regional_finance_rate_limit_store_errors_total counts the requests counted alone.
 */
export class RedisWindowStorage implements RateCounter {
  private readonly redis: Redis;
  private downSince?: number;
  private readonly logger = new Logger('RateLimit');

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly fallback = new FixedWindowStorage(),
  ) {
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250, connectTimeout: 1000, retryStrategy: () => RETRY_AFTER_MS });
    this.redis.defineCommand('rateWindow', { numberOfKeys: 2, lua: WINDOW_SCRIPT });
    // Connection errors are told by the outage lines below, not once per reconnection attempt.
    this.redis.on('error', () => undefined);
  }

  /** False while Redis does not answer: readiness reports the rate limit as degraded. */
  get up(): boolean {
    return this.downSince === undefined;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    return this.hit(key, ttl, limit, blockDuration);
  }

  async hit(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    if (this.downSince !== undefined && Date.now() - this.downSince < RETRY_AFTER_MS) return this.alone(key, ttl, limit, blockDuration);
    try {
      const tagged = `${this.prefix}{${key}}`;
      const [totalHits, ttlMs, blocked, blockMs] = await (this.redis as unknown as { rateWindow(...args: (string | number)[]): Promise<number[]> }).rateWindow(
        `${tagged}:hits`,
        `${tagged}:block`,
        ttl,
        limit,
        blockDuration,
      );
      if (this.downSince !== undefined) {
        this.logger.log('Redis answers again: the rate limit is shared by every instance again');
        this.downSince = undefined;
      }
      return { totalHits, timeToExpire: Math.ceil(ttlMs / 1000), isBlocked: blocked === 1, timeToBlockExpire: Math.ceil(blockMs / 1000) };
    } catch (error) {
      if (this.downSince === undefined)
        this.logger.warn(`Redis does not answer (${redactCredentials((error as Error).message)}): counting the rate limit in this instance alone until it is back`);
      this.downSince = Date.now();
      return this.alone(key, ttl, limit, blockDuration);
    }
  }

  private alone(key: string, ttl: number, limit: number, blockDuration: number): ThrottlerStorageRecord {
    rateLimitStoreErrors.inc();
    return this.fallback.hit(key, ttl, limit, blockDuration);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
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
 * is over its limit: the caller then hands the request to Nest, whose guard answers the 429. With
 * Redis the answer is a promise.
 */
export function countRequest(storage: RateCounter, limit: number, tracker: string): string[] | undefined | Promise<string[] | undefined> {
  const counted = storage.hit(rateLimitKey(RATE_LIMIT_THROTTLER, tracker), RATE_LIMIT_WINDOW_MS, limit, RATE_LIMIT_WINDOW_MS);
  // In memory the answer is there at once, and a cached answer goes out without waiting a tick.
  return counted instanceof Promise ? counted.then((record) => limitHeaders(record, limit)) : limitHeaders(counted, limit);
}

function limitHeaders({ totalHits, timeToExpire, isBlocked }: ThrottlerStorageRecord, limit: number): string[] | undefined {
  if (isBlocked) return undefined;
  return ['x-ratelimit-limit', String(limit), 'x-ratelimit-remaining', String(Math.max(0, limit - totalHits)), 'x-ratelimit-reset', String(timeToExpire)];
}
