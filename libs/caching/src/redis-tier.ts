import KeyvRedis, { createClient, createCluster, createSentinel, RedisClientType, RedisClusterType, RedisSentinelType } from '@keyv/redis';
import { DeserializedData, Deserialize, Keyv, Serialize } from 'keyv';
import { deserializeEntry, serializeEntry } from './row-codec';
import { CachedOutputs } from './tensor-rows';
import { parseRedisUrl, RedisTarget } from '@app/config';
import { withTimeout } from '@app/time';

/** The longest a Redis read or write of the cache may take before it counts as a miss (or is given up). */
export const REDIS_TIER_TIMEOUT_MS = 500;

export interface TierLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * The shared tier: Keyv over @keyv/redis, every key under `<redis.keyPrefix>:cache:` and given a Redis TTL
 * (ttlSeconds). Entries go away by expiring, never by Redis's eviction: BullMQ lives in the same Redis and
 * needs `maxmemory-policy noeviction`, which this tier leaves alone. Clearing deletes only keys of its own
 * namespace and model (SCAN MATCH + UNLINK), never FLUSHDB and never Keyv's clear(), which would drop
 * every model's entries at once.
 *
 * Redis being away is a miss, not an error: the client does not queue commands while disconnected
 * (disableOfflineQueue), reads and writes are bounded by REDIS_TIER_TIMEOUT_MS, and the outage is logged
 * once, when it starts, and once more when Redis is back.
 */
export class RedisCacheTier {
  /** Keys are `<namespace>:<model>@<version>:<hash>`. */
  readonly namespace: string;
  readonly keyv: Keyv<CachedOutputs>;
  private readonly client: TierClient;
  private down = false;
  private everReady = false;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly logger: TierLogger,
    private readonly timeoutMs = REDIS_TIER_TIMEOUT_MS,
  ) {
    this.namespace = `${keyPrefix}:cache`;
    this.client = createTierClient(url);
    this.client.on('error', (error: Error | string) => this.onError(typeof error === 'string' ? new Error(error) : error));
    if (isCluster(this.client)) {
      // A cluster says 'connect' once it knows the slots, and reports each node's connection on its own.
      this.client.on('connect', () => this.onReady());
      this.client.on('node-ready', () => this.onReady());
      this.client.on('node-error', (error: Error) => this.onError(error));
    } else {
      this.client.on('ready', () => this.onReady()); // again after each reconnect
    }
    const adapter = new KeyvRedis<CachedOutputs>(this.client, { namespace: this.namespace, keyPrefixSeparator: ':', throwOnConnectError: false, throwOnErrors: false });
    this.keyv = new Keyv<CachedOutputs>({
      store: adapter,
      namespace: this.namespace,
      useKeyPrefix: false, // the adapter prefixes; Keyv doing it too would give <ns>::<ns>:key
      serialize: serializeEntry as Serialize,
      deserialize: deserializeEntry as Deserialize,
    });
    this.keyv.on('error', () => undefined); // failures are misses; the outage is reported by the client's events
    // Connected here, once: the adapter would otherwise try to connect on every call while Redis is away.
    // A Sentinel client announces no 'ready': connecting is its moment.
    void this.client.connect().then(
      () => this.onReady(),
      () => undefined,
    );
  }

  get ready(): boolean {
    // A cluster client has no isReady: it is open once it knows the slots, and routes around a lost node.
    return 'isReady' in this.client ? this.client.isReady : this.client.isOpen;
  }

  /** Entries with their expiry time (Date.now() scale), undefined for misses; all misses when Redis is away. */
  async getMany(keys: readonly string[]): Promise<Array<DeserializedData<CachedOutputs> | undefined>> {
    const none = () => keys.map(() => undefined);
    if (keys.length === 0 || !this.ready) return none();
    try {
      const rows = await withTimeout(this.keyv.getManyRaw([...keys]), this.timeoutMs, () => new Error(`Redis cache read: no answer within ${this.timeoutMs} ms`));
      return rows.map((row) => (row?.value ? row : undefined));
    } catch {
      return none();
    }
  }

  /** Deletes every key of this namespace that starts with `prefix` (a model, or one version); returns how many. */
  async deletePrefix(prefix: string): Promise<number> {
    if (!this.ready) throw new Error('Redis is not connected');
    const match = `${escapeGlob(this.namespace)}:${escapeGlob(prefix)}*`;
    const client = this.client;
    if (isCluster(client)) {
      // Every master holds some of the keys; one UNLINK may not span slots, so each key goes alone.
      const masters = await Promise.all(client.masters.map((m) => client.nodeClient(m)));
      const counts = await Promise.all(masters.map((node) => sweep(node as unknown as ScanNode, match, true)));
      return counts.reduce((a, b) => a + b, 0);
    }
    if (isSentinel(client)) return client.use((master) => sweep(master as unknown as ScanNode, match, false));
    return sweep(client as unknown as ScanNode, match, false);
  }

  async close(): Promise<void> {
    if (!this.client.isOpen) return;
    await this.client.close().catch(() => this.client.destroy());
  }

  private onError(error: Error): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      `Redis tier unavailable (${error.message}): cache lookups fall back to memory or the model until it returns`,
    );
  }

  private onReady(): void {
    if (this.down && this.everReady) this.logger.log('Redis tier is back');
    else if (this.down) this.logger.log('Redis tier connected');
    this.down = false;
    this.everReady = true;
  }
}

