/** Decides how many rows the next batch may hold, learning from the batches that completed. */
export interface BatchSizePolicy {
  limit(): number;
  /**
   * One successful batch: its rows and its compute time (dispatch to results, queue wait excluded).
   * Queue wait is left out on purpose: it depends on the arrival rate, not on the batch size, and
   * shrinking batches because the queue is long would lower throughput exactly when it is needed,
   * making the queue longer still.
   */
  record(batchRows: number, latencyMs: number): void;
}
