import { DEFAULT_BATCHING_SETTINGS } from './batching-settings';
import { DynamicBatcher } from './dynamic-batcher';

describe('DynamicBatcher: under load (real clock)', () => {
  it('gets 50,000 concurrent requests through with every caller receiving its own result', async () => {
    const sizes: number[] = [];
    const batcher = new DynamicBatcher<number, number>(
      { ...DEFAULT_BATCHING_SETTINGS, maxQueue: 100_000, maxInFlight: 2, policy: 'fixed' },
      async (inputs) => {
        sizes.push(inputs.length);
        await new Promise((resolve) => setImmediate(resolve));
        return inputs.map((x) => x + 1);
      },
    );
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 50_000 }, (_, i) => batcher.submit({ rows: 1, input: i, priority: 1 + (i % 10), deadline: started + 60_000 })),
    );
    const elapsedMs = performance.now() - started;
    expect(results.every((r, i) => r === i + 1)).toBe(true);
    expect(Math.max(...sizes)).toBe(64);
    expect(batcher.stats()).toMatchObject({ queuedRequests: 0, inFlight: 0, rows: 50_000 });
    // Generous bound for a shared 2-core machine; the point is "tens of thousands per second", not a benchmark.
    expect(elapsedMs).toBeLessThan(2500);
  });
});

describe('DynamicBatcher: one caller at a time (real clock)', () => {
  it('adds well under a millisecond of latency per request compared with calling the executor directly', async () => {
    const executor = async (inputs: number[]) => inputs.map((x) => x * 2);
    const batcher = new DynamicBatcher<number, number>(DEFAULT_BATCHING_SETTINGS, executor);
    const n = 2000;
    let started = performance.now();
    for (let i = 0; i < n; i++) await executor([i]);
    const directMs = (performance.now() - started) / n;
    started = performance.now();
    for (let i = 0; i < n; i++) await batcher.submit({ rows: 1, input: i });
    const batchedMs = (performance.now() - started) / n;
    expect(batchedMs - directMs).toBeLessThan(0.2);
    expect(batcher.stats().batches).toBe(n);
  });
});
