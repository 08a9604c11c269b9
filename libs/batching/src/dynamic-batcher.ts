import { DeadlineExceededError, InvalidInputError, ModelNotReadyError, OverloadedError } from '@app/errors';
import { executeBatch } from './batch-execution';
import { BatcherStats, BatchExecutor, BatchObserver, BatchRequest, RejectReason } from './batch-types';
import { BatchingSettings, DEFAULT_BATCHING_SETTINGS, validateBatchingSettings } from './batching-settings';
import { Clock, systemClock } from '@app/time';
import { DeadlineHeap } from './deadline-heap';
import { DrainRate } from './drain-rate';
import { BatchSizePolicy } from './policies/batch-size-policy';
import { createBatchSizePolicy } from './policies/create-batch-size-policy';
import { QueuedRequest } from './queued-request';
import { MAX_PRIORITY, MIN_PRIORITY, RequestQueue } from './request-queue';

const DEFAULT_PRIORITY = 5;
const MAX_RETRY_AFTER_SECONDS = 30;
/** setTimeout fires after 1 ms for anything longer (about 24.8 days), so longer waits are done in legs. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Why the dispatch loop runs: each allows a partial batch under different conditions. */
type Trigger = 'submit' | 'idle' | 'delay' | 'completion';

export interface DynamicBatcherOptions {
  clock?: Clock;
  observer?: BatchObserver;
  /** For error messages: usually `<model>:<version>`. */
  name?: string;
}

/**
 * Gathers requests into batches for one model version and runs them through `executor`, at most
 * `maxInFlight` batches at a time (one per instance). A batch goes out when the queued rows reach the
 * policy's limit, when the oldest request has waited `maxDelayMs`, at once when nothing is running (an
 * idle server adds no delay), and right after a batch completes (under load the queue that built up
 * meanwhile is the next batch, which is where most batching comes from).
 *
 * Everything is O(1) or O(log n) per request and uses at most two timers (the delay of the oldest
 * request, the earliest deadline), so it keeps up with tens of thousands of requests per second.
 */
export class DynamicBatcher<TIn, TOut> {
  private readonly settings: BatchingSettings;
  private readonly clock: Clock;
  private readonly observer: BatchObserver;
  private readonly name: string;
  private readonly policy: BatchSizePolicy;
  private readonly queue = new RequestQueue();
  private readonly deadlines = new DeadlineHeap();
  private readonly drainRate = new DrainRate();
  private inFlight = 0;
  private seq = 0;
  private closing = false;
  private idleFlushPending = false;
  private delayTimer: unknown = undefined;
  private deadlineTimer: unknown = undefined;
  private deadlineTimerAt = Infinity;
  private reportedLimit: number;
  private idleWaiters: Array<() => void> = [];
  private readonly counters = { batches: 0, rows: 0, rejected: { queue_full: 0, deadline: 0, closed: 0 } };

  constructor(
    settings: BatchingSettings,
    private readonly executor: BatchExecutor<TIn, TOut>,
    options: DynamicBatcherOptions = {},
  ) {
    this.settings = validateBatchingSettings(settings, DEFAULT_BATCHING_SETTINGS);
    this.clock = options.clock ?? systemClock;
    this.observer = options.observer ?? {};
    this.name = options.name ?? 'batcher';
    this.policy = createBatchSizePolicy(this.settings);
    this.reportedLimit = this.policy.limit();
  }

  submit(request: BatchRequest<TIn>): Promise<TOut> {
    const { rows, priority = DEFAULT_PRIORITY, deadline, groupKey = '' } = request;
    if (!Number.isInteger(rows) || rows < 1) {
      return Promise.reject(new InvalidInputError(`rows must be an integer >= 1, got ${rows}`, 'rows'));
    }
    if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      const message = `priority must be an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY}, got ${priority}`;
      return Promise.reject(new InvalidInputError(message, 'priority'));
    }
    if (deadline !== undefined && (typeof deadline !== 'number' || Number.isNaN(deadline))) {
      return Promise.reject(new InvalidInputError(`deadline must be a time in ms, got ${deadline}`, 'deadline'));
    }
    if (this.closing) {
      this.countReject('closed');
      return Promise.reject(new ModelNotReadyError(`${this.name} is shutting down and takes no new requests`));
    }
    const now = this.clock.now();
    if (deadline !== undefined && deadline <= now) {
      this.countReject('deadline');
      return Promise.reject(new DeadlineExceededError(`${this.name}: deadline passed before the request was queued`));
    }
    // An empty queue takes a request of any size: otherwise one larger than maxQueue could never run
    // and its client would be told to retry forever.
    if (this.queue.requests > 0 && this.queue.rows + rows > this.settings.maxQueue) {
      this.countReject('queue_full');
      return Promise.reject(
        new OverloadedError(
          `${this.name}: batch queue is full (${this.queue.rows} rows waiting, bound ${this.settings.maxQueue})`,
          this.retryAfterSeconds(rows),
        ),
      );
    }

