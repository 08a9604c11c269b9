import { TimelinePoint } from '../report/report-types';

/**
 * Every answer of a load run: when it was sent, how long it took, and its status. A request that got no
 * answer has status 0 and no latency (NaN): it counts as an error, not as a fast or slow answer.
 */
export class LatencyRecord {
  private readonly sentAt: number[] = [];
  private readonly latencies: number[] = [];
  private readonly statuses: number[] = [];
  private readonly failures: string[] = [];
  okCount = 0;
  errorCount = 0;

  add(sentAtMs: number, latencyMs: number, status: number, failure?: string): void {
    this.sentAt.push(sentAtMs);
    this.latencies.push(latencyMs);
    this.statuses.push(status);
    this.failures.push(failure ?? '');
    if (status >= 200 && status < 300) this.okCount++;
    else this.errorCount++;
  }

  get count(): number {
    return this.latencies.length;
  }

  /** Quantile over the answers so far (all statuses: a slow error is still slow for the user). */
  quantile(q: number, from = 0): number {
    return quantileOf(this.latencies.slice(from).filter(Number.isFinite), q);
  }

  summary(): { p50: number; p95: number; p99: number; max: number; mean: number } {
    const sorted = this.latencies.filter(Number.isFinite).sort((a, b) => a - b);
    const at = (q: number) => round(sortedQuantile(sorted, q));
    const mean = sorted.length ? sorted.reduce((s, v) => s + v, 0) / sorted.length : 0;
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1] ?? 0), mean: round(mean) };
  }

  /** Non-2xx answers by status; answers that never came by what happened (`connection`, `timeout`). */
  errorsByStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    this.statuses.forEach((status, i) => {
      if (status >= 200 && status < 300) return;
      const key = status === 0 ? this.failures[i] || 'connection' : String(status);
      out[key] = (out[key] ?? 0) + 1;
    });
    return out;
  }

  /** Per second of the run (by send time): requests, errors and latency quantiles, for the chart. */
  timeline(): TimelinePoint[] {
    const buckets = new Map<number, number[]>();
    const requests = new Map<number, number>();
    const errors = new Map<number, number>();
    this.sentAt.forEach((t, i) => {
      const second = Math.floor(t / 1000);
      if (!buckets.has(second)) buckets.set(second, []);
      requests.set(second, (requests.get(second) ?? 0) + 1);
      if (Number.isFinite(this.latencies[i])) buckets.get(second)!.push(this.latencies[i]);
      const ok = this.statuses[i] >= 200 && this.statuses[i] < 300;
      if (!ok) errors.set(second, (errors.get(second) ?? 0) + 1);
    });
    return [...buckets.keys()]
      .sort((a, b) => a - b)
      .map((second) => {
        const sorted = buckets.get(second)!.sort((a, b) => a - b);
        return {
          second,
          requests: requests.get(second)!,
          errors: errors.get(second) ?? 0,
          p50Ms: round(sortedQuantile(sorted, 0.5)),
          p99Ms: round(sortedQuantile(sorted, 0.99)),
          maxMs: round(sorted[sorted.length - 1] ?? 0),
        };
      });
  }
}

function quantileOf(values: number[], q: number): number {
  return sortedQuantile([...values].sort((a, b) => a - b), q);
}

/** Nearest rank: the smallest value with at least q of the values at or below it. */
function sortedQuantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const round = (x: number) => Math.round(x * 1000) / 1000;
