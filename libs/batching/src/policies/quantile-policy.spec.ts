import { QuantilePolicy } from './quantile-policy';

const base = { maxBatchSize: 64, latencySloMs: 20, quantile: 0.99, step: 4 };

/** Feeds every size 1..64 `rounds` times with latency(rows, round). */
function feedAllSizes(policy: QuantilePolicy, rounds: number, latency: (rows: number, round: number) => number) {
  for (let round = 0; round < rounds; round++) {
    for (let rows = 1; rows <= 64; rows++) policy.record(rows, latency(rows, round));
  }
}

describe('QuantilePolicy', () => {
  it('picks the largest size whose predicted latency meets the SLO (2 + 0.5·rows ms, SLO 20 -> 36)', () => {
    const policy = new QuantilePolicy(base);
    feedAllSizes(policy, 8, (rows) => 2 + 0.5 * rows);
    expect(policy.limit()).toBe(36);
  });

  it('is driven by the chosen quantile of latency, not the typical one', () => {
    // One round in four is slow by 10 ms: p99 follows the slow rounds, the median does not.
    const latency = (rows: number, round: number) => 2 + 0.25 * rows + (round % 4 === 0 ? 10 : 0);
    const tail = new QuantilePolicy(base);
    feedAllSizes(tail, 8, latency);
    expect(tail.limit()).toBe(32); // (20 - 12) / 0.25
    const median = new QuantilePolicy({ ...base, quantile: 0.5 });
    feedAllSizes(median, 8, latency);
    expect(median.limit()).toBe(64); // (20 - 2) / 0.25 = 72, clamped
  });

  it('stays close to the ideal limit when latencies are noisy', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const policy = new QuantilePolicy(base);
    feedAllSizes(policy, 8, (rows) => 2 + 0.5 * rows + random()); // p99 ≈ 3 + 0.5·rows -> 34
    expect(policy.limit()).toBeGreaterThanOrEqual(32);
    expect(policy.limit()).toBeLessThanOrEqual(35);
  });

  it('explores upward one step at a time while every batch is well under the SLO', () => {
    const policy = new QuantilePolicy({ ...base, refitEvery: 4 });
    const limits = [policy.limit()];
    for (let i = 0; i < 40; i++) {
      policy.record(policy.limit(), 1 + 0.05 * policy.limit());
      if (policy.limit() !== limits[limits.length - 1]) limits.push(policy.limit());
    }
    expect(limits[0]).toBe(4);
    for (let i = 1; i < limits.length; i++) expect(limits[i] - limits[i - 1]).toBeLessThanOrEqual(4);
    expect(limits[limits.length - 1]).toBeGreaterThan(4);
  });

  it('does not explore past the batch sizes actually seen', () => {
    const policy = new QuantilePolicy(base);
    for (let i = 0; i < 200; i++) policy.record(1, 0.5);
    expect(policy.limit()).toBe(5); // largest size seen (1) plus one step
  });

  it('comes down when batches at the current size miss the SLO', () => {
    const policy = new QuantilePolicy(base);
    feedAllSizes(policy, 8, (rows) => 2 + 0.5 * rows);
    for (let i = 0; i < 512; i++) policy.record(36, 40); // the machine got twice as slow
    expect(policy.limit()).toBe(18);
  });

  it('keeps the limit within 1..maxBatchSize', () => {
    const fast = new QuantilePolicy(base);
    feedAllSizes(fast, 8, () => 1);
    expect(fast.limit()).toBe(64);
    const slow = new QuantilePolicy(base);
    feedAllSizes(slow, 8, (rows) => 30 + rows);
    expect(slow.limit()).toBe(1);
  });

  it('ignores a batch larger than maxBatchSize', () => {
    const policy = new QuantilePolicy({ ...base, refitEvery: 1 });
    policy.record(1000, 900);
    expect(policy.limit()).toBe(4);
  });
});