    const hasDeadline = deadline !== undefined && deadline !== Infinity;
    const entry = new QueuedRequest<TIn, TOut>(
      request.input,
      rows,
      priority,
      groupKey,
      deadline ?? Infinity,
      this.seq++,
      now,
    );
    const promise = new Promise<TOut>((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    this.queue.push(entry as QueuedRequest);
    if (hasDeadline) {
      this.deadlines.push(entry as QueuedRequest);
      this.armDeadlineTimer();
    }
    this.pump('submit');
    return promise;
  }

  stats(): BatcherStats {
    return {
      queuedRows: this.queue.rows,
      queuedRequests: this.queue.requests,
      inFlight: this.inFlight,
      limit: this.policy.limit(),
      batches: this.counters.batches,
      rows: this.counters.rows,
      rejected: { ...this.counters.rejected },
    };
  }

  /** Resolves when nothing is queued or running (right away if that is already so). */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking requests; what is queued is dispatched without further delay, and everything finishes. */
  close(): Promise<void> {
    this.closing = true;
    this.pump('completion');
    return this.drain();
  }

  /**
   * `firedFor`: when a timer triggers the loop, the time it was set for. Node timers can fire a fraction
   * of a millisecond early by performance.now(); what was due at that time counts as due, instead of a
   * second timer round that would make the batch (or the deadline rejection) a millisecond late.
   */
  private pump(trigger: Trigger, firedFor = -Infinity): void {
    const { maxInFlight, maxDelayMs } = this.settings;
    while (this.inFlight < maxInFlight && this.queue.requests > 0) {
      const limit = this.policy.limit();
      const ready =
        this.closing ||
        trigger === 'completion' ||
        this.queue.rows >= limit ||
        (trigger === 'idle' && this.inFlight === 0) ||
        (trigger === 'delay' && Math.max(this.clock.now(), firedFor) - this.queue.oldestEnqueuedAt() >= maxDelayMs);
      if (!ready) break;
      this.dispatch(limit);
      // Only the first batch after a completion goes out regardless of size; the rest wait as usual.
      if (trigger === 'completion') trigger = 'delay';
    }
    if (this.queue.requests === 0) {
      this.cancelDelayTimer();
    } else if (this.inFlight < maxInFlight) {
      if (this.inFlight === 0) this.scheduleIdleFlush();
      else this.scheduleDelayTimer();
    }
  }

  /**
   * Idle: dispatch in a microtask rather than inside submit(). It costs microseconds, and requests
   * submitted in the same tick (a queue worker handing over the jobs it fetched, a loop over rows) go
   * out as one batch instead of the first alone and the rest behind it.
   */
  private scheduleIdleFlush(): void {
    if (this.idleFlushPending) return;
    this.idleFlushPending = true;
    queueMicrotask(() => {
      this.idleFlushPending = false;
      this.pump('idle');
    });
  }

  private scheduleDelayTimer(): void {
    if (this.delayTimer !== undefined) return;
    const dueAt = this.queue.oldestEnqueuedAt() + this.settings.maxDelayMs;
    this.delayTimer = this.clock.setTimeout(
      () => {
        this.delayTimer = undefined;
        this.pump('delay', dueAt);
      },
      Math.max(0, dueAt - this.clock.now()),
    );
  }

  private cancelDelayTimer(): void {
    if (this.delayTimer === undefined) return;
    this.clock.clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
  }

  private dispatch(limit: number): void {
    const requests = this.queue.take(limit) as QueuedRequest<TIn, TOut>[];
    const startedAt = this.clock.now();
    let rows = 0;
    const queueWaitMs = new Array<number>(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i];
      rows += request.rows;
      queueWaitMs[i] = startedAt - request.enqueuedAt;
      if (request.heapIndex >= 0) this.deadlines.remove(request as QueuedRequest);
    }
    if (this.deadlines.size === 0) this.cancelDeadlineTimer();
    this.inFlight++;
    this.counters.batches++;
    this.counters.rows += rows;
    void this.run(requests, rows, limit, startedAt, queueWaitMs);
  }

