import { BatchExecutor } from '../batch-types';

export interface ExecutorCall<TIn, TOut> {
  inputs: TIn[];
  batch: { rows: number; limit: number };
  resolve(results: Array<TOut | Error>): void;
  reject(error: unknown): void;
}

/** An executor whose batches stay running until the test settles them by hand. */
export class ControlledExecutor<TIn, TOut> {
  readonly calls: Array<ExecutorCall<TIn, TOut>> = [];

  readonly run: BatchExecutor<TIn, TOut> = (inputs, batch) =>
    new Promise((resolve, reject) => this.calls.push({ inputs, batch, resolve, reject }));

  get last(): ExecutorCall<TIn, TOut> {
    return this.calls[this.calls.length - 1];
  }

  /** Inputs of every call so far, one array per batch. */
  batches(): TIn[][] {
    return this.calls.map((c) => c.inputs);
  }
}
