import KeyvRedis, { createClient, RedisClientType } from '@keyv/redis';
import { DeserializedData, Deserialize, Keyv, Serialize } from 'keyv';
import { deserializeEntry, serializeEntry } from './row-codec';
import { CachedOutputs } from './tensor-rows';
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
  private readonly client: RedisClientType;
  private down = false;
  private everReady = false;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly logger: TierLogger,
    private readonly timeoutMs = REDIS_TIER_TIMEOUT_MS,
  ) {
    this.namespace = `${keyPrefix}:cache`;
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 3000) },
    }) as RedisClientType;
    this.client.on('error', (error: Error) => this.onError(error));
    this.client.on('ready', () => this.onReady());
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
    void this.client.connect().catch(() => undefined);
  }

  get ready(): boolean {
    return this.client.isReady;
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
    let deleted = 0;
    for await (const keys of this.client.scanIterator({ MATCH: match, COUNT: 500 })) {
      if (keys.length > 0) deleted += await this.client.unlink(keys);
    }
    return deleted;
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

/** Redis glob patterns treat * ? [ ] \ specially; the prefix and model names are matched literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
