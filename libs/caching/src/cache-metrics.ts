import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '@app/metrics';

/** Rows by how they were answered, per model. */
export interface CacheCounters {
  hit(rows: number): void;
  miss(rows: number): void;
  shared(rows: number): void;
}

/**
 * modelgate_cache_hits_total / _misses_total / _shared_total count rows per model and version (a batched
 * request of 5 rows with 2 cached counts 2 hits and 3 misses); modelgate_cache_entries is the size of each
 * model's memory tier (one tier holds all the versions of a model, as model.json's cache block is per model).
 */
@Injectable()
export class CacheMetrics {
  private readonly hits: Counter<'model' | 'version'>;
  private readonly misses: Counter<'model' | 'version'>;
  private readonly sharedRows: Counter<'model' | 'version'>;
  private sizes: () => Iterable<[model: string, entries: number]> = () => [];

  constructor(metrics: MetricsService) {
    const labelNames = ['model', 'version'] as const;
    this.hits = metrics.counter({ name: 'modelgate_cache_hits_total', help: 'Prediction rows answered from the cache', labelNames });
    this.misses = metrics.counter({ name: 'modelgate_cache_misses_total', help: 'Prediction rows the model computed after a cache miss', labelNames });
    this.sharedRows = metrics.counter({
      name: 'modelgate_cache_shared_total',
      help: 'Prediction rows answered by joining an identical computation already in flight (single-flight)',
      labelNames,
    });
    const sizes = () => this.sizes();
    metrics.gauge({
      name: 'modelgate_cache_entries',
      help: 'Entries in the memory tier of each model',
      labelNames: ['model'],
      collect() {
        this.reset();
        for (const [model, entries] of sizes()) this.set({ model }, entries);
      },
    });
  }

  countersFor(model: string, version: number): CacheCounters {
    const labels = { model, version: String(version) };
    const hits = this.hits.labels(labels);
    const misses = this.misses.labels(labels);
    const shared = this.sharedRows.labels(labels);
    // Series that exist from the first scrape at 0, so that a hit ratio (rate over rate) has a value at once.
    for (const counter of [hits, misses, shared]) counter.inc(0);
    return {
      hit: (n) => n > 0 && hits.inc(n),
      miss: (n) => n > 0 && misses.inc(n),
      shared: (n) => n > 0 && shared.inc(n),
    };
  }

  /** Where the entries gauge reads the memory tier sizes from at scrape time. */
  reportSizes(source: () => Iterable<[model: string, entries: number]>): void {
    this.sizes = source;
  }
}
