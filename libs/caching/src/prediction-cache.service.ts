import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Keyv } from 'keyv';
import { CacheConfig, RedisConfig } from '@app/config';
import { DependencyUnavailableError, ModelLoadError, ModelNotFoundError } from '@app/errors';
import { checkModelName, ModelRegistry, ModelVersion } from '@app/models';
import { ControlChannel } from '@app/redis';
import { CacheMetrics } from './cache-metrics';
import { CacheSettings, usesMemory, usesRedis, validateCacheSettings } from './cache-settings';
import { ModelCache } from './model-cache';
import { RedisCacheTier } from './redis-tier';
import { entryPrefix, versionPrefix } from './row-key';
import { createPolicyStore } from './stores/create-policy-store';
import { PolicyStore } from './stores/policy-store';
import { CachedOutputs } from './tensor-rows';

/** A model's memory tier: one store for all its versions (model.json, hence the settings, is per model). */
interface MemoryTier {
  settings: CacheSettings;
  store: PolicyStore<object>;
  keyv: Keyv<CachedOutputs>;
}

/**
 * The prediction cache of this process: a ModelCache per loaded version (settings from model.json over
 * the server's `cache` section), a memory tier per model, one Redis tier shared by the models that use
 * it, and invalidation:
 * - a version that is reloaded (or loaded after start) drops its entries here and in Redis, and tells
 *   every other process to drop theirs (a `cache.invalidate` control message); its previous load stops
 *   reading and filling the cache at once;
 * - a version that is unloaded drops its entries from this process's memory tier (other replicas may
 *   still serve it, so Redis keeps them until they expire);
 * - `clear(model)` (the admin route) does the same for every version of a model.
 * Keys carry the version and its content hash, so a new version never answers from an old one's entries,
 * and a replica that still serves an older file under the same version number (a rolling reload of a
 * shared volume) neither reads nor writes the entries of the new one in the shared Redis tier.
 */
