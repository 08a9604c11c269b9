import { AimdPolicy } from './aimd-policy';

const options = { maxBatchSize: 64, latencySloMs: 50, step: 4, factor: 0.5 };

describe('AimdPolicy', () => {
  it('starts at one step', () => {
    expect(new AimdPolicy(options).limit()).toBe(4);
  });

  it('adds aimdStep after a full batch meets the SLO, up to maxBatchSize', () => {
    const policy = new AimdPolicy(options);
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) {
      policy.record(policy.limit(), 10);
      seen.push(policy.limit());
    }
    expect(seen.slice(0, 3)).toEqual([8, 12, 16]);
    expect(seen[seen.length - 1]).toBe(64);
  });

  it('halves the limit when a batch misses the SLO', () => {
    const policy = new AimdPolicy(options);
    for (let i = 0; i < 7; i++) policy.record(policy.limit(), 10);
    expect(policy.limit()).toBe(32);
    policy.record(32, 51);
    expect(policy.limit()).toBe(16);
  });

  it('rounds the decrease down and never goes below 1', () => {
    const policy = new AimdPolicy({ ...options, factor: 0.3 });
    policy.record(policy.limit(), 10); // 8
    policy.record(8, 100);
    expect(policy.limit()).toBe(2);
    policy.record(2, 100);
    policy.record(1, 100);
    expect(policy.limit()).toBe(1);
  });

  it('does not grow on a batch far below the limit', () => {
    const policy = new AimdPolicy(options);
    for (let i = 0; i < 4; i++) policy.record(policy.limit(), 10);
    expect(policy.limit()).toBe(20);
    policy.record(3, 1);
    expect(policy.limit()).toBe(20);
    policy.record(10, 1);
    expect(policy.limit()).toBe(24);
  });

  it('ignores a batch larger than the limit (a single oversized request)', () => {
    const policy = new AimdPolicy(options);
    policy.record(500, 400);
    expect(policy.limit()).toBe(4);
  });
});
