/** One caller's unit of work: `rows` rows that always travel together in one batch. */
export interface BatchRequest<TIn> {
  rows: number;
  input: TIn;
  /** 1..10, 10 first; default 5. */
  priority?: number;
  /** Absolute time on the batcher's clock; a request still queued then is rejected and never runs. */
  deadline?: number;
  /** Requests with different keys never share a batch (e.g. different sizes of a free dimension). */
  groupKey?: string;
}

/**
 * Runs one batch: concatenates the inputs, runs the model, splits the outputs. Answers one result per
 * input, in order; an Error entry fails only that request, a rejection fails the batch.
 */
export type BatchExecutor<TIn, TOut> = (
  inputs: TIn[],
  batch: { rows: number; limit: number },
) => Promise<Array<TOut | Error>>;

export type RejectReason = 'queue_full' | 'deadline' | 'closed';

export interface BatchEvent {
  rows: number;
  requests: number;
  /** The batch-size limit in force when the batch was formed. */
  limit: number;
  /** Per request, time from submit to dispatch. */
  queueWaitMs: number[];
  /** Time from dispatch until every request of the batch was settled. */
  computeMs: number;
}

/** Hooks for metrics and logs; called synchronously, so they must be cheap. */
export interface BatchObserver {
  onBatch?(event: BatchEvent): void;
  onReject?(reason: RejectReason): void;
  onLimitChange?(limit: number): void;
}

export interface BatcherStats {
  queuedRows: number;
  queuedRequests: number;
  inFlight: number;
  limit: number;
  /** Batches dispatched since start, and the rows they held. */
  batches: number;
  rows: number;
  rejected: Record<RejectReason, number>;
}
