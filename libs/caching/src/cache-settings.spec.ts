import { CacheSettings, DEFAULT_CACHE_SETTINGS, validateCacheSettings } from './cache-settings';

describe('validateCacheSettings', () => {
  it('has the documented defaults (config/default.yaml cache section)', () => {
    expect(DEFAULT_CACHE_SETTINGS).toEqual({ policy: 'lru', maxEntries: 10000, ttlSeconds: 600, tier: 'memory' });
  });

  it('fills the fields a model does not set from the server defaults', () => {
    const server: CacheSettings = { policy: 'ttl', maxEntries: 50, ttlSeconds: 30, tier: 'both' };
    expect(validateCacheSettings({ policy: 'lfu', maxEntries: 8 }, server)).toEqual({ ...server, policy: 'lfu', maxEntries: 8 });
    expect(validateCacheSettings(undefined, server)).toEqual(server);
    expect(validateCacheSettings({}, server)).toEqual(server);
  });

  it('names the bad field and value', () => {
    expect(() => validateCacheSettings({ policy: 'mru' }, DEFAULT_CACHE_SETTINGS)).toThrow(
      'cache.policy must be one of lru, lfu, ttl, off, got "mru"',
    );
  });

  it.each<[keyof CacheSettings, unknown]>([
    ['policy', 'LRU'],
    ['policy', 1],
    ['maxEntries', 0],
    ['maxEntries', 2.5],
    ['maxEntries', '100'],
    ['ttlSeconds', 0],
    ['ttlSeconds', -5],
    ['tier', 'disk'],
    ['tier', null],
  ])('refuses %s = %p', (field, value) => {
    expect(() => validateCacheSettings({ [field]: value }, DEFAULT_CACHE_SETTINGS)).toThrow(new RegExp(`^cache\\.${field} must `));
  });

  it('refuses unknown fields, so that a typo is not silently ignored', () => {
    expect(() => validateCacheSettings({ maxEntry: 8 }, DEFAULT_CACHE_SETTINGS)).toThrow(/^cache\.maxEntry is not a cache setting/);
  });

  it('refuses a cache block that is not an object', () => {
    expect(() => validateCacheSettings([] as never, DEFAULT_CACHE_SETTINGS)).toThrow('cache must be an object');
    expect(() => validateCacheSettings('lru' as never, DEFAULT_CACHE_SETTINGS)).toThrow('cache must be an object');
  });
});
