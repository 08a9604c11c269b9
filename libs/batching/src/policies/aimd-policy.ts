import { BatchSizePolicy } from './batch-size-policy';

/**
 * A batch at least this fraction of the limit counts as full enough to vouch for a larger limit. A batch
 * far below the limit meeting the SLO says nothing about whether a bigger one would: under light load
 * every batch is small and fast, and growing on that evidence would ratchet the limit up to the maximum
 * untested, so that the first burst would run batches that miss the SLO.
 */
const FULL_ENOUGH = 0.5;

export interface AimdOptions {
  maxBatchSize: number;
  latencySloMs: number;
  step: number;
  /** 0 < factor < 1. */
  factor: number;
}

/**
 * Clipper's additive-increase, multiplicative-decrease: grow the limit by `step` while batches meet the
 * SLO, cut it by `factor` when one misses. Starts small (one step) so that the first batches of a cold
 * model, whose latency is unknown, cannot miss by much.
 */
export class AimdPolicy implements BatchSizePolicy {
  private current: number;

  constructor(private readonly options: AimdOptions) {
    this.current = Math.min(options.step, options.maxBatchSize);
  }

  limit(): number {
    return this.current;
  }

  record(batchRows: number, latencyMs: number): void {
    // A batch above the limit is one oversized request (or was formed under an earlier, larger limit
    // that a miss has already cut): its latency is no evidence about the current limit either way.
    if (batchRows > this.current) return;
    const { maxBatchSize, latencySloMs, step, factor } = this.options;
    if (latencyMs > latencySloMs) {
      this.current = Math.max(1, Math.floor(this.current * factor));
    } else if (batchRows >= this.current * FULL_ENOUGH) {
      this.current = Math.min(maxBatchSize, this.current + step);
    }
  }
}
