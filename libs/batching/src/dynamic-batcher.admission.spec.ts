import { DeadlineExceededError, ModelNotReadyError, OverloadedError } from '@app/errors';
import { answer, createHarness } from './testing/batcher-harness';
import { flushMicrotasks } from '@app/time';

describe('DynamicBatcher: bounded queue', () => {
  it('rejects with OverloadedError at once when the queue is full', async () => {
    const { submit, observer, batcher } = createHarness({ maxQueue: 4 });
    submit('a');
    await flushMicrotasks();
    submit('b', { rows: 3 });
    const refused = submit('c', { rows: 2 });
    await flushMicrotasks();
    expect(refused.error()).toBeInstanceOf(OverloadedError);
    expect(refused.error()).toMatchObject({ retryAfterSeconds: 1 });
    expect(observer.onReject).toHaveBeenCalledWith('queue_full');
    expect(batcher.stats()).toMatchObject({ queuedRows: 3, rejected: { queue_full: 1 } });
    const fits = submit('d', { rows: 1 });
    await flushMicrotasks();
    expect(fits.state()).toBe('pending');
  });

  it('estimates Retry-After from the queued rows and the recent throughput', async () => {
    const { executor, submit, clock } = createHarness({ maxBatchSize: 10, maxQueue: 50 });
    submit('a', { rows: 10 });
    await flushMicrotasks();
    clock.advance(1000); // 10 rows per second with one instance
    for (let i = 0; i < 5; i++) submit(`q${i}`, { rows: 10 });
    answer(executor.last);
    await flushMicrotasks();
    submit('fill', { rows: 10 });
    const refused = submit('late', { rows: 10 });
    await flushMicrotasks();
    // 50 rows queued ahead of it plus its own 10, at 10 rows/s
    expect(refused.error()).toMatchObject({ code: 'OVERLOADED', retryAfterSeconds: 6 });
  });

  it('caps Retry-After at 30 seconds', async () => {
    const { executor, submit, clock } = createHarness({ maxBatchSize: 1, maxQueue: 3 });
    submit('a');
    await flushMicrotasks();
    clock.advance(60_000);
    answer(executor.last);
    submit('b');
    await flushMicrotasks();
    for (const input of ['c', 'd', 'e']) submit(input);
    const refused = submit('f');
    await flushMicrotasks();
    expect(refused.error()).toMatchObject({ retryAfterSeconds: 30 });
  });

  it('accepts a request larger than maxQueue when nothing is queued, so that it is not refused forever', async () => {
    const { executor, submit } = createHarness({ maxQueue: 4 });
    const big = submit('big', { rows: 100 });
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['big']]);
    expect(big.state()).toBe('pending');
  });
});

