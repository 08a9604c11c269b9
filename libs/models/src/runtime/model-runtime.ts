import { TensorMap } from '../tensor';
import type { ValueInfo } from './worker-protocol';

export type { ValueInfo };

/** Injection token of the ModelRuntime the registry loads versions with (OnnxRuntime unless a test says otherwise). */
export const MODEL_RUNTIME = Symbol('MODEL_RUNTIME');

export interface InstanceEvent {
  kind: 'crashed' | 'replaced' | 'replace-failed';
  message: string;
}

/** What one version's instances are started with: model.json's settings over the server's defaults. */
export interface InstancesOptions {
  modelPath: string;
  instances: number;
  threads: number;
  executionProvider: 'cpu' | 'cuda';
  fallback?: 'cpu';
  /** Called when an instance dies and is replaced, or cannot be; the pool keeps serving with the rest. */
  onInstanceEvent?: (event: InstanceEvent) => void;
}

/** What the model file declares, as the runtime read it, and where it ended up running. */
export interface InstancesMetadata {
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  provider: string;
  /** Something the operator should know that did not stop the load (a provider fallback). */
  warning?: string;
}

/** The started instances of one model file. */
export interface InstancePool {
  readonly metadata: InstancesMetadata;
  /**
   * Runs the graph on one idle instance (or the next to free up). Only `fetches` are computed when given.
   * The feeds' buffers may be handed to another thread: the caller must not reuse them.
   */
  run(feeds: TensorMap, fetches?: string[]): Promise<TensorMap>;
  /** Stops taking runs, lets the ones in flight finish, then frees the instances. */
  close(): Promise<void>;
}

/**
 * The seam between the model registry and the inference engine: everything below it (sessions, threads,
 * the file's graph) is the engine's; everything above it (signature checks, warmup, versions, hot reload)
 * is plain logic that unit tests drive with a fake runtime. Warmup stays above: it is a few `run`s.
 */
export interface ModelRuntime {
  /** Starts every instance or none: a failure frees the ones that did start, then throws. */
  start(options: InstancesOptions): Promise<InstancePool>;
}
