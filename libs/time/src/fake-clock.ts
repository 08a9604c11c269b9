import { Clock } from '@app/time';

interface FakeTimer {
  at: number;
  id: number;
  fn: () => void;
}

/** A clock that only moves when a test says so; due timers run in time order during advance(). */
export class FakeClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, FakeTimer>();

  /** `start`: lru-cache takes a start time of 0 for "no start", so cache tests begin elsewhere. */
  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), id, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let due: FakeTimer | undefined;
      for (const timer of this.timers.values()) {
        if (timer.at > target) continue;
        if (due === undefined || timer.at < due.at || (timer.at === due.at && timer.id < due.id)) due = timer;
      }
      if (due === undefined) break;
      this.timers.delete(due.id);
      this.time = due.at;
      due.fn();
    }
    this.time = target;
  }
}

/** Lets pending promise callbacks (and the batcher's idle microtask) run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