describe('DynamicBatcher: deadlines', () => {
  it('rejects a request whose deadline has already passed without queueing it', async () => {
    const { clock, submit, executor, batcher } = createHarness();
    clock.advance(10);
    const late = submit('a', { deadline: 10 });
    await flushMicrotasks();
    expect(late.error()).toBeInstanceOf(DeadlineExceededError);
    expect(executor.calls).toHaveLength(0);
    expect(batcher.stats().rejected.deadline).toBe(1);
  });

  it('rejects a queued request at its deadline, not later, and never runs it', async () => {
    const { clock, submit, executor, observer, batcher } = createHarness();
    submit('a');
    await flushMicrotasks();
    const b = submit('b', { deadline: 10 });
    clock.advance(9.5);
    await flushMicrotasks();
    expect(b.state()).toBe('pending');
    clock.advance(0.5);
    await flushMicrotasks();
    expect(b.error()).toBeInstanceOf(DeadlineExceededError);
    expect(observer.onReject).toHaveBeenCalledWith('deadline');
    expect(batcher.stats()).toMatchObject({ queuedRequests: 0, queuedRows: 0, rejected: { deadline: 1 } });
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a']]);
  });

  it('drops an expired request from the batch it would have joined', async () => {
    const { clock, submit, executor } = createHarness();
    submit('a');
    await flushMicrotasks();
    submit('b', { deadline: 5 });
    const c = submit('c', { deadline: 50 });
    submit('d');
    clock.advance(5);
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['c', 'd']]);
    answer(executor.last);
    await flushMicrotasks();
    expect(c.value()).toBe('out:c');
  });

  it('uses one timer for the earliest deadline however many requests have one', async () => {
    const { clock, submit } = createHarness();
    submit('a');
    await flushMicrotasks();
    const queued = Array.from({ length: 100 }, (_, i) => submit(`r${i}`, { deadline: 200 - i }));
    expect(clock.pendingTimers).toBe(1);
    clock.advance(101);
    await flushMicrotasks();
    expect(queued.filter((r) => r.state() === 'rejected')).toHaveLength(1);
    expect(queued[99].state()).toBe('rejected');
    expect(clock.pendingTimers).toBe(1);
  });

  it('expires requests in deadline order, each at its own deadline', async () => {
    const { clock, submit } = createHarness();
    submit('a');
    await flushMicrotasks();
    const late = submit('late', { deadline: 30 });
    const early = submit('early', { deadline: 10 });
    clock.advance(10);
    await flushMicrotasks();
    expect([early.state(), late.state()]).toEqual(['rejected', 'pending']);
    clock.advance(20);
    await flushMicrotasks();
    expect(late.state()).toBe('rejected');
  });

  it('lets a request that has started running finish past its deadline', async () => {
    const { clock, submit, executor } = createHarness();
    const a = submit('a', { deadline: 5 });
    await flushMicrotasks();
    clock.advance(10);
    answer(executor.last);
    await flushMicrotasks();
    expect(a.value()).toBe('out:a');
  });

  it('waits out a deadline longer than a Node timer can hold in several legs', async () => {
    const { clock, submit } = createHarness();
    submit('a');
    await flushMicrotasks();
    const deadline = 2 ** 31 + 5000;
    const b = submit('b', { deadline });
    clock.advance(2 ** 31);
    await flushMicrotasks();
    expect(b.state()).toBe('pending');
    expect(clock.pendingTimers).toBe(1);
    clock.advance(5000);
    await flushMicrotasks();
    expect(b.error()).toBeInstanceOf(DeadlineExceededError);
  });

  it('treats an infinite deadline as none and refuses NaN', async () => {
    const { clock, submit } = createHarness();
    submit('a');
    await flushMicrotasks();
    const forever = submit('b', { deadline: Infinity });
    const nan = submit('c', { deadline: NaN });
    await flushMicrotasks();
    expect(clock.pendingTimers).toBe(0);
    expect(forever.state()).toBe('pending');
    expect(nan.error()).toMatchObject({ code: 'INVALID_INPUT', field: 'deadline' });
  });

  it('clears the deadline timer once no queued request has a deadline', async () => {
    const { clock, submit, executor } = createHarness();
    submit('a');
    await flushMicrotasks();
    submit('b', { deadline: 60_000 });
    expect(clock.pendingTimers).toBe(1);
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['b']]);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('DynamicBatcher: priorities and groups', () => {
  it('dispatches higher priorities first and keeps FIFO order within a priority', async () => {
    const { submit, executor } = createHarness({ maxBatchSize: 2 });
    submit('a');
    await flushMicrotasks();
    submit('b', { priority: 5 });
    submit('c', { priority: 9 });
    submit('d', { priority: 5 });
    submit('e', { priority: 9 });
    submit('f', { priority: 1 });
    for (let i = 0; i < 3; i++) {
      answer(executor.last);
      await flushMicrotasks();
    }
    expect(executor.batches()).toEqual([['a'], ['c', 'e'], ['b', 'd'], ['f']]);
  });

  it('never puts requests with different group keys in one batch', async () => {
    const { submit, executor } = createHarness();
    submit('a');
    await flushMicrotasks();
    submit('b', { groupKey: 'len=8' });
    submit('c', { groupKey: 'len=16' });
    submit('d', { groupKey: 'len=8' });
    submit('e', { groupKey: 'len=16' });
    answer(executor.last);
    await flushMicrotasks();
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['b', 'd'], ['c', 'e']]);
  });

  it("fills a batch with the highest-priority request's group, across priorities", async () => {
    const { submit, executor } = createHarness();
    submit('a');
    await flushMicrotasks();
    submit('b', { groupKey: 'x' });
    submit('c', { groupKey: 'y', priority: 8 });
    submit('d', { groupKey: 'x' });
    submit('e', { groupKey: 'y' });
    answer(executor.last);
    await flushMicrotasks();
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['c', 'e'], ['b', 'd']]);
  });
});

describe('DynamicBatcher: close and drain', () => {
  it('close() refuses new requests with ModelNotReadyError and finishes what is queued and running', async () => {
    const { submit, executor, batcher, observer } = createHarness();
    const a = submit('a');
    await flushMicrotasks();
    const b = submit('b');
    let closed = false;
    const closing = batcher.close().then(() => (closed = true));
    const refused = submit('c');
    answer(executor.last);
    await flushMicrotasks();
    expect(refused.error()).toBeInstanceOf(ModelNotReadyError);
    expect(observer.onReject).toHaveBeenCalledWith('closed');
    expect(batcher.stats().rejected.closed).toBe(1);
    expect(executor.batches()).toEqual([['a'], ['b']]);
    expect(closed).toBe(false);
    answer(executor.last);
    await closing;
    expect([a.value(), b.value()]).toEqual(['out:a', 'out:b']);
  });

  it('close() sends queued requests without waiting for the delay', async () => {
    const { submit, executor, batcher } = createHarness({ maxInFlight: 2, maxDelayMs: 1000 });
    submit('a');
    await flushMicrotasks();
    submit('b');
    void batcher.close();
    expect(executor.batches()).toEqual([['a'], ['b']]);
  });

  it('drain() resolves at once when idle and otherwise after the last batch', async () => {
    const { submit, executor, batcher } = createHarness();
    await batcher.drain();
    submit('a');
    submit('b', { rows: 4 });
    let drained = false;
    void batcher.drain().then(() => (drained = true));
    await flushMicrotasks();
    answer(executor.last);
    await flushMicrotasks();
    expect(drained).toBe(false);
    answer(executor.last);
    await flushMicrotasks();
    expect(drained).toBe(true);
  });
});