  private async run(
    requests: QueuedRequest<TIn, TOut>[],
    rows: number,
    limit: number,
    startedAt: number,
    queueWaitMs: number[],
  ): Promise<void> {
    try {
      const ranWhole = await executeBatch(this.executor, requests, rows, limit);
      const computeMs = this.clock.now() - startedAt;
      if (ranWhole) {
        this.drainRate.record(rows, computeMs);
        this.recordLatency(rows, computeMs);
      }
      this.notify(() => this.observer.onBatch?.({ rows, requests: requests.length, limit, queueWaitMs, computeMs }));
    } finally {
      this.inFlight--;
      this.pump('completion');
      this.resolveIdleWaiters();
    }
  }

  private recordLatency(rows: number, computeMs: number): void {
    this.policy.record(rows, computeMs);
    const limit = this.policy.limit();
    if (limit !== this.reportedLimit) {
      this.reportedLimit = limit;
      this.notify(() => this.observer.onLimitChange?.(limit));
    }
  }

  private armDeadlineTimer(): void {
    const earliest = this.deadlines.peek();
    if (earliest === undefined) return this.cancelDeadlineTimer();
    // One timer for the earliest deadline; a later deadline never moves it. When the request it was set
    // for leaves early, it fires for nothing and re-arms, which is cheaper than re-arming on every take.
    if (this.deadlineTimer !== undefined && this.deadlineTimerAt <= earliest.deadline) return;
    this.cancelDeadlineTimer();
    const now = this.clock.now();
    const waitMs = Math.max(0, earliest.deadline - now);
    // A wait longer than a timer can hold fires early by design; only a full wait stands for the deadline.
    const firesFor = waitMs > MAX_TIMER_MS ? now + MAX_TIMER_MS : earliest.deadline;
    this.deadlineTimerAt = firesFor;
    this.deadlineTimer = this.clock.setTimeout(
      () => {
        this.deadlineTimer = undefined;
        this.deadlineTimerAt = Infinity;
        this.expireDeadlines(firesFor);
      },
      Math.min(waitMs, MAX_TIMER_MS),
    );
  }

  private cancelDeadlineTimer(): void {
    if (this.deadlineTimer === undefined) return;
    this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.deadlineTimerAt = Infinity;
  }

  /**
   * Rejects queued requests whose deadline has come, at that moment, so that no client waits past it.
   * `firedFor` as in pump(): the deadline the timer was set for counts as come even if it fired early.
   */
  private expireDeadlines(firedFor: number): void {
    const now = Math.max(this.clock.now(), firedFor);
    for (let next = this.deadlines.peek(); next !== undefined && next.deadline <= now; next = this.deadlines.peek()) {
      this.deadlines.remove(next);
      this.queue.remove(next);
      this.countReject('deadline');
      const waitedMs = Math.round(now - next.enqueuedAt);
      next.reject(new DeadlineExceededError(`${this.name}: deadline passed after ${waitedMs} ms in the batch queue`));
    }
    this.armDeadlineTimer();
    if (this.queue.requests === 0) this.cancelDelayTimer();
    this.resolveIdleWaiters();
  }

  /** Seconds until the queue ahead of a refused request would have drained at the recent throughput. */
  private retryAfterSeconds(rows: number): number {
    const rowsPerSecond = this.drainRate.rowsPerSecond(this.settings.maxInFlight);
    if (rowsPerSecond === undefined) return 1; // nothing finished yet: no basis for a longer wait
    const seconds = Math.ceil((this.queue.rows + rows) / rowsPerSecond);
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
  }

  private countReject(reason: RejectReason): void {
    this.counters.rejected[reason]++;
    this.notify(() => this.observer.onReject?.(reason));
  }

  /**
   * Observers are metrics and logs: one that throws must not break batching (it would leave inFlight
   * counted up forever and stall the model), so its error is dropped here.
   */
  private notify(call: () => void): void {
    try {
      call();
    } catch {
      // deliberately ignored, see above
    }
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.queue.requests === 0;
  }

  private resolveIdleWaiters(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
