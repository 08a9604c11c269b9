import Redis, { Cluster, RedisOptions } from 'ioredis';
import { withTimeout } from '@app/time';
import { installBullClusterFactory } from './bull-cluster';
import { ClusterConnectionOptions, clusterOptions } from './cluster-options';
import { describeRedisTarget, parseRedisUrl, RedisTarget } from '@app/config';

/**
 * A connection of modelgate's own: one server or a Sentinel group (a `Redis`), or a Redis Cluster (a
 * `Cluster`). Both speak the same commands; what differs (SCAN per node, pipelines within one node) is
 * handled where it matters (deleteKeysMatching here, the drift window's per-model pipelines).
 */
export type RedisClient = Redis | Cluster;

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

/** A connection to whatever REDIS_URL names (see redis-url.ts for the forms). */
export function createRedis(url: string, options: RedisOptions): RedisClient {
  const target = parseRedisUrl(url);
  if (target.topology === 'single') return new Redis(url, options);
  if (target.topology === 'sentinel') return new Redis({ ...options, ...sentinelOptions(target) });
  return new Cluster(target.nodes, clusterOptions({ ...options, ...credentials(target) }));
}

/**
 * ioredis connection options from REDIS_URL, for clients that take options rather than a URL (BullMQ).
 * A Cluster's options carry its nodes: BullMQ builds clients from options itself (and closes them), and
 * factory of bull-cluster.ts, installed here when first needed, turns these into a Cluster client.
 */
export function redisOptionsFromUrl(url: string): ClusterConnectionOptions {
  const target = parseRedisUrl(url);
  if (target.topology === 'sentinel') return sentinelOptions(target);
  if (target.topology === 'cluster') {
    installBullClusterFactory();
    return { ...credentials(target), cluster: { nodes: target.nodes } };
  }
  return { host: target.nodes[0].host, port: target.nodes[0].port, db: target.db, ...credentials(target) };
}

/**
 * The Sentinel group's current master, found through the sentinels. On a failover a connection moves
 * to the new master when the old one drops it (Sentinel has it close its clients when it turns it into a
 * replica) or refuses a write as a replica (READONLY): the connection reconnects, asks the sentinels
 * again, and resends the refused command. (ioredis's failoverDetector would move sooner, but its
 * connections to the sentinels outlive quit(): every closed client would leave two sockets open.)
 */
function sentinelOptions(target: RedisTarget): RedisOptions {
  return {
    sentinels: target.nodes,
    name: target.name,
    role: 'master',
    db: target.db,
    ...credentials(target),
    ...(target.sentinelUsername ? { sentinelUsername: target.sentinelUsername } : {}),
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    ...(target.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
    reconnectOnError: (error) => (/READONLY/.test(error.message) ? 2 : false),
  };
}

function credentials(target: RedisTarget): RedisOptions {
  return {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
}

/** PING with a deadline: a health probe must answer even when Redis hangs. */
export async function pingWithin(redis: RedisClient, timeoutMs: number): Promise<void> {
  const answer = await withTimeout(redis.ping(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
  if (answer !== 'PONG') throw new Error(`unexpected answer ${answer}`);
}

/** Where REDIS_URL points, for messages (never the password). */
export function describeRedisUrl(url: string): string {
  try {
    return describeRedisTarget(parseRedisUrl(url));
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * Deletes the keys matching a pattern, a SCAN page at a time (never KEYS, never FLUSHDB: other owners'
 * keys, BullMQ's among them, share the database). On a Cluster every master is scanned, and each key
 * is deleted on its own (one UNLINK may not span slots). Returns how many were deleted.
 */
export async function deleteKeysMatching(redis: RedisClient, pattern: string): Promise<number> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let deleted = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      if (redis instanceof Cluster) {
        const counts = await Promise.all(keys.map((key) => redis.unlink(key)));
        deleted += counts.reduce((a, b) => a + b, 0);
      } else {
        deleted += await redis.unlink(...keys);
      }
    } while (cursor !== '0');
  }
  return deleted;
}
