/** Weight of the newest batch in the moving averages: about the last ten batches count. */
const ALPHA = 0.2;

/**
 * How fast the instances get through queued rows, from the recent batches' size and compute time.
 * Capacity rather than rows counted per second: when the queue is full every instance is busy, so
 * capacity is the rate at which the queue will drain, and it is known from the very first batch,
 * where a per-second count would need a second of history.
 */
export class DrainRate {
  private meanRows = 0;
  private meanMs = 0;
  private batches = 0;

  record(rows: number, computeMs: number): void {
    const alpha = this.batches === 0 ? 1 : ALPHA;
    this.meanRows += alpha * (rows - this.meanRows);
    this.meanMs += alpha * (computeMs - this.meanMs);
    this.batches++;
  }

  /** Rows per second with `instances` batches running at once; undefined while there is no measure. */
  rowsPerSecond(instances: number): number | undefined {
    if (this.batches === 0 || this.meanMs <= 0) return undefined;
    return ((this.meanRows * 1000) / this.meanMs) * instances;
  }
}
