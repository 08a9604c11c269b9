import { workerCount } from './worker-count';

const GiB = 2 ** 30;

describe('workerCount', () => {
  it('takes a number as it is', () => {
    expect(workerCount(3, { cores: 2, freeMemoryBytes: GiB, modelBytes: GiB })).toBe(3);
  });

  it('gives one worker per core for auto when memory allows', () => {
    expect(workerCount('auto', { cores: 16, freeMemoryBytes: 64 * GiB, modelBytes: 100 << 20 })).toBe(16);
  });

  it('gives fewer workers for auto when free RAM holds fewer copies of the models', () => {
    expect(workerCount('auto', { cores: 16, freeMemoryBytes: 10 * GiB, modelBytes: 2 * GiB })).toBe(5);
  });

  it('never gives fewer than one worker', () => {
    expect(workerCount('auto', { cores: 4, freeMemoryBytes: GiB, modelBytes: 3 * GiB })).toBe(1);
  });
});
