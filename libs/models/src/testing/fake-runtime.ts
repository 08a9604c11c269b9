import { basename, dirname } from 'path';
import { InternalError, ModelLoadError, ModelNotReadyError } from '@app/errors';
import { InstancePool, InstancesMetadata, InstancesOptions, ModelRuntime, ValueInfo } from '../runtime/model-runtime';
import { allocate, elementCount, fromOrtType, TensorData, TensorMap } from '../tensor';

/** What a fake model file declares, in onnxruntime's type names (as a real session reports them). */
export interface FakeGraph {
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  provider?: string;
  warning?: string;
}

/** The iris model's graph: features [batch,4] -> probabilities [batch,3]. */
export const IRIS_GRAPH: FakeGraph = {
  inputs: [{ name: 'features', type: 'float32', shape: ['batch', 4] }],
  outputs: [{ name: 'probabilities', type: 'float32', shape: ['batch', 3] }],
};

/** Holds whatever waits on it until the test releases it; `reached` tells the test that something waits. */
export class Gate {
  private opened = false;
  private readonly waiters: Array<() => void> = [];
  private arrive!: () => void;
  readonly reached = new Promise<void>((resolve) => (this.arrive = resolve));

  wait(): Promise<void> {
    this.arrive();
    if (this.opened) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    this.opened = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

export interface FakeRun {
  id: string;
  feeds: TensorMap;
  fetches?: string[];
}

/** `<root>/<name>/<version>/model.onnx` -> `name@version`: the fake's handle on a version. */
export function versionId(modelPath: string): string {
  return `${basename(dirname(dirname(modelPath)))}@${basename(dirname(modelPath))}`;
}

/**
 * A ModelRuntime without onnxruntime or threads. It never reads the model file: each version declares
 * `IRIS_GRAPH` unless told otherwise, and every element of every output it answers is the version number,
 * so a test can tell which version ran. Settings are keyed by `name@version`, or by `name` for every
 * version of a model.
 */
export class FakeRuntime implements ModelRuntime {
  /** Every start, in order, failed ones included. */
  readonly starts: Array<{ id: string; options: InstancesOptions }> = [];
  readonly runs: FakeRun[] = [];
  /** The version of every pool closed, in order (a version reloaded twice is closed twice). */
  readonly closed: string[] = [];
  private readonly graphs = new Map<string, FakeGraph>();
  private readonly loadFailures = new Map<string, string>();
  private readonly runFailures = new Map<string, string>();
  private readonly loadGates = new Map<string, Gate>();
  private readonly runGates = new Map<string, Gate>();
  private readonly pools = new Map<FakePool, string>();

  constructor(private readonly defaultGraph: FakeGraph = IRIS_GRAPH) {}

  declare(target: string, graph: FakeGraph): this {
    this.graphs.set(target, graph);
    return this;
  }

  failLoad(target: string, message = 'protobuf parsing failed'): this {
    this.loadFailures.set(target, message);
    return this;
  }

  failRuns(target: string, message = 'kernel failed'): this {
    this.runFailures.set(target, message);
    return this;
  }

  /** Undoes failLoad and failRuns: the file was fixed. */
  repair(target: string): this {
    this.loadFailures.delete(target);
    this.runFailures.delete(target);
    return this;
  }

  /** Starts of the target wait until the gate is released. */
  holdLoad(target: string): Gate {
    return this.gate(this.loadGates, target);
  }

  /** Runs of the target (warmup included) wait until the gate is released. */
  holdRuns(target: string): Gate {
    return this.gate(this.runGates, target);
  }

  /** Versions whose instances are started and not closed. */
  open(): string[] {
    return [...this.pools.values()].sort();
  }

  runsOf(id: string): FakeRun[] {
    return this.runs.filter((r) => r.id === id);
  }

  async start(options: InstancesOptions): Promise<InstancePool> {
    const id = versionId(options.modelPath);
    this.starts.push({ id, options });
    await this.lookup(this.loadGates, id)?.wait();
    const failure = this.lookup(this.loadFailures, id);
    // What SessionPool throws when a session cannot be created.
    if (failure) throw new ModelLoadError(failure);
    const graph = this.lookup(this.graphs, id) ?? this.defaultGraph;
    const metadata = { inputs: graph.inputs, outputs: graph.outputs, provider: graph.provider ?? 'cpu', warning: graph.warning };
    const pool: FakePool = new FakePool(
      metadata,
      (feeds, fetches) => this.run(id, metadata, feeds, fetches),
      () => {
        this.pools.delete(pool);
        this.closed.push(id);
      },
    );
    this.pools.set(pool, id);
    return pool;
  }

  private async run(id: string, metadata: InstancesMetadata, feeds: TensorMap, fetches?: string[]): Promise<TensorMap> {
    this.runs.push({ id, feeds, fetches });
    await this.lookup(this.runGates, id)?.wait();
    const failure = this.lookup(this.runFailures, id);
    // What SessionPool rejects with when a session's run throws.
    if (failure) throw new InternalError(`inference failed: ${failure}`);
    return answer(metadata, Number(id.split('@')[1]), feeds, fetches);
  }

  private gate(gates: Map<string, Gate>, target: string): Gate {
    const gate = new Gate();
    gates.set(target, gate);
    return gate;
  }

  private lookup<T>(settings: Map<string, T>, id: string): T | undefined {
    return settings.get(id) ?? settings.get(id.split('@')[0]);
  }
}

class FakePool implements InstancePool {
  private closing = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly metadata: InstancesMetadata,
    private readonly compute: (feeds: TensorMap, fetches?: string[]) => Promise<TensorMap>,
    private readonly onClosed: () => void,
  ) {}

  run(feeds: TensorMap, fetches?: string[]): Promise<TensorMap> {
    if (this.closing) return Promise.reject(new ModelNotReadyError('model version is unloading'));
    const run = this.compute(feeds, fetches);
    this.inFlight.add(run);
    void run.catch(() => undefined).finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Like SessionPool: runs already admitted finish before the instances go. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
    this.onClosed();
  }
}

/** Outputs of the declared shapes: free dimensions are the batch (first axis) or 1. */
function answer(metadata: InstancesMetadata, value: number, feeds: TensorMap, fetches?: string[]): TensorMap {
  const batch = Object.values(feeds)[0]?.dims[0] ?? 1;
  const outputs: TensorMap = {};
  for (const info of metadata.outputs) {
    if (fetches && !fetches.includes(info.name)) continue;
    const datatype = fromOrtType(info.type);
    if (!datatype) throw new InternalError(`output '${info.name}' has type ${info.type}, which modelgate cannot return`);
    const dims = info.shape.map((d, axis) => (typeof d === 'number' && d > 0 ? d : axis === 0 ? batch : 1));
    outputs[info.name] = { datatype, dims, data: filled(allocate(datatype, elementCount(dims)), value) };
  }
  return outputs;
}

function filled(data: TensorData, value: number): TensorData {
  if (Array.isArray(data)) return data.fill(String(value));
  if (data instanceof BigInt64Array) return data.fill(BigInt(value));
  return data.fill(value);
}
