import type { Duration, VersionStatistics } from '@app/dataplane';

/** One version in Triton's statistics extension (`model_stats[]`), the same over REST and gRPC. */
export interface TritonModelStatistics {
  name: string;
  version: string;
  last_inference: number;
  inference_count: number;
  execution_count: number;
  inference_stats: Record<'success' | 'fail' | 'queue' | 'compute_input' | 'compute_infer' | 'compute_output' | 'cache_hit' | 'cache_miss', Duration>;
  batch_stats: { batch_size: number; compute_input: Duration; compute_infer: Duration; compute_output: Duration }[];
}

const copy = (d: Duration): Duration => ({ count: d.count, ns: d.ns });

/**
 * Counters as Triton's statistics extension names them. Input and output handling is measured per
 * request, not per batch, so a batch size's compute_input and compute_output are zero.
 */
export function tritonStatistics(stats: VersionStatistics[]): { model_stats: TritonModelStatistics[] } {
  return {
    model_stats: stats.map((s) => ({
      name: s.name,
      version: String(s.version),
      last_inference: s.lastInference,
      inference_count: s.inferenceCount,
      execution_count: s.executionCount,
      inference_stats: {
        success: copy(s.success),
        fail: copy(s.fail),
        queue: copy(s.queue),
        compute_input: copy(s.computeInput),
        compute_infer: copy(s.computeInfer),
        compute_output: copy(s.computeOutput),
        cache_hit: copy(s.cacheHit),
        cache_miss: copy(s.cacheMiss),
      },
      batch_stats: [...s.batches.values()]
        .sort((a, b) => a.batch_size - b.batch_size)
        .map((b) => ({ batch_size: b.batch_size, compute_input: { count: b.compute_infer.count, ns: 0 }, compute_infer: copy(b.compute_infer), compute_output: { count: b.compute_infer.count, ns: 0 } })),
    })),
  };
}
