import { DynamicBatcher } from './dynamic-batcher';
import { DEFAULT_BATCHING_SETTINGS } from './batching-settings';
import { answer, createHarness, track } from './testing/batcher-harness';
import { flushMicrotasks } from '@app/time';

describe('DynamicBatcher: failure isolation', () => {
  it('reruns each request alone when the executor throws for a batch, so one bad request fails only itself', async () => {
    const { submit, executor, batcher } = createHarness();
    const [b, c, d] = ['b', 'c', 'd'].map((input) => submit(input));
    await flushMicrotasks();
    executor.last.reject(new Error('worker crashed'));
    await flushMicrotasks();
    expect(executor.last.inputs).toEqual(['b']);
    answer(executor.last);
    await flushMicrotasks();
    expect(executor.last.inputs).toEqual(['c']);
    executor.last.reject(new Error('bad tensor'));
    await flushMicrotasks();
    expect(executor.last.inputs).toEqual(['d']);
    answer(executor.last);
    await flushMicrotasks();
    expect(b.value()).toBe('out:b');
    expect((c.error() as Error).message).toBe('bad tensor');
    expect(d.value()).toBe('out:d');
    expect(executor.calls).toHaveLength(4);
    expect(batcher.stats()).toMatchObject({ inFlight: 0, batches: 1, rows: 3 });
  });

  it('holds the in-flight slot while the reruns go one at a time', async () => {
    const { submit, executor } = createHarness({ maxBatchSize: 2 });
    submit('a');
    submit('b');
    submit('c');
    await flushMicrotasks();
    executor.last.reject(new Error('boom'));
    await flushMicrotasks();
    expect(executor.batches()).toEqual([['a', 'b'], ['a']]);
  });

  it('fails only the request whose result entry is an Error', async () => {
    const { submit, executor } = createHarness();
    const [a, b] = ['a', 'b'].map((input) => submit(input));
    await flushMicrotasks();
    const failure = new Error('no such token');
    executor.last.resolve(['A', failure]);
    await flushMicrotasks();
    expect(a.value()).toBe('A');
    expect(b.error()).toBe(failure);
    expect(executor.calls).toHaveLength(1);
  });

  it('rejects a lone request with the error its batch threw', async () => {
    const { submit, executor } = createHarness();
    const a = submit('a');
    await flushMicrotasks();
    const failure = new Error('out of memory');
    executor.last.reject(failure);
    await flushMicrotasks();
    expect(a.error()).toBe(failure);
    expect(executor.calls).toHaveLength(1);
  });

  it('fails with InternalError when the executor answers the wrong number of results', async () => {
    const { submit, executor } = createHarness();
    const a = submit('a');
    await flushMicrotasks();
    executor.last.resolve(['x', 'y']);
    await flushMicrotasks();
    expect(a.error()).toMatchObject({ code: 'INTERNAL' });
  });

  it('keeps batching when the executor throws synchronously', async () => {
    let calls = 0;
    const batcher = new DynamicBatcher<string, string>(DEFAULT_BATCHING_SETTINGS, (inputs) => {
      if (calls++ === 0) throw new Error('sync throw');
      return Promise.resolve(inputs.map((i) => `out:${i}`));
    });
    const a = track(batcher.submit({ rows: 1, input: 'a' }));
    const b = track(batcher.submit({ rows: 1, input: 'b' }));
    await batcher.drain();
    await flushMicrotasks();
    expect([a.value(), b.value()]).toEqual(['out:a', 'out:b']);
  });

  it('keeps batching when an observer throws', async () => {
    const { submit, executor, observer, batcher } = createHarness();
    observer.onBatch.mockImplementation(() => {
      throw new Error('metrics bug');
    });
    const a = submit('a');
    await flushMicrotasks();
    const b = submit('b');
    answer(executor.last);
    await flushMicrotasks();
    answer(executor.last);
    await flushMicrotasks();
    expect([a.value(), b.value()]).toEqual(['out:a', 'out:b']);
    expect(batcher.stats().inFlight).toBe(0);
  });

  it('does not let a broken-up batch teach the batch-size policy', async () => {
    const { submit, executor, clock, batcher } = createHarness({ policy: 'aimd', maxBatchSize: 16, aimdStep: 4 });
    submit('a', { rows: 2 });
    submit('b', { rows: 2 });
    await flushMicrotasks();
    executor.last.reject(new Error('boom'));
    await flushMicrotasks();
    answer(executor.last);
    await flushMicrotasks();
    clock.advance(500);
    answer(executor.last);
    await flushMicrotasks();
    expect(batcher.stats().limit).toBe(4);
  });
});
