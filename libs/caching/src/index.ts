export { CachingModule } from './caching.module';
export { PredictionCache } from './prediction-cache.service';
export { ModelCache } from './model-cache';
export type { CacheOutcome, CachedRun, ComputeRows } from './model-cache';
export { DEFAULT_CACHE_SETTINGS, CACHE_POLICY_NAMES, CACHE_TIER_NAMES, validateCacheSettings } from './cache-settings';
export type { CacheSettings, CachePolicyName, CacheTierName } from './cache-settings';
export { entryPrefix, rowKeys, wholeKey, versionPrefix } from './row-key';
