import { LRUCache } from 'lru-cache';
import { Clock } from '@app/time';
import { PolicyStore } from './policy-store';

/** Least recently used goes first when full (lru-cache); an entry also expires after its lifetime. */
export class LruStore<V extends object = object> extends PolicyStore<V> {
  readonly policy: 'lru' | 'ttl' = 'lru';
  protected readonly cache: LRUCache<string, V>;

  constructor(maxEntries: number, ttlMs: number, clock: Clock) {
    super(maxEntries, ttlMs, clock);
    // ttlResolution 0: lru-cache would otherwise reuse one reading of the clock for 1 ms of real time.
    this.cache = new LRUCache<string, V>({ max: maxEntries, ttl: ttlMs, ttlResolution: 0, perf: clock, updateAgeOnGet: false });
  }

  get size(): number {
    return this.cache.size;
  }

  get(key: string): V | undefined {
    return this.cache.get(key);
  }

  set(key: string, value: V, ttl?: number): boolean {
    this.cache.set(key, value, { ttl: ttl ?? this.ttlMs });
    return true;
  }

  has(key: string): boolean {
    return this.cache.has(key);
  }

  delete(key: string): boolean {
    return this.cache.delete(key);
  }

  clear(): void {
    this.cache.clear();
  }

  keys(): IterableIterator<string> {
    return this.cache.keys();
  }

  prune(): void {
    this.cache.purgeStale();
  }
}
