import { Logger } from '@nestjs/common';
import { CacheConfig, RedisConfig } from '@app/config';
import { DependencyUnavailableError, ModelLoadError, ModelNotFoundError } from '@app/errors';
import { MetricsService } from '@app/metrics';
import { ModelRegistry, ModelVersion, TensorMap } from '@app/models';
import { ControlChannel, ControlMessage } from '@app/redis';
import { CacheMetrics } from './cache-metrics';
import { PredictionCache } from './prediction-cache.service';

type AvailableHook = (v: ModelVersion) => void;
type UnloadHook = (v: ModelVersion) => Promise<void>;

function harness(cacheBlock: Record<string, unknown> = {}) {
  const available: AvailableHook[] = [];
  const unloading: UnloadHook[] = [];
  const registry = {
    onAvailable: (h: AvailableHook) => available.push(h),
    onUnloading: (h: UnloadHook) => unloading.push(h),
    has: (name: string) => name === 'iris',
  } as unknown as ModelRegistry;
  const published: ControlMessage[] = [];
  const handlers = new Map<string, (m: ControlMessage) => void>();
  let publishFails = false;
  const control = {
    on: (type: string, h: (m: ControlMessage) => void) => handlers.set(type, h),
    publish: async (m: ControlMessage) => {
      if (publishFails) throw new Error('Redis is down');
      published.push(m);
      handlers.get(m.type)?.(m);
      return 1;
    },
  } as unknown as ControlChannel;
  const defaults: CacheConfig = { policy: 'lru', maxEntries: 100, ttlSeconds: 60, tier: 'memory' };
  const redis: RedisConfig = { url: 'redis://127.0.0.1:1', embedded: false, keyPrefix: 'unused' };
  const cache = new PredictionCache(defaults, redis, new CacheMetrics(new MetricsService()), registry, control);
  const version = (v: number) =>
    ({ name: 'iris', version: v, id: `iris@${v}`, config: { cache: cacheBlock }, signature: { batchable: true } }) as unknown as ModelVersion;
  return {
    cache,
    published,
    version,
    failPublish: () => (publishFails = true),
    load: (s: ModelVersion) => available.forEach((h) => h(s)),
    unload: (s: ModelVersion) => Promise.all(unloading.map((h) => h(s))),
  };
}

const row = (x: number): TensorMap => ({ features: { datatype: 'FP32', dims: [1, 1], data: Float32Array.of(x) } });
const model = async (inputs: TensorMap) => ({ p: { ...inputs.features } });
const fill = (cache: PredictionCache, servable: ModelVersion, x: number) => cache.for(servable)!.run(row(x), 1, model);

describe('PredictionCache', () => {
  // No app configures the logger here: its lines would land in the test report.
  beforeAll(() => Logger.overrideLogger(false));
  it('invalidates nothing for versions loaded at start-up', () => {
    const h = harness();
    h.load(h.version(1));
    h.cache.onApplicationBootstrap();
    expect(h.published).toEqual([]);
  });

  it('drops a version reloaded while running, here and (by a control message) everywhere, and retires its previous load', async () => {
    const h = harness();
    const first = h.version(1);
    const other = h.version(2);
    h.load(first);
    h.load(other);
    h.cache.onApplicationBootstrap();
    await fill(h.cache, first, 1);
    await fill(h.cache, other, 1);
    const reloaded = h.version(1);
    h.load(reloaded);
    await new Promise((r) => setImmediate(r));
    expect(h.published).toEqual([{ type: 'cache.invalidate', model: 'iris', version: 1 }]);
    expect((await fill(h.cache, reloaded, 1)).outcome).toBe('miss');
    expect((await fill(h.cache, other, 1)).outcome).toBe('hit');
    expect(h.cache.for(first)!.retired).toBe(true);
  });

  it("drops an unloaded version's entries from memory", async () => {
    const h = harness();
    const v1 = h.version(1);
    h.load(v1);
    await fill(h.cache, v1, 3);
    expect(h.cache.dropLocal('iris', 1)).toBe(1);
    await fill(h.cache, v1, 3);
    await h.unload(v1);
    expect(h.cache.dropLocal('iris')).toBe(0);
  });

  it('clears a model on request: its entries here, and every other process through the control channel', async () => {
    const h = harness();
    const v1 = h.version(1);
    h.load(v1);
    await fill(h.cache, v1, 1);
    await fill(h.cache, v1, 2);
    await expect(h.cache.clear('iris')).resolves.toBe(2);
    expect(h.published).toEqual([{ type: 'cache.invalidate', model: 'iris' }]);
    await expect(h.cache.clear('nope')).rejects.toThrow(ModelNotFoundError);
    h.failPublish();
    await expect(h.cache.clear('iris')).rejects.toThrow(DependencyUnavailableError);
  });

  it('gives no cache for policy off, and refuses a bad cache block naming the field', () => {
    const off = harness({ policy: 'off' });
    expect(off.cache.for(off.version(1))).toBeUndefined();
    const bad = harness({ maxEntries: 0 });
    expect(() => bad.cache.for(bad.version(1))).toThrow(ModelLoadError);
    expect(() => bad.cache.for(bad.version(1))).toThrow('iris@1: model.json cache.maxEntries must be an integer >= 1, got 0');
  });
});
