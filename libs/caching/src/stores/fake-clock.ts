import { CacheClock } from '../clock';

/** A clock that moves only when told to (tests). */
export class FakeCacheClock implements CacheClock {
  // Not 0: lru-cache takes a start time of 0 for "no start" and would never expire such an entry.
  constructor(private t = 1_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