@Injectable()
export class PredictionCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Cache');
  private readonly caches = new WeakMap<ModelVersion, ModelCache | Error | null>();
  private readonly memory = new Map<string, MemoryTier>();
  /** The servable of each `<model>@<version>` now, to tell a reload from a first load. */
  private readonly current = new Map<string, ModelVersion>();
  private redisTier?: RedisCacheTier;
  private started = false;

  constructor(
    private readonly defaults: CacheConfig,
    private readonly redisConfig: RedisConfig,
    private readonly metrics: CacheMetrics,
    private readonly registry: ModelRegistry,
    private readonly control: ControlChannel,
  ) {
    registry.onAvailable((servable) => this.onAvailable(servable));
    registry.onUnloading(async (servable) => this.onUnloading(servable));
    control.on('cache.invalidate', (message) => void this.dropLocal(message.model, message.version));
    metrics.reportSizes(() =>
      [...this.memory].map(([model, tier]): [string, number] => {
        tier.store.prune();
        return [model, tier.store.size];
      }),
    );
  }

  /** The cache of a loaded version; undefined when its policy is `off`. Throws ModelLoadError for a bad model.json block. */
  for(servable: ModelVersion): ModelCache | undefined {
    let cache = this.caches.get(servable);
    if (cache === undefined) {
      cache = this.create(servable);
      this.caches.set(servable, cache);
    }
    if (cache instanceof Error) throw cache;
    return cache ?? undefined;
  }

  settingsOf(servable: ModelVersion): CacheSettings {
    try {
      return validateCacheSettings(servable.config.cache, this.defaults);
    } catch (error) {
      throw new ModelLoadError(`${servable.id}: model.json ${(error as Error).message}`);
    }
  }

  /**
   * Clears every cached answer of a model: this process's memory tier, the model's Redis keys (only those),
   * and, through a control message, every other process's memory tier. Returns the entries removed here.
   */
  async clear(model: string): Promise<number> {
    checkModelName(model);
    if (!this.registry.has(model)) throw new ModelNotFoundError(model);
    let cleared = this.dropLocal(model);
    const problems: string[] = [];
    if (this.usesRedis(model)) {
      try {
        cleared += await this.redis().deletePrefix(`${model}@`);
      } catch (error) {
        problems.push(`its Redis entries could not be deleted (${(error as Error).message})`);
      }
    }
    try {
      await this.control.publish({ type: 'cache.invalidate', model });
    } catch (error) {
      problems.push(`other instances could not be told (${(error as Error).message})`);
    }
    if (problems.length > 0) {
      throw new DependencyUnavailableError(`cleared the memory tier of '${model}' on this instance, but ${problems.join(' and ')}; try again`);
    }
    this.logger.log(`cache of '${model}' cleared (${cleared} entries here)`);
    return cleared;
  }

  /** Drops entries of a model (one version, or all) from this process's memory tier; returns how many. */
  dropLocal(model: string, version?: number): number {
    const tier = this.memory.get(model);
    if (!tier) return 0;
    if (version === undefined) {
      const count = tier.store.size;
      tier.store.clear();
      return count;
    }
    return tier.store.deletePrefix(versionPrefix(model, version));
  }

  /** Versions loaded before this point are the start-up load: they invalidate nothing. */
  onApplicationBootstrap(): void {
    this.started = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redisTier?.close();
  }

  private create(servable: ModelVersion): ModelCache | Error | null {
    let settings: CacheSettings;
    try {
      settings = this.settingsOf(servable);
    } catch (error) {
      return error as Error;
    }
    if (settings.policy === 'off') return null;
    return new ModelCache({
      prefix: entryPrefix(servable),
      settings,
      batchable: servable.signature.batchable,
      ...(usesMemory(settings) ? this.memoryOptions(servable.name, settings) : {}),
      redis: usesRedis(settings) ? this.redis() : undefined,
      counters: this.metrics.countersFor(servable.name, servable.version),
    });
  }

  private memoryOptions(model: string, settings: CacheSettings): { memory: Keyv<CachedOutputs>; memoryStore: PolicyStore<object> } {
    const tier = this.memoryTier(model, settings);
    return { memory: tier.keyv, memoryStore: tier.store };
  }

  private memoryTier(model: string, settings: CacheSettings): MemoryTier {
    const existing = this.memory.get(model);
    const same = existing && existing.settings.policy === settings.policy && existing.settings.maxEntries === settings.maxEntries && existing.settings.ttlSeconds === settings.ttlSeconds;
    if (existing && same) return existing;
    const store = createPolicyStore<object>(settings)!;
    const keyv = new Keyv<CachedOutputs>({ store, namespace: undefined, useKeyPrefix: false, serialize: undefined, deserialize: undefined });
    keyv.on('error', (error: Error) => this.logger.warn(`memory tier of '${model}': ${error.message}`));
    const tier = { settings, store, keyv };
    this.memory.set(model, tier);
    return tier;
  }

  private redis(): RedisCacheTier {
    this.redisTier ??= new RedisCacheTier(this.redisConfig.url, this.redisConfig.keyPrefix, this.logger);
    return this.redisTier;
  }

  private usesRedis(model: string): boolean {
    for (const servable of this.current.values()) {
      if (servable.name !== model) continue;
      const cache = this.caches.get(servable);
      if (cache instanceof ModelCache) return usesRedis(cache.settings);
    }
    return usesRedis(this.defaults);
  }

  private onAvailable(servable: ModelVersion): void {
    const previous = this.current.get(servable.id);
    this.current.set(servable.id, servable);
    if (previous && previous !== servable) this.retire(previous);
    let cache: ModelCache | undefined;
    try {
      // Made now rather than on the first request: settings are checked and Redis connected before traffic.
      cache = this.for(servable);
    } catch (error) {
      this.logger.error(`${(error as Error).message} (predictions of ${servable.id} fail until model.json is fixed)`);
    }
    if (this.started) this.invalidateVersion(servable, cache);
  }

  private async onUnloading(servable: ModelVersion): Promise<void> {
    this.retire(servable);
    if (this.current.get(servable.id) !== servable) return; // replaced by a reload: handled there
    this.current.delete(servable.id);
    this.dropLocal(servable.name, servable.version);
  }

  private retire(servable: ModelVersion): void {
    const cache = this.caches.get(servable);
    if (cache instanceof ModelCache) cache.retired = true;
  }

  /**
   * A version (re)loaded while running may hold a different model under the same number than the one that
   * filled the cache: its entries go, here, in Redis and in every other process.
   */
  private invalidateVersion(servable: ModelVersion, cache: ModelCache | undefined): void {
    this.dropLocal(servable.name, servable.version);
    const work = (async () => {
      if (this.redisTier && this.usesRedis(servable.name)) await this.redisTier.deletePrefix(versionPrefix(servable.name, servable.version));
      await this.control.publish({ type: 'cache.invalidate', model: servable.name, version: servable.version });
    })().catch((error: Error) => this.logger.warn(`${servable.id}: cache invalidation after the reload is incomplete: ${error.message}`));
    cache?.pauseRedisUntil(work);
  }
}
