import { answer, createHarness } from './testing/batcher-harness';
import { flushMicrotasks } from '@app/time';

describe('DynamicBatcher: forming batches', () => {
  it('dispatches at once when idle, without waiting for maxDelayMs', async () => {
    const { executor, submit, clock } = createHarness({ maxDelayMs: 1000 });
    const a = submit('a');
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a']]);
    expect(clock.now()).toBe(0);
    answer(executor.last);
    await flushMicrotasks();
    expect(a.value()).toBe('out:a');
  });

  it('sends requests submitted in the same tick while idle as one batch', async () => {
    const { executor, submit } = createHarness();
    submit('a');
    submit('b');
    submit('c');
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a', 'b', 'c']]);
  });

  it('dispatches as soon as the queued rows reach the limit, even while another batch runs', async () => {
    const { executor, submit } = createHarness({ maxInFlight: 2, maxDelayMs: 1000 });
    submit('a');
    await flushMicrotasks();
    for (const input of ['b', 'c', 'd', 'e']) submit(input);
    expect(executor.batches()).toEqual([['a'], ['b', 'c', 'd', 'e']]);
  });

  it('dispatches a partial batch when the oldest request has waited maxDelayMs and an instance is free', async () => {
    const { executor, submit, clock } = createHarness({ maxInFlight: 2, maxDelayMs: 2 });
    submit('a');
    await flushMicrotasks();
    submit('b');
    clock.advance(1);
    submit('c');
    clock.advance(0.9);
    expect(executor.batches()).toEqual([['a']]);
    clock.advance(0.1);
    expect(executor.batches()).toEqual([['a'], ['b', 'c']]);
  });

  it('holds queued requests while every in-flight slot is busy, then sends them as the next batch at once', async () => {
    const { executor, submit, clock } = createHarness({ maxInFlight: 1, maxDelayMs: 2 });
    submit('a');
    await flushMicrotasks();
    submit('b');
    submit('c');
    clock.advance(100);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a']]);
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['b', 'c']]);
  });

  it('runs at most maxInFlight batches at once', async () => {
    const { executor, submit, batcher } = createHarness({ maxInFlight: 2, maxBatchSize: 1 });
    submit('a');
    submit('b');
    submit('c');
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['b']]);
    expect(batcher.stats().inFlight).toBe(2);
    answer(executor.calls[1]);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['b'], ['c']]);
    expect(batcher.stats().inFlight).toBe(2);
  });

  it('never splits a request and stops filling at the first request that does not fit', async () => {
    const { executor, submit } = createHarness();
    submit('a');
    await flushMicrotasks();
    submit('b', { rows: 3 });
    submit('c', { rows: 2 });
    submit('d', { rows: 1 });
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.last.inputs).toEqual(['b']);
    expect(executor.last.batch).toEqual({ rows: 3, limit: 4 });
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.last.inputs).toEqual(['c', 'd']);
    expect(executor.last.batch).toEqual({ rows: 3, limit: 4 });
  });

  it('runs a request with more rows than the limit alone instead of refusing it', async () => {
    const { executor, submit } = createHarness();
    const big = submit('big', { rows: 10 });
    submit('small');
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['big']]);
    expect(executor.last.batch).toEqual({ rows: 10, limit: 4 });
    answer(executor.last);
    await flushMicrotasks();
    expect(big.value()).toBe('out:big');
    expect(executor.batches()).toEqual([['big'], ['small']]);
  });

  it('hands each caller the result at its own position in the batch', async () => {
    const { executor, submit } = createHarness();
    const requests = ['a', 'b', 'c', 'd'].map((input) => submit(input));
    await flushMicrotasks();
    executor.last.resolve(['A', 'B', 'C', 'D']);
    await flushMicrotasks();
    expect(requests.map((r) => r.value())).toEqual(['A', 'B', 'C', 'D']);
  });

  it('with batching disabled sends every request as its own batch without delay', async () => {
    const { executor, submit, clock } = createHarness({ enabled: false, maxInFlight: 2, maxDelayMs: 1000 });
    submit('a');
    submit('b', { rows: 3 });
    submit('c');
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['b']]);
    expect(executor.calls[1].batch).toEqual({ rows: 3, limit: 1 });
    answer(executor.calls[0]);
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a'], ['b'], ['c']]);
    expect(clock.now()).toBe(0);
  });

  it('reports every batch to the observer with per-request queue wait and compute time', async () => {
    const { executor, submit, clock, observer } = createHarness();
    submit('a');
    await flushMicrotasks();
    submit('b');
    clock.advance(3);
    submit('c');
    clock.advance(2);
    answer(executor.last);
    await flushMicrotasks();
    expect(observer.onBatch).toHaveBeenCalledWith({ rows: 1, requests: 1, limit: 4, queueWaitMs: [0], computeMs: 5 });
    clock.advance(7);
    answer(executor.last);
    await flushMicrotasks();
    expect(observer.onBatch).toHaveBeenLastCalledWith({ rows: 2, requests: 2, limit: 4, queueWaitMs: [5, 2], computeMs: 7 });
  });

  it('counts queued work, batches and rows in stats()', async () => {
    const { executor, submit, batcher } = createHarness();
    submit('a', { rows: 2 });
    await flushMicrotasks();
    submit('b', { rows: 3 });
    expect(batcher.stats()).toEqual({
      queuedRows: 3,
      queuedRequests: 1,
      inFlight: 1,
      limit: 4,
      batches: 1,
      rows: 2,
      rejected: { queue_full: 0, deadline: 0, closed: 0 },
    });
    answer(executor.last);
    await flushMicrotasks();
    expect(batcher.stats()).toMatchObject({ queuedRows: 0, queuedRequests: 0, inFlight: 1, batches: 2, rows: 5 });
  });

  it('reports limit changes of an adaptive policy through onLimitChange and stats().limit', async () => {
    const { executor, submit, clock, observer, batcher } = createHarness({
      policy: 'aimd',
      maxBatchSize: 16,
      aimdStep: 4,
      latencySloMs: 50,
    });
    expect(batcher.stats().limit).toBe(4);
    submit('a', { rows: 4 });
    await flushMicrotasks();
    clock.advance(10);
    answer(executor.last);
    await flushMicrotasks();
    expect(observer.onLimitChange).toHaveBeenCalledWith(8);
    expect(batcher.stats().limit).toBe(8);
    submit('b', { rows: 8 });
    await flushMicrotasks();
    clock.advance(80);
    answer(executor.last);
    await flushMicrotasks();
    expect(observer.onLimitChange).toHaveBeenLastCalledWith(4);
    expect(batcher.stats().limit).toBe(4);
  });

  it('judges a batch for the adaptive policy by its compute time, not by how long its requests queued', async () => {
    const { executor, submit, clock, batcher } = createHarness({ policy: 'aimd', maxBatchSize: 16, latencySloMs: 50 });
    submit('a', { rows: 10 }); // larger than the limit: its own slowness says nothing about the limit
    await flushMicrotasks();
    submit('b', { rows: 4 });
    clock.advance(200);
    answer(executor.last);
    await flushMicrotasks();
    clock.advance(10);
    answer(executor.last); // b waited 200 ms in the queue but computed in 10 ms
    await flushMicrotasks();
    expect(batcher.stats().limit).toBe(8);
  });

  it('rejects a non-positive row count and a priority outside 1..10 with InvalidInputError', async () => {
    const { submit } = createHarness();
    const zeroRows = submit('a', { rows: 0 });
    const badPriority = submit('b', { priority: 11 });
    await flushMicrotasks();
    expect(zeroRows.error()).toMatchObject({ code: 'INVALID_INPUT', field: 'rows' });
    expect(badPriority.error()).toMatchObject({ code: 'INVALID_INPUT', field: 'priority' });
  });
});