type TierClient = RedisClientType | RedisClusterType | RedisSentinelType;

/** What deletePrefix needs of a connection to one server. */
interface ScanNode {
  scan(cursor: string, options: { MATCH: string; COUNT: number }): Promise<{ cursor: string | number; keys: string[] }>;
  unlink(keys: string | string[]): Promise<number>;
}

async function sweep(node: ScanNode, match: string, keyByKey: boolean): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const page = await node.scan(cursor, { MATCH: match, COUNT: 500 });
    cursor = String(page.cursor);
    if (page.keys.length === 0) continue;
    if (keyByKey) deleted += (await Promise.all(page.keys.map((key) => node.unlink(key)))).reduce((a, b) => a + b, 0);
    else deleted += await node.unlink(page.keys);
  } while (cursor !== '0');
  return deleted;
}

function isCluster(client: TierClient): client is RedisClusterType {
  return 'masters' in client;
}

function isSentinel(client: TierClient): client is RedisSentinelType {
  return 'getSentinelNode' in client;
}

/**
 * node-redis's client for what REDIS_URL names (@keyv/redis takes all three): one server, a Cluster
 * (keys spread over its masters; @keyv/redis splits multi-key reads by slot), or a Sentinel group (the
 * client follows the master through a failover). No offline queue anywhere: a lookup while Redis is away
 * is a miss at once.
 */
function createTierClient(url: string): TierClient {
  const target = parseRedisUrl(url);
  const socket = {
    connectTimeout: 2000,
    reconnectStrategy: (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 3000),
    ...(target.tls ? { tls: true as const } : {}),
  };
  const auth = { ...(target.username ? { username: target.username } : {}), ...(target.password ? { password: target.password } : {}) };
  if (target.topology === 'cluster') {
    return createCluster({
      rootNodes: target.nodes.map((node) => ({ url: nodeUrl(target, node) })),
      defaults: { ...auth, disableOfflineQueue: true, socket },
    }) as unknown as TierClient;
  }
  if (target.topology === 'sentinel') {
    return createSentinel({
      name: target.name!,
      sentinelRootNodes: target.nodes,
      nodeClientOptions: { ...auth, database: target.db, disableOfflineQueue: true, socket },
      sentinelClientOptions: {
        ...(target.sentinelUsername ? { username: target.sentinelUsername } : {}),
        ...(target.sentinelPassword ? { password: target.sentinelPassword } : {}),
        socket,
      },
    }) as unknown as TierClient;
  }
  return createClient({ url, disableOfflineQueue: true, socket }) as unknown as TierClient;
}

function nodeUrl(target: RedisTarget, node: { host: string; port: number }): string {
  return `${target.tls ? 'rediss' : 'redis'}://${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`;
}

/** Redis glob patterns treat * ? [ ] \ specially; the prefix and model names are matched literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
