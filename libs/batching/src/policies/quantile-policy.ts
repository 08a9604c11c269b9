import { BatchSizePolicy } from './batch-size-policy';
import { fitLatencyLine, LatencyPoint } from './latency-line';

/** Batch sizes are grouped into this many buckets to estimate a latency quantile per size. */
const BUCKETS = 16;
/** A bucket's quantile from fewer samples is too noisy to use (with 3, p99 is simply the max). */
const MIN_BUCKET_SAMPLES = 3;
/** Exploring above the sizes seen is only done while every bucket is this far under the SLO. */
const WELL_UNDER = 0.75;

export interface QuantileOptions {
  maxBatchSize: number;
  latencySloMs: number;
  /** e.g. 0.99: the latency quantile to keep under the SLO. */
  quantile: number;
  /** How far to explore above the largest batch size seen. */
  step: number;
  /** Samples kept: old ones fall out so that the model can track a change of load or machine. */
  windowSize?: number;
  /** Refit after this many samples; a refit sorts the window, too costly after every batch. */
  refitEvery?: number;
}

/**
 * Clipper's alternative to AIMD: model the tail latency of a batch as a + b·rows and pick the largest
 * size whose predicted quantile meets the SLO. A quantile is estimated per bucket of batch sizes from a
 * bounded window of samples, and the line is fitted through those quantiles (least squares weighted by
 * each bucket's sample count, since a quantile of many samples is the more trustworthy). The fit is only
 * trusted within the sizes actually seen; above them the limit creeps up one step at a time, and only
 * while everything seen is well under the SLO, so extrapolation can never jump far past the evidence.
 */
export class QuantilePolicy implements BatchSizePolicy {
  private current: number;
  private readonly rows: Float64Array;
  private readonly latencies: Float64Array;
  private samples = 0;
  private nextSlot = 0;
  private sinceRefit = 0;
  private readonly bucketWidth: number;
  private readonly refitEvery: number;

  constructor(private readonly options: QuantileOptions) {
    const windowSize = options.windowSize ?? 512;
    this.rows = new Float64Array(windowSize);
    this.latencies = new Float64Array(windowSize);
    this.refitEvery = options.refitEvery ?? 8;
    this.bucketWidth = Math.ceil(options.maxBatchSize / BUCKETS);
    this.current = Math.min(options.step, options.maxBatchSize);
  }

  limit(): number {
    return this.current;
  }

  record(batchRows: number, latencyMs: number): void {
    // One request above the maximum runs alone; its size is outside the range being modelled.
    if (batchRows > this.options.maxBatchSize) return;
    this.rows[this.nextSlot] = batchRows;
    this.latencies[this.nextSlot] = latencyMs;
    this.nextSlot = (this.nextSlot + 1) % this.rows.length;
    this.samples = Math.min(this.samples + 1, this.rows.length);
    if (++this.sinceRefit >= this.refitEvery) {
      this.sinceRefit = 0;
      this.refit();
    }
  }

  private refit(): void {
    const { maxBatchSize, latencySloMs, step } = this.options;
    const points = this.bucketQuantiles();
    const largestSeen = points.reduce((max, p) => Math.max(max, p.maxRows), 0);
    const allWellUnder = points.every((p) => p.latencyMs <= WELL_UNDER * latencySloMs);
    const fitLimit = this.largestWithinSlo(points);
    let next: number;
    if (fitLimit <= largestSeen) next = fitLimit;
    else if (allWellUnder) next = Math.min(fitLimit, Math.max(this.current, largestSeen + step));
    else next = Math.min(fitLimit, Math.max(this.current, largestSeen));
    this.current = Math.max(1, Math.min(maxBatchSize, next));
  }

  /** Largest batch size predicted to meet the SLO; Infinity when no size is predicted to miss it. */
  private largestWithinSlo(points: LatencyPoint[]): number {
    if (points.length === 0) return Infinity;
    const slo = this.options.latencySloMs;
    const line = fitLatencyLine(points, this.options.maxBatchSize / 8);
    if (line.perRow <= 0) return line.fixed <= slo ? Infinity : 1;
    // The epsilon keeps float noise in the fit (17.999999 instead of 18) from costing a whole row.
    return Math.floor((slo - line.fixed) / line.perRow + 1e-9);
  }

  private bucketQuantiles(): LatencyPoint[] {
    const buckets: number[][] = [];
    for (let i = 0; i < this.samples; i++) {
      const b = Math.min(BUCKETS - 1, Math.floor((this.rows[i] - 1) / this.bucketWidth));
      (buckets[b] ??= []).push(i);
    }
    const points: LatencyPoint[] = [];
    for (const samples of buckets) {
      if (samples === undefined || samples.length < MIN_BUCKET_SAMPLES) continue;
      samples.sort((x, y) => this.latencies[x] - this.latencies[y]);
      // Nearest-rank quantile: never below an observed value, so p99 of few samples errs high (safe).
      const rank = Math.min(samples.length, Math.max(1, Math.ceil(this.options.quantile * samples.length)));
      const atQuantile = samples[rank - 1];
      points.push({
        // The size of the sample that is the quantile, not the bucket's mean size: with little noise
        // the tail of a bucket is made by its largest batches, and the mean would shift the line left.
        rows: this.rows[atQuantile],
        maxRows: samples.reduce((max, i) => Math.max(max, this.rows[i]), 0),
        latencyMs: this.latencies[atQuantile],
        weight: samples.length,
      });
    }
    return points;
  }
}
