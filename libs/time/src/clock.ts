import { performance } from 'node:perf_hooks';

/** Time as the batcher and the cache see it; injected so that tests drive delays, deadlines and expiry by hand. */
export interface Clock {
  /** Milliseconds, monotonic; deadlines and cache expiry are on this scale. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// performance.now() rather than Date.now(): monotonic (no jumps when NTP adjusts the wall clock) and
// sub-millisecond, which matters when the delays being measured are 1-2 ms.
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
