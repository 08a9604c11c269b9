import { Clock } from '@app/time';
import { PolicyStore } from './policy-store';

interface Entry<V> {
  key: string;
  value: V;
  expiresAt: number;
  bucket: Bucket<V>;
  /** Neighbours in the bucket: `newer` towards the head (most recent use). */
  newer?: Entry<V>;
  older?: Entry<V>;
}

/** Every entry used exactly `uses` times, most recently used first. */
interface Bucket<V> {
  uses: number;
  newest?: Entry<V>;
  oldest?: Entry<V>;
  /** Neighbours in the bucket list, ascending by uses. */
  less?: Bucket<V>;
  more?: Bucket<V>;
}

/**
 * Least frequently used goes first when full; among entries used equally often, the least recently used.
 * No maintained npm package offers LFU with O(1) operations, so it is written here after Shah, Mitra and
 * Matani, "An O(1) algorithm for implementing the LFU cache eviction scheme" (2010): entries sit in
 * per-use-count buckets, and the buckets form a list in ascending order, so a use moves an entry to the
 * next bucket and eviction takes the oldest entry of the first bucket, each in constant time.
 * Entries also expire after their lifetime (checked when read), which keeps once-popular entries from
 * holding the cache forever.
 */
export class LfuStore<V extends object = object> extends PolicyStore<V> {
  readonly policy = 'lfu' as const;
  private readonly entries = new Map<string, Entry<V>>();
  /** The bucket with the fewest uses: where eviction looks. */
  private fewest?: Bucket<V>;

  constructor(maxEntries: number, ttlMs: number, clock: Clock) {
    super(maxEntries, ttlMs, clock);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    this.use(entry);
    return entry.value;
  }

  set(key: string, value: V, ttl?: number): boolean {
    const expiresAt = this.clock.now() + (ttl ?? this.ttlMs);
    const existing = this.entries.get(key);
    if (existing) {
      existing.value = value;
      existing.expiresAt = expiresAt;
      this.use(existing);
      return true;
    }
    if (this.entries.size >= this.maxEntries) this.remove(this.fewest!.oldest!);
    let first = this.fewest;
    if (!first || first.uses !== 1) {
      first = { uses: 1, more: first };
      if (this.fewest) this.fewest.less = first;
      this.fewest = first;
    }
    const entry: Entry<V> = { key, value, expiresAt, bucket: first };
    pushNewest(first, entry);
    this.entries.set(key, entry);
    return true;
  }

  has(key: string): boolean {
    return this.live(key) !== undefined;
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.remove(entry);
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.fewest = undefined;
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  prune(): void {
    const now = this.clock.now();
    for (const entry of [...this.entries.values()]) if (now > entry.expiresAt) this.remove(entry);
  }

  /** How many times the entry was used (tests and diagnostics). */
  usesOf(key: string): number | undefined {
    return this.entries.get(key)?.bucket.uses;
  }

  /** Alive through exactly its lifetime, expired after it (as lru-cache counts). */
  private live(key: string): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry && this.clock.now() > entry.expiresAt) {
      this.remove(entry);
      return undefined;
    }
    return entry;
  }

  /** Moves the entry to the bucket of one more use, creating it when the next bucket is not that. */
  private use(entry: Entry<V>): void {
    const from = entry.bucket;
    let to = from.more;
    if (!to || to.uses !== from.uses + 1) {
      to = { uses: from.uses + 1, less: from, more: from.more };
      if (from.more) from.more.less = to;
      from.more = to;
    }
    unlink(from, entry);
    entry.bucket = to;
    pushNewest(to, entry);
    if (!from.newest) this.dropBucket(from);
  }

  private remove(entry: Entry<V>): void {
    const bucket = entry.bucket;
    unlink(bucket, entry);
    if (!bucket.newest) this.dropBucket(bucket);
    this.entries.delete(entry.key);
  }

  private dropBucket(bucket: Bucket<V>): void {
    if (bucket.less) bucket.less.more = bucket.more;
    else this.fewest = bucket.more;
    if (bucket.more) bucket.more.less = bucket.less;
  }
}

function pushNewest<V>(bucket: Bucket<V>, entry: Entry<V>): void {
  entry.newer = undefined;
  entry.older = bucket.newest;
  if (bucket.newest) bucket.newest.newer = entry;
  bucket.newest = entry;
  if (!bucket.oldest) bucket.oldest = entry;
}

function unlink<V>(bucket: Bucket<V>, entry: Entry<V>): void {
  if (entry.newer) entry.newer.older = entry.older;
  else bucket.newest = entry.older;
  if (entry.older) entry.older.newer = entry.newer;
  else bucket.oldest = entry.newer;
  entry.newer = entry.older = undefined;
}
