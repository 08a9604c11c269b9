import { LruStore } from './lru-store';

/**
 * Entries live for their lifetime whatever their use: the LRU store read with `peek`, so that a read does
 * not reorder anything. When full, the oldest entry goes first: with one lifetime for all, the one closest
 * to expiring. A rewrite restarts the entry's life and makes it the newest.
 */
export class TtlStore<V extends object = object> extends LruStore<V> {
  override readonly policy = 'ttl' as const;

  override get(key: string): V | undefined {
    const value = this.cache.peek(key);
    // peek leaves an expired entry in place: drop it now rather than at eviction.
    if (value === undefined) this.cache.delete(key);
    return value;
  }
}
