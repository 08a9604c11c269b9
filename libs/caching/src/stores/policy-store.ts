import { CachePolicyName } from '../cache-settings';
import { Clock } from '@app/time';

export interface StoreEntry<V> {
  key: string;
  value: V;
  /** Milliseconds; the store's own lifetime when absent. */
  ttl?: number;
}

/**
 * A bounded in-process map with an eviction policy and a lifetime per entry. It is a Keyv storage adapter
 * (get/set/delete/clear plus the *Many variants), so Keyv and cache-manager use it like any other store.
 * Everything is synchronous and O(1) per key; Keyv awaits the results all the same.
 */
export abstract class PolicyStore<V extends object = object> {
  abstract readonly policy: Exclude<CachePolicyName, 'off'>;
  /** Keyv assigns its namespace here; keys arrive already complete, so it is not used. */
  namespace?: string;

  constructor(
    readonly maxEntries: number,
    /** Default lifetime of an entry, milliseconds. */
    readonly ttlMs: number,
    protected readonly clock: Clock,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`maxEntries must be an integer >= 1, got ${maxEntries}`);
    if (!(ttlMs > 0)) throw new Error(`ttlMs must be > 0, got ${ttlMs}`);
  }

  /** Entries held, expired ones not yet dropped included (see prune). */
  abstract get size(): number;
  /** The value, or undefined when absent or expired; counts as a use for the policy. */
  abstract get(key: string): V | undefined;
  abstract set(key: string, value: V, ttl?: number): boolean;
  /** Present and not expired; not a use. */
  abstract has(key: string): boolean;
  abstract delete(key: string): boolean;
  abstract clear(): void;
  abstract keys(): IterableIterator<string>;
  /** Drops expired entries now (O(n)): for an exact size in metrics, not for the request path. */
  abstract prune(): void;

  getMany(keys: readonly string[]): Array<V | undefined> {
    return keys.map((key) => this.get(key));
  }

  setMany(entries: ReadonlyArray<StoreEntry<V>>): boolean[] {
    return entries.map((e) => this.set(e.key, e.value, e.ttl));
  }

  deleteMany(keys: readonly string[]): boolean {
    let all = true;
    for (const key of keys) all = this.delete(key) && all;
    return all;
  }

  /** Deletes every key that starts with `prefix` (one model version's entries); returns how many. */
  deletePrefix(prefix: string): number {
    const doomed = [...this.keys()].filter((k) => k.startsWith(prefix));
    for (const key of doomed) this.delete(key);
    return doomed.length;
  }
}
