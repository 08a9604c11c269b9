import { CacheSettings } from '../cache-settings';
import { Clock, systemClock } from '@app/time';
import { LfuStore } from './lfu-store';
import { LruStore } from './lru-store';
import { PolicyStore } from './policy-store';
import { TtlStore } from './ttl-store';

/** The memory store of a model's policy; undefined for `off`. */
export function createPolicyStore<V extends object>(settings: CacheSettings, clock: Clock = systemClock): PolicyStore<V> | undefined {
  const ttlMs = settings.ttlSeconds * 1000;
  switch (settings.policy) {
    case 'lru':
      return new LruStore<V>(settings.maxEntries, ttlMs, clock);
    case 'lfu':
      return new LfuStore<V>(settings.maxEntries, ttlMs, clock);
    case 'ttl':
      return new TtlStore<V>(settings.maxEntries, ttlMs, clock);
    case 'off':
      return undefined;
  }
}
