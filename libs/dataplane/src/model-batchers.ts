import { Injectable, Logger } from '@nestjs/common';
import { BatcherFactory, BatchEvent, BatchingSettings, DynamicBatcher, DEFAULT_BATCHING_SETTINGS, validateBatchingSettings } from '@app/batching';
import { BatchingConfig } from '@app/config';
import { ModelLoadError } from '@app/errors';
import { ModelRegistry, ModelVersion, TensorMap } from '@app/models';
import { ModelMetrics } from './model-metrics';
import { ModelStatistics } from './model-statistics';
import { concatFeeds, groupKeyOf, padAndConcatFeeds, splitOutputs } from './tensor-batching';

export type ModelBatcher = DynamicBatcher<TensorMap, TensorMap>;

/**
 * One dynamic batcher per model version, shared by the HTTP path and the queue workers of this process.
 * A version's batcher is closed (finishing what it admitted) before the version's instances stop.
 */
@Injectable()
export class ModelBatchers {
  private readonly logger = new Logger('Batching');
  private readonly batchers = new Map<ModelVersion, ModelBatcher>();

  constructor(
    private readonly factory: BatcherFactory,
    private readonly defaults: BatchingConfig,
    private readonly metrics: ModelMetrics,
    private readonly statistics: ModelStatistics,
    registry: ModelRegistry,
  ) {
    metrics.reportPending(() => [...this.batchers].map(([servable, batcher]) => [servable, batcher.stats().queuedRows] as [ModelVersion, number]));
    // A model.json with bad batching settings fails its load, before it takes traffic.
    registry.onValidate((servable) => void this.settingsOf(servable));
    // Created when a version becomes available, so the first request does not pay for it.
    registry.onAvailable((servable) => this.for(servable));
    registry.onUnloading(async (servable) => {
      const batcher = this.batchers.get(servable);
      if (!batcher) return;
      await batcher.close();
      this.batchers.delete(servable);
    });
  }

  for(servable: ModelVersion): ModelBatcher {
    let batcher = this.batchers.get(servable);
    if (!batcher) {
      batcher = this.create(servable);
      this.batchers.set(servable, batcher);
    }
    return batcher;
  }

  /**
   * Requests that may share a batch share a key. Free non-batch dimensions of different sizes are kept
   * apart (`group`, the default) or padded to the largest (`pad`, see padAndConcatFeeds).
   */
  groupKeyOf(servable: ModelVersion, feeds: TensorMap): string {
    return freeDimsOf(servable) === 'pad' ? '' : groupKeyOf(feeds);
  }

  settingsOf(servable: ModelVersion): BatchingSettings {
    const base: BatchingSettings = { ...DEFAULT_BATCHING_SETTINGS, ...this.defaults, maxInFlight: servable.plan.instances };
    let settings: BatchingSettings;
    try {
      freeDimsOf(servable);
      const { freeDims: _ignored, ...batching } = servable.config.batching;
      settings = validateBatchingSettings(batching, base);
    } catch (error) {
      throw new ModelLoadError(`${servable.id}: model.json ${(error as Error).message}`);
    }
    // A graph without a free batch dimension takes one request at a time.
    return servable.signature.batchable ? settings : { ...settings, enabled: false };
  }

  private create(servable: ModelVersion): ModelBatcher {
    const settings = this.settingsOf(servable);
    const stack = freeDimsOf(servable) === 'pad' ? padAndConcatFeeds : concatFeeds;
    const executor = async (inputs: TensorMap[]): Promise<TensorMap[]> => {
      const outputs = await servable.run(stack(inputs));
      return inputs.length === 1 ? [outputs] : splitOutputs(outputs, inputs.map((feeds) => firstDim(feeds)));
    };
    const metrics = this.metrics.batchObserver(servable);
    const observer = {
      ...metrics,
      onBatch: (event: BatchEvent) => {
        metrics.onBatch?.(event);
        this.statistics.onBatch(servable, event);
      },
    };
    this.logger.log(
      `${servable.id}: batching ${settings.enabled ? `${settings.policy} up to ${settings.maxBatchSize} rows, ${settings.maxDelayMs} ms delay` : 'off'}, queue ${settings.maxQueue} rows, ${settings.maxInFlight} in flight`,
    );
    return this.factory.create(servable.id, settings, executor, observer);
  }
}

function freeDimsOf(servable: ModelVersion): 'group' | 'pad' {
  const mode = servable.config.batching.freeDims ?? 'group';
  if (mode !== 'group' && mode !== 'pad') throw new Error(`batching.freeDims must be group or pad, got ${JSON.stringify(mode)}`);
  return mode;
}

function firstDim(feeds: TensorMap): number {
  for (const name in feeds) return feeds[name].dims[0];
  return 0;
}
