import { ModelConfig, ModelReference } from './model-config';
import { ModelSignature } from './signature';
import { InstancePool } from './runtime/model-runtime';
import { TensorMap } from './tensor';
import { Preprocessor } from './transforms/preprocess';
import { classify, Classification } from './transforms/classification';

/** TF Serving's version states; the status routes report them as they are. */
export type VersionState = 'START' | 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

export interface ServingPlan {
  instances: number;
  threads: number;
  provider: string;
}

/** Data a version reads from files besides its graph, swapped as one object by a reference refresh. */
export interface ReferenceData {
  labels?: readonly string[];
  reference?: ModelReference;
}

/**
 * One loaded version of a model: its signature, transforms and instance pool. Immutable apart from its
 * reference data (labels, training statistics), which a refresh replaces in one assignment, so a request
 * sees either the old set or the new one, never half of each.
 */
export class ModelVersion {
  private data: ReferenceData;
  private readonly preprocessor: Preprocessor;
  /** The graph outputs clients get; undeclared extra outputs are not computed. */
  readonly fetches: string[];

  constructor(
    readonly name: string,
    readonly version: number,
    readonly config: ModelConfig,
    readonly signature: ModelSignature,
    readonly pool: InstancePool,
    readonly plan: ServingPlan,
    /** Size of the model file: what one instance costs in RAM, roughly. */
    readonly bytes: number,
    /** Hash of what this version computes (see contentHash): tells apart two files under one version number. */
    readonly contentHash: string,
    labels?: readonly string[],
  ) {
    this.preprocessor = new Preprocessor(config.preprocess);
    this.data = { labels, reference: config.reference };
    const wanted = new Set(signature.outputs.map((o) => o.name));
    if (config.postprocess) wanted.add(config.postprocess.output);
    this.fetches = [...wanted];
  }

  get id(): string {
    return `${this.name}@${this.version}`;
  }

  get labels(): readonly string[] | undefined {
    return this.data.labels;
  }

  get reference(): ModelReference | undefined {
    return this.data.reference;
  }

  refreshReference(data: ReferenceData): void {
    this.data = { ...data };
  }

  /** Public inputs -> graph feeds (text features and the like). */
  preprocess(inputs: TensorMap): TensorMap {
    return this.preprocessor.apply(inputs);
  }

  /** Runs the graph on an instance. The feeds' buffers are handed to the worker thread: do not reuse them. */
  run(feeds: TensorMap): Promise<TensorMap> {
    return this.pool.run(feeds, this.fetches);
  }

  /** The classification form of each row, when the model declares one. */
  classify(outputs: TensorMap, topK?: number): Classification[] | undefined {
    const post = this.config.postprocess;
    const { labels } = this.data;
    if (!post || !labels) return undefined;
    return classify(outputs[post.output], { labels, topK: topK ?? post.topK, softmax: post.softmax });
  }
}
