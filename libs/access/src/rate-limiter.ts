import { LRUCache } from 'lru-cache';
import { RateLimitedError } from '@app/errors';

export interface RateLimitSettings {
  /** Tokens added per second; 0 turns the limiter off. */
  perSecond: number;
  /** Bucket size: requests a client may send at once after being quiet. */
  burst: number;
  /**
   * Most clients tracked at once. Past it the least recently seen is forgotten and starts again with a full
   * bucket: memory stays bounded under a flood of addresses, at the cost of exactness for the oldest.
   */
  maxClients?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per client. A bucket left alone for burst / perSecond seconds is full again, which is
 * what a new bucket would be, so buckets expire after that time and the table stays bounded however many
 * addresses send requests.
 */
export class RateLimiter {
  private readonly buckets?: LRUCache<string, Bucket>;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (settings.perSecond <= 0) return;
    const refillMs = Math.ceil((settings.burst / settings.perSecond) * 1000);
    this.buckets = new LRUCache({ max: settings.maxClients ?? 100_000, ttl: Math.max(1, refillMs), ttlAutopurge: false, perf: { now } });
  }

  get enabled(): boolean {
    return this.buckets !== undefined;
  }

  /** Takes one token for `client` or throws RateLimitedError saying when the next one is due. */
  take(client: string): void {
    if (!this.buckets) return;
    const { perSecond, burst } = this.settings;
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    throw new RateLimitedError(`rate limit of ${perSecond} requests per second (bursts of ${burst}) exceeded; retry after ${retryAfter} s`, retryAfter);
  }
}
