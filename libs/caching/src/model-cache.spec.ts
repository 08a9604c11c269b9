import { Keyv } from 'keyv';
import { TensorMap } from '@app/models';
import { CacheCounters } from './cache-metrics';
import { CacheSettings } from './cache-settings';
import { ComputeRows, ModelCache } from './model-cache';
import { createPolicyStore } from './stores/create-policy-store';
import { CachedOutputs } from './tensor-rows';

const SETTINGS: CacheSettings = { policy: 'lru', maxEntries: 100, ttlSeconds: 60, tier: 'memory' };

function rowsOf(...values: number[][]): TensorMap {
  return { x: { datatype: 'FP32', dims: [values.length, values[0].length], data: Float32Array.from(values.flat()) } };
}

/** A "model" that doubles its input, recording the rows of every run. */
function doubler() {
  const runs: number[][][] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const compute: ComputeRows = async (inputs, rows) => {
    const x = inputs.x;
    const width = x.dims[1];
    const data = x.data as Float32Array;
    runs.push(Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * width, (r + 1) * width))));
    if (gate) await gate;
    return { y: { datatype: 'FP32', dims: [rows, width], data: data.map((v) => v * 2) } };
  };
  return {
    compute,
    runs,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    release: () => release?.(),
  };
}

function counting() {
  const counts = { hit: 0, miss: 0, shared: 0 };
  const counters: CacheCounters = { hit: (n) => (counts.hit += n), miss: (n) => (counts.miss += n), shared: (n) => (counts.shared += n) };
  return { counts, counters };
}

/** As PredictionCache makes it: Keyv over the policy store, and the store itself for whole hits (`direct: false` leaves it out). */
function memoryCache(overrides: Partial<{ batchable: boolean; direct: boolean }> = {}) {
  const store = createPolicyStore<object>(SETTINGS)!;
  const memory = new Keyv<CachedOutputs>({ store, namespace: undefined, useKeyPrefix: false, serialize: undefined, deserialize: undefined });
  const { counts, counters } = counting();
  const memoryStore = overrides.direct === false ? undefined : store;
  const cache = new ModelCache({ prefix: 'm@1:', settings: SETTINGS, batchable: overrides.batchable ?? true, memory, memoryStore, counters });
  return { cache, store, counts };
}

const values = (t: TensorMap) => Array.from(t.y.data as Float32Array);

