import { performance } from 'node:perf_hooks';

/** Milliseconds, monotonic; injected so that tests expire entries by moving a fake clock. */
export interface CacheClock {
  now(): number;
}

export const systemCacheClock: CacheClock = { now: () => performance.now() };
