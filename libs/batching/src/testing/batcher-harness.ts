import { BatchingSettings, DEFAULT_BATCHING_SETTINGS } from '../batching-settings';
import { BatchObserver, BatchRequest } from '../batch-types';
import { DynamicBatcher } from '../dynamic-batcher';
import { ControlledExecutor, ExecutorCall } from './controlled-executor';
import { FakeClock } from '@app/time';

/** A request's promise with its outcome readable synchronously, for asserting what has settled. */
export interface Tracked<T> {
  promise: Promise<T>;
  state(): 'pending' | 'resolved' | 'rejected';
  value(): T | undefined;
  error(): unknown;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      state = 'resolved';
      value = v;
    },
    (e) => {
      state = 'rejected';
      error = e;
    },
  );
  return { promise, state: () => state, value: () => value, error: () => error };
}

/**
 * A batcher on a fake clock in front of a hand-driven executor. Defaults: fixed policy, limit 4 rows,
 * one batch in flight, 2 ms delay.
 */
export function createHarness(overrides: Partial<BatchingSettings> = {}) {
  const clock = new FakeClock();
  const executor = new ControlledExecutor<string, string>();
  const observer = {
    onBatch: jest.fn<void, Parameters<NonNullable<BatchObserver['onBatch']>>>(),
    onReject: jest.fn<void, Parameters<NonNullable<BatchObserver['onReject']>>>(),
    onLimitChange: jest.fn<void, [number]>(),
  };
  const settings: BatchingSettings = { ...DEFAULT_BATCHING_SETTINGS, policy: 'fixed', maxBatchSize: 4, ...overrides };
  const batcher = new DynamicBatcher<string, string>(settings, executor.run, { clock, observer, name: 'iris:1' });
  const submit = (input: string, request: Partial<BatchRequest<string>> = {}) =>
    track(batcher.submit({ rows: 1, input, ...request }));
  return { clock, executor, observer, batcher, submit };
}

/** Answers a batch with `out:<input>` per input. */
export function answer(call: ExecutorCall<string, string>): void {
  call.resolve(call.inputs.map((input) => `out:${input}`));
}
