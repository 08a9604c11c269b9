import { Inject, Injectable } from '@nestjs/common';
import { PredictionCache } from '@app/caching';
import { ServerConfig } from '@app/config';
import { ModelRegistry, ModelVersion, TensorMap } from '@app/models';
import { systemClock } from '@app/time';
import { INFER_OBSERVERS, InferObserver, InferTiming } from './infer-observer';
import { InferRequest, InferResult } from './infer-request';
import { ModelBatchers } from './model-batchers';

const elapsedNs = (since: bigint) => Number(process.hrtime.bigint() - since);

/**
 * The protocol-neutral core every transport calls (TF Serving and V2 REST, V2 gRPC, queued jobs): cache
 * lookup per row -> preprocess -> the version's batcher -> instance -> split -> cache fill -> postprocess.
 * All transports share one batcher per version, so they share batches. The cache holds raw output rows,
 * not labels: classification runs after, so refreshed labels apply.
 */
@Injectable()
export class DataPlane {
  constructor(
    readonly registry: ModelRegistry,
    private readonly batchers: ModelBatchers,
    private readonly server: ServerConfig,
    private readonly cache: PredictionCache,
    @Inject(INFER_OBSERVERS) private readonly observers: InferObserver[],
  ) {}

  /** The version that serves `name` (the newest available one unless `version` is given); 404 / 503 otherwise. */
  model(name: string, version?: number): ModelVersion {
    return this.registry.resolve(name, version);
  }

  async infer(request: InferRequest): Promise<InferResult> {
    const started = process.hrtime.bigint();
    const timing: InferTiming = { totalNs: 0, inputNs: 0, outputNs: 0 };
    try {
      const { servable, inputs, rows } = request;
      const deadline = systemClock.now() + (request.timeoutMs ?? this.server.requestTimeoutMs);
      const compute = (part: TensorMap, partRows: number) => this.compute(servable, part, partRows, deadline, timing, request.priority);
      const cache = this.cache.for(servable);
      const { outputs, outcome } = cache ? await cache.run(inputs, rows, compute) : { outputs: await compute(inputs, rows), outcome: undefined };
      const postprocessing = process.hrtime.bigint();
      const classifications = servable.classify(outputs, request.topK);
      timing.outputNs = elapsedNs(postprocessing);
      const result: InferResult = { request, outputs, classifications, ...(outcome ? { cache: outcome } : {}) };
      timing.totalNs = elapsedNs(started);
      for (const observer of this.observers) observer.observe(result, timing);
      return result;
    } catch (error) {
      timing.totalNs = elapsedNs(started);
      for (const observer of this.observers) observer.fail?.(request, error, timing);
      throw error;
    }
  }

  private compute(servable: ModelVersion, inputs: TensorMap, rows: number, deadline: number, timing: InferTiming, priority?: number): Promise<TensorMap> {
    const preprocessing = process.hrtime.bigint();
    const feeds = servable.preprocess(inputs);
    timing.inputNs += elapsedNs(preprocessing);
    return this.batchers.for(servable).submit({ rows, input: feeds, priority, deadline, groupKey: this.batchers.groupKeyOf(servable, feeds) });
  }
}
