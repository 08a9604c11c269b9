import Redis, { RedisOptions } from 'ioredis';
import { withTimeout } from '@app/time';

/**
 * Options for modelgate's own Redis connections (health, cache, control channel). Commands fail at once
 * while Redis is away instead of queueing without bound, and the client reconnects by itself forever, so
 * the app keeps serving inline predictions through a Redis outage and recovers when it returns.
 */
export function appRedisOptions(extra: RedisOptions = {}): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 3000),
    ...extra,
  };
}

/**
 * Options for BullMQ connections: BullMQ requires `maxRetriesPerRequest: null` for its blocking commands,
 * and an offline queue so a worker survives a Redis restart.
 */
export function bullRedisOptions(extra: RedisOptions = {}): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 3000),
    ...extra,
  };
}

export function createRedis(url: string, options: RedisOptions): Redis {
  return new Redis(url, options);
}

/** PING with a deadline: a health probe must answer even when Redis hangs. */
export async function pingWithin(redis: Redis, timeoutMs: number): Promise<void> {
  const answer = await withTimeout(redis.ping(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
  if (answer !== 'PONG') throw new Error(`unexpected answer ${answer}`);
}

/** Host and port of a redis:// URL, for messages (never the password). */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'an unparsable URL';
  }
}

/** ioredis connection options from a redis:// URL, for clients that take options rather than a URL (BullMQ). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Deletes the keys matching a pattern, a SCAN page at a time (never KEYS, never FLUSHDB: other owners'
 * keys, BullMQ's among them, share the database). Returns how many were deleted.
 */
export async function deleteKeysMatching(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
