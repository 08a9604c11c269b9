import { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { createPolicyStore } from './create-policy-store';
import { FakeClock } from '@app/time';
import { LfuStore } from './lfu-store';
import { LruStore } from './lru-store';
import { PolicyStore } from './policy-store';
import { TtlStore } from './ttl-store';

type V = { v: string };
const val = (v: string): V => ({ v });
const HOUR = 3_600_000;

function contents(store: PolicyStore<V>, keys: string[]): string[] {
  return keys.filter((k) => store.has(k));
}

describe('LruStore', () => {
  it('evicts the least recently used entry when full', () => {
    const store = new LruStore<V>(3, HOUR, new FakeClock(1_000_000));
    for (const k of ['a', 'b', 'c']) store.set(k, val(k));
    store.get('a'); // order of use, oldest first: b, c, a
    store.set('d', val('d'));
    expect(contents(store, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    store.get('c'); // a, d, c
    store.set('e', val('e'));
    expect(contents(store, ['a', 'b', 'c', 'd', 'e'])).toEqual(['c', 'd', 'e']);
    expect(store.size).toBe(3);
  });

  it('drops an entry after its lifetime, however recently it was used', () => {
    const clock = new FakeClock(1_000_000);
    const store = new LruStore<V>(3, 1000, clock);
    store.set('a', val('a'));
    clock.advance(1000);
    expect(store.get('a')).toEqual(val('a'));
    clock.advance(1);
    expect(store.get('a')).toBeUndefined();
  });
});

describe('LfuStore', () => {
  it('evicts the least frequently used entry when full', () => {
    const store = new LfuStore<V>(3, HOUR, new FakeClock(1_000_000));
    for (const k of ['a', 'b', 'c']) store.set(k, val(k));
    store.get('a');
    store.get('a');
    store.get('b'); // uses: a 3, b 2, c 1
    store.set('d', val('d'));
    expect(contents(store, ['a', 'b', 'c', 'd'])).toEqual(['a', 'b', 'd']);
    // d, used once, is now the least frequently used even though it is the newest.
    store.set('e', val('e'));
    expect(contents(store, ['a', 'b', 'd', 'e'])).toEqual(['a', 'b', 'e']);
    expect([store.usesOf('a'), store.usesOf('b'), store.usesOf('e')]).toEqual([3, 2, 1]);
  });

  it('breaks ties between equally used entries by evicting the least recently used of them', () => {
    const store = new LfuStore<V>(3, HOUR, new FakeClock(1_000_000));
    for (const k of ['a', 'b', 'c']) store.set(k, val(k));
    store.get('b');
    store.get('a'); // a 2, b 2 (b used before a), c 1
    store.set('d', val('d')); // evicts c
    store.get('d'); // d 2, the most recent of the 2-use bucket
    store.set('e', val('e')); // a, b, d all used twice: b, used least recently, goes
    expect(contents(store, ['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'd', 'e']);
  });

  it('counts a rewrite as a use, and forgets the count of a deleted entry', () => {
    const store = new LfuStore<V>(2, HOUR, new FakeClock(1_000_000));
    store.set('a', val('a1'));
    store.set('a', val('a2'));
    expect(store.usesOf('a')).toBe(2);
    expect(store.get('a')).toEqual(val('a2'));
    expect(store.delete('a')).toBe(true);
    store.set('a', val('a3'));
    expect(store.usesOf('a')).toBe(1);
    expect(store.size).toBe(1);
  });

  it('drops an entry after its lifetime, however often it was used', () => {
    const clock = new FakeClock(1_000_000);
    const store = new LfuStore<V>(3, 1000, clock);
    store.set('a', val('a'));
    for (let i = 0; i < 10; i++) store.get('a');
    clock.advance(1001);
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('keeps its buckets consistent through many random operations (checked against a naive model)', () => {
    const clock = new FakeClock(1_000_000);
    const store = new LfuStore<V>(8, HOUR, clock);
    const uses = new Map<string, { uses: number; lastUse: number }>();
    let tick = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      const key = `k${Math.floor(random() * 20)}`;
      const op = random();
      tick++;
      if (op < 0.5) {
        const hit = store.get(key);
        expect(hit !== undefined).toBe(uses.has(key));
        if (hit) uses.set(key, { uses: uses.get(key)!.uses + 1, lastUse: tick });
      } else if (op < 0.9) {
        if (uses.has(key)) uses.set(key, { uses: uses.get(key)!.uses + 1, lastUse: tick });
        else {
          if (uses.size >= 8) {
            const victim = [...uses.entries()].sort((x, y) => x[1].uses - y[1].uses || x[1].lastUse - y[1].lastUse)[0][0];
            uses.delete(victim);
          }
          uses.set(key, { uses: 1, lastUse: tick });
        }
        store.set(key, val(key));
      } else {
        expect(store.delete(key)).toBe(uses.delete(key));
      }
      expect(store.size).toBe(uses.size);
    }
    for (const [key, u] of uses) expect(store.usesOf(key)).toBe(u.uses);
  });
});

describe('TtlStore', () => {
  it('drops what has expired and keeps what has not', () => {
    const clock = new FakeClock(1_000_000);
    const store = new TtlStore<V>(10, 1000, clock);
    store.set('a', val('a'));
    clock.advance(400);
    store.set('b', val('b'));
    clock.advance(400);
    store.set('c', val('c')); // lives through: a 1000, b 1400, c 1800
    clock.advance(200); // t = 1000
    expect(contents(store, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    clock.advance(1); // t = 1001
    expect(store.get('a')).toBeUndefined();
    expect(contents(store, ['a', 'b', 'c'])).toEqual(['b', 'c']);
    clock.advance(400); // t = 1401
    expect(contents(store, ['a', 'b', 'c'])).toEqual(['c']);
    store.prune();
    expect(store.size).toBe(1);
  });

  it('evicts the oldest entry when full, even one that was just read (reads do not extend a life)', () => {
    const clock = new FakeClock(1_000_000);
    const store = new TtlStore<V>(3, 1000, clock);
    for (const k of ['a', 'b', 'c']) store.set(k, val(k));
    expect(store.get('a')).toEqual(val('a'));
    store.set('d', val('d'));
    expect(contents(store, ['a', 'b', 'c', 'd'])).toEqual(['b', 'c', 'd']);
  });

  it('restarts the life of a rewritten entry', () => {
    const clock = new FakeClock(1_000_000);
    const store = new TtlStore<V>(3, 1000, clock);
    store.set('a', val('a1'));
    clock.advance(900);
    store.set('a', val('a2'));
    clock.advance(900);
    expect(store.get('a')).toEqual(val('a2'));
  });

  it('honours a shorter lifetime given per entry', () => {
    const clock = new FakeClock(1_000_000);
    const store = new TtlStore<V>(3, 1000, clock);
    store.set('a', val('a'), 100);
    clock.advance(101);
    expect(store.get('a')).toBeUndefined();
  });
});

describe('policy stores as Keyv stores under cache-manager', () => {
  it.each(['lru', 'lfu', 'ttl'] as const)('%s: cache-manager sets and reads through Keyv, and the policy still decides eviction', async (policy) => {
    const store = createPolicyStore<object>({ policy, maxEntries: 2, ttlSeconds: 60, tier: 'memory' })!;
    const keyv = new Keyv({ store, namespace: undefined, useKeyPrefix: false, serialize: undefined, deserialize: undefined });
    const cache = createCache({ stores: [keyv], ttl: 60_000 });
    await cache.mset([
      { key: 'a', value: { n: 1 } },
      { key: 'b', value: { n: 2 } },
    ]);
    await expect(cache.mget(['a', 'b', 'x'])).resolves.toEqual([{ n: 1 }, { n: 2 }, undefined]);
    await cache.get('b');
    await cache.get('b');
    await cache.get('a'); // a: most recently used and oldest; b: most frequently used
    await cache.set('c', { n: 3 });
    expect(store.size).toBe(2);
    const survivor = { lru: 'a', lfu: 'b', ttl: 'b' }[policy];
    expect([...store.keys()].sort()).toEqual([survivor, 'c']);
  });

  it('makes no store for policy off', () => {
    expect(createPolicyStore({ policy: 'off', maxEntries: 2, ttlSeconds: 60, tier: 'memory' })).toBeUndefined();
  });
});
