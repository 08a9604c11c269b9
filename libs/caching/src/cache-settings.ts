import { isIntAtLeast1, oneOf, overlaySettings, SettingRules } from '@app/config';

export const CACHE_POLICY_NAMES = ['lru', 'lfu', 'ttl', 'off'] as const;
export type CachePolicyName = (typeof CACHE_POLICY_NAMES)[number];
export const CACHE_TIER_NAMES = ['memory', 'redis', 'both'] as const;
export type CacheTierName = (typeof CACHE_TIER_NAMES)[number];

/** The prediction cache of one model; server defaults come from config, a model.json may override any field. */
export interface CacheSettings {
  /** How the memory tier evicts when full: least recently used, least frequently used, oldest; or no cache. */
  policy: CachePolicyName;
  /** Entries (rows) the memory tier holds per model. */
  maxEntries: number;
  /** Lifetime of an entry in every tier (Redis: the key's TTL). */
  ttlSeconds: number;
  /** memory: this process only; redis: shared by every replica; both: memory first, then Redis. */
  tier: CacheTierName;
}

export const DEFAULT_CACHE_SETTINGS: Readonly<CacheSettings> = Object.freeze({
  policy: 'lru',
  maxEntries: 10000,
  ttlSeconds: 600,
  tier: 'memory',
});

const RULES: SettingRules<CacheSettings> = {
  policy: oneOf(CACHE_POLICY_NAMES),
  maxEntries: [isIntAtLeast1, 'must be an integer >= 1'],
  ttlSeconds: [isIntAtLeast1, 'must be an integer >= 1'],
  tier: oneOf(CACHE_TIER_NAMES),
};
/**
 * Overlays `raw` (a model.json `cache` block) on `defaults` (the server's `cache` section) and checks every
 * field; throws a plain Error naming the field (see overlaySettings).
 */
export function validateCacheSettings(
  raw: Partial<CacheSettings> | Readonly<Record<string, unknown>> | undefined,
  defaults: Readonly<CacheSettings>,
): CacheSettings {
  return overlaySettings('cache', RULES, raw, defaults);
}

export const usesMemory = (s: CacheSettings): boolean => s.policy !== 'off' && s.tier !== 'redis';
export const usesRedis = (s: CacheSettings): boolean => s.policy !== 'off' && s.tier !== 'memory';
