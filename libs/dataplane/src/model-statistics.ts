import { Injectable } from '@nestjs/common';
import type { BatchEvent } from '@app/batching';
import { ModelRegistry, ModelVersion } from '@app/models';
import type { InferRequest, InferResult } from './infer-request';
import type { InferObserver, InferTiming } from './infer-observer';

/** A count and the nanoseconds they took in all (Triton's StatisticDuration). */
export interface Duration {
  count: number;
  ns: number;
}

export interface BatchSizeStatistics {
  batch_size: number;
  compute_infer: Duration;
}

/** What one version has served since it loaded: the counters behind Triton's statistics extension. */
export interface VersionStatistics {
  name: string;
  version: number;
  /** Milliseconds since the epoch of the last answered request; 0 before the first. */
  lastInference: number;
  /** Rows answered (a batch of 8 rows counts 8), as Triton counts inferences. */
  inferenceCount: number;
  /** Batches run on an instance. */
  executionCount: number;
  success: Duration;
  fail: Duration;
  /** Per request, time waiting in the batcher. */
  queue: Duration;
  /** Per request: preprocessing and stacking before the run, the run, classification after it. */
  computeInput: Duration;
  computeInfer: Duration;
  computeOutput: Duration;
  /** Requests answered wholly from the prediction cache, and those that needed the model (time of the lookup-and-compute). */
  cacheHit: Duration;
  cacheMiss: Duration;
  /** Per batch size, the batches run and their compute time. */
  batches: Map<number, BatchSizeStatistics>;
}

const MS = 1e6;
const empty = (): Duration => ({ count: 0, ns: 0 });
const add = (d: Duration, ns: number, count = 1) => {
  d.count += count;
  d.ns += Math.round(ns);
};

/**
 * Per-version statistics counted on the real request path: the data plane reports every request (success
 * or failure, its timing, how the cache answered) and the batcher every batch. A version's counters start
 * when it loads and go when it is unloaded, as Triton's do.
 */
@Injectable()
export class ModelStatistics implements InferObserver {
  private readonly versions = new Map<ModelVersion, VersionStatistics>();

  constructor(private readonly registry: ModelRegistry) {
    registry.onUnloading(async (servable) => void this.versions.delete(servable));
  }

  observe(result: InferResult, timing: InferTiming): void {
    const stats = this.of(result.request.servable);
    stats.lastInference = Date.now();
    stats.inferenceCount += result.request.rows;
    add(stats.success, timing.totalNs);
    add(stats.computeInput, timing.inputNs);
    add(stats.computeOutput, timing.outputNs);
    if (result.cache === 'hit') add(stats.cacheHit, timing.totalNs);
    else if (result.cache) add(stats.cacheMiss, timing.totalNs);
  }

  fail(request: InferRequest, _error: unknown, timing: InferTiming): void {
    add(this.of(request.servable).fail, timing.totalNs);
  }

  /** The batcher's view of one batch of `servable`. */
  onBatch(servable: ModelVersion, event: BatchEvent): void {
    const stats = this.of(servable);
    stats.executionCount++;
    for (const waited of event.queueWaitMs) add(stats.queue, waited * MS);
    add(stats.computeInfer, event.computeMs * MS * event.requests, event.requests);
    let size = stats.batches.get(event.rows);
    if (!size) stats.batches.set(event.rows, (size = { batch_size: event.rows, compute_infer: empty() }));
    add(size.compute_infer, event.computeMs * MS);
  }

  /**
   * Every available version of `name` (of every model when omitted), a version that served nothing with
   * zeros; an unknown model or version is ModelNotFoundError, one that is not serving ModelNotReadyError.
   */
  snapshot(name?: string, version?: number): VersionStatistics[] {
    if (name !== undefined) this.registry.status(name);
    if (name !== undefined && version !== undefined) return [this.of(this.registry.resolve(name, version))];
    return this.registry
      .available()
      .filter((s) => name === undefined || s.name === name)
      .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version)
      .map((s) => this.of(s));
  }

  private of(servable: ModelVersion): VersionStatistics {
    let stats = this.versions.get(servable);
    if (!stats) {
      stats = {
        name: servable.name,
        version: servable.version,
        lastInference: 0,
        inferenceCount: 0,
        executionCount: 0,
        ...{ success: empty(), fail: empty(), queue: empty(), computeInput: empty(), computeInfer: empty(), computeOutput: empty() },
        cacheHit: empty(),
        cacheMiss: empty(),
        batches: new Map(),
      };
      this.versions.set(servable, stats);
    }
    return stats;
  }
}