describe('ModelCache', () => {
  it('answers a request whose rows are all in memory straight from the store, with the answer the general path gives', async () => {
    const direct = memoryCache();
    const general = memoryCache({ direct: false });
    const model = doubler();
    const request = () => rowsOf([1, 2], [3, 4], [1, 2]);
    for (const { cache } of [direct, general]) await cache.run(request(), 3, model.compute);
    const [fast, slow] = await Promise.all([direct.cache.run(request(), 3, model.compute), general.cache.run(request(), 3, model.compute)]);
    expect(fast.outcome).toBe('hit');
    expect(slow.outcome).toBe('hit');
    expect(fast.outputs).toEqual(slow.outputs);
    expect(values(fast.outputs)).toEqual([2, 4, 6, 8, 2, 4]);
    expect(direct.counts).toEqual(general.counts);
    expect(model.runs).toHaveLength(2);
  });

  it('does not answer an entry past its lifetime from the store: the model runs again', async () => {
    const { cache, counts } = memoryCache();
    const model = doubler();
    await cache.run(rowsOf([1, 2]), 1, model.compute);
    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockReturnValue(now + SETTINGS.ttlSeconds * 1000 + 1);
    try {
      const again = await cache.run(rowsOf([1, 2]), 1, model.compute);
      expect(again.outcome).toBe('miss');
    } finally {
      later.mockRestore();
    }
    expect(model.runs).toHaveLength(2);
    expect(counts).toMatchObject({ hit: 0, miss: 2 });
  });

  it('answers a repeated request from the cache without running the model', async () => {
    const { cache, counts } = memoryCache();
    const model = doubler();
    const first = await cache.run(rowsOf([1, 2]), 1, model.compute);
    const second = await cache.run(rowsOf([1, 2]), 1, model.compute);
    expect(first.outcome).toBe('miss');
    expect(second.outcome).toBe('hit');
    expect(values(second.outputs)).toEqual([2, 4]);
    expect(second.outputs.y.dims).toEqual([1, 2]);
    expect(model.runs).toHaveLength(1);
    expect(counts).toEqual({ hit: 1, miss: 1, shared: 0 });
  });

  it('sends only the uncached rows of a batch to the model and answers in request order', async () => {
    const { cache, counts } = memoryCache();
    const model = doubler();
    await cache.run(rowsOf([1, 1], [3, 3]), 2, model.compute);
    const mixed = await cache.run(rowsOf([3, 3], [2, 2], [1, 1]), 3, model.compute);
    expect(model.runs[1]).toEqual([[2, 2]]);
    expect(values(mixed.outputs)).toEqual([6, 6, 4, 4, 2, 2]);
    expect(mixed.outputs.y.dims).toEqual([3, 2]);
    expect(mixed.outcome).toBe('miss');
    expect(counts).toEqual({ hit: 2, miss: 3, shared: 0 });
  });

  it('runs one inference for N identical concurrent requests; the others share it', async () => {
    const { cache, counts } = memoryCache();
    const model = doubler();
    model.hold();
    const runs = Array.from({ length: 20 }, () => cache.run(rowsOf([4, 5]), 1, model.compute));
    await new Promise((r) => setImmediate(r));
    model.release();
    const answers = await Promise.all(runs);
    expect(model.runs).toHaveLength(1);
    expect(answers.map((a) => a.outcome).sort()).toEqual(['miss', ...Array(19).fill('shared')]);
    for (const a of answers) expect(values(a.outputs)).toEqual([8, 10]);
    expect(counts).toEqual({ hit: 0, miss: 1, shared: 19 });
  });

  it('counts a request that joined a lookup which found the row as a hit, not as shared', async () => {
    const { cache, counts } = memoryCache();
    const model = doubler();
    await cache.run(rowsOf([9, 9]), 1, model.compute);
    const both = await Promise.all([cache.run(rowsOf([9, 9]), 1, model.compute), cache.run(rowsOf([9, 9]), 1, model.compute)]);
    expect(both.map((a) => a.outcome)).toEqual(['hit', 'hit']);
    expect(counts).toEqual({ hit: 2, miss: 1, shared: 0 });
  });

  it('computes a row that appears twice in one request once', async () => {
    const { cache } = memoryCache();
    const model = doubler();
    const answer = await cache.run(rowsOf([1, 0], [7, 7], [1, 0]), 3, model.compute);
    expect(model.runs).toEqual([[[1, 0], [7, 7]]]);
    expect(values(answer.outputs)).toEqual([2, 0, 14, 14, 2, 0]);
    expect(answer.outcome).toBe('miss');
  });

  it('gives a failure to every request that shared the computation, and caches nothing', async () => {
    const { cache, store } = memoryCache();
    let calls = 0;
    let fail: (e: Error) => void = () => undefined;
    const failing: ComputeRows = () => {
      calls++;
      return new Promise((_, reject) => (fail = reject));
    };
    const a = cache.run(rowsOf([1, 1]), 1, failing);
    const b = cache.run(rowsOf([1, 1]), 1, failing);
    await new Promise((r) => setImmediate(r));
    fail(new Error('overloaded'));
    await expect(a).rejects.toThrow('overloaded');
    await expect(b).rejects.toThrow('overloaded');
    expect(calls).toBe(1);
    expect(store.size).toBe(0);
    // Nothing is left in flight: the next request computes afresh.
    const model = doubler();
    await expect(cache.run(rowsOf([1, 1]), 1, model.compute)).resolves.toMatchObject({ outcome: 'miss' });
  });

  it('bypasses the cache once retired (its version was reloaded or unloaded)', async () => {
    const { cache, store } = memoryCache();
    const model = doubler();
    cache.retired = true;
    await cache.run(rowsOf([1, 2]), 1, model.compute);
    await cache.run(rowsOf([1, 2]), 1, model.compute);
    expect(model.runs).toHaveLength(2);
    expect(store.size).toBe(0);
  });

  it('does not fill the cache with an answer computed by a version retired meanwhile', async () => {
    const { cache, store } = memoryCache();
    const model = doubler();
    model.hold();
    const running = cache.run(rowsOf([1, 2]), 1, model.compute);
    await new Promise((r) => setImmediate(r));
    cache.retired = true;
    model.release();
    await running;
    expect(store.size).toBe(0);
  });

  it('keeps a whole request as one entry for a model without a batch dimension', async () => {
    const { cache, store } = memoryCache({ batchable: false });
    const model = doubler();
    await cache.run(rowsOf([1, 2], [3, 4]), 2, model.compute);
    const again = await cache.run(rowsOf([1, 2], [3, 4]), 2, model.compute);
    expect(again.outcome).toBe('hit');
    expect(values(again.outputs)).toEqual([2, 4, 6, 8]);
    expect(again.outputs.y.dims).toEqual([2, 2]);
    expect(store.size).toBe(1);
    expect(model.runs).toHaveLength(1);
  });

  it('hands out copies: changing an answer does not change the cache', async () => {
    const { cache } = memoryCache();
    const model = doubler();
    await cache.run(rowsOf([1, 2]), 1, model.compute);
    const hit = await cache.run(rowsOf([1, 2]), 1, model.compute);
    (hit.outputs.y.data as Float32Array)[0] = -1;
    expect(values((await cache.run(rowsOf([1, 2]), 1, model.compute)).outputs)).toEqual([2, 4]);
  });
});
