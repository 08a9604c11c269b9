import { Injectable } from '@nestjs/common';
import { systemClock } from '@app/time';
import { CacheOutcome, PredictionCache } from '@app/caching';
import { ServerConfig } from '@app/config';
import { Classification, ModelRegistry, ModelVersion, TensorMap } from '@app/models';
import { PredictionWindow } from './drift/prediction-window';
import { ModelBatchers } from './model-batchers';

export interface PredictOptions {
  /** 1..10, 10 first. */
  priority?: number;
  /** Milliseconds from now; the server's requestTimeoutMs by default. */
  timeoutMs?: number;
  /** Only the k most probable classes in classifications. */
  topK?: number;
}

export interface Prediction {
  servable: ModelVersion;
  /** The declared outputs, rows in request order. */
  outputs: TensorMap;
  /** The classification form per row, for models that declare one. */
  classifications?: Classification[];
  /** How the prediction cache answered (the X-Cache header); absent when the model's cache is off. */
  cache?: CacheOutcome;
}

/**
 * The path of a decoded request: cache lookup per row -> preprocess -> the version's batcher -> instance
 * -> split -> cache fill -> postprocess. Protocol codecs (TF Serving, KServe V2) sit on either side of it;
 * the HTTP routes and the queue workers both come through here, so jobs are batched and cached alike.
 * The cache holds raw output rows, not labels: classification runs after, so refreshed labels apply.
 */
@Injectable()
export class PredictionService {
  constructor(
    readonly registry: ModelRegistry,
    private readonly batchers: ModelBatchers,
    private readonly server: ServerConfig,
    private readonly cache: PredictionCache,
    private readonly window: PredictionWindow,
  ) {}

  resolve(name: string, version?: number): ModelVersion {
    return this.registry.resolve(name, version);
  }

  async predict(servable: ModelVersion, inputs: TensorMap, rows: number, options: PredictOptions = {}): Promise<Prediction> {
    const deadline = systemClock.now() + (options.timeoutMs ?? this.server.requestTimeoutMs);
    const compute = (part: TensorMap, partRows: number) => this.compute(servable, part, partRows, deadline, options.priority);
    const cache = this.cache.for(servable);
    const { outputs, outcome } = cache ? await cache.run(inputs, rows, compute) : { outputs: await compute(inputs, rows), outcome: undefined };
    const classifications = servable.classify(outputs, options.topK);
    if (classifications) this.window.record(servable.name, classifications.map((c) => c.label));
    return { servable, outputs, classifications, ...(outcome ? { cache: outcome } : {}) };
  }

  private compute(servable: ModelVersion, inputs: TensorMap, rows: number, deadline: number, priority?: number): Promise<TensorMap> {
    const feeds = servable.preprocess(inputs);
    return this.batchers.for(servable).submit({ rows, input: feeds, priority, deadline, groupKey: this.batchers.groupKeyOf(servable, feeds) });
  }
}
