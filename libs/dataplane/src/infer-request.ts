import type { CacheOutcome } from '@app/caching';
import type { Classification, ModelVersion, TensorMap } from '@app/models';

/** Which transport a request came in on: metrics, the access log and statistics carry it. */
export type InferProtocol = 'tfserving' | 'v2' | 'grpc' | 'job';

/**
 * One decoded request, whatever its wire format: a protocol decoder builds it from a body or a message
 * checked against the version's signature, and every transport hands it to DataPlane.infer.
 */
export interface InferRequest {
  /** The version that answers, resolved by DataPlane.model before the body is decoded against it. */
  servable: ModelVersion;
  /** Named input tensors, the batch dimension first. */
  inputs: TensorMap;
  rows: number;
  protocol: InferProtocol;
  /** The client's request id, echoed in the answer. */
  id?: string;
  /**
   * The outputs the client asked for (all by default). The data plane runs the whole graph regardless, so
   * one cache entry per row answers any subset; the encoder picks these.
   */
  outputs?: string[];
  /** Milliseconds from now; the server's requestTimeoutMs by default (a job may set a longer one). */
  timeoutMs?: number;
  /** 1..10, 10 first. */
  priority?: number;
  /** Only the k most probable classes in classifications. */
  topK?: number;
}

export interface InferResult {
  request: InferRequest;
  /** Every declared output, rows in request order. */
  outputs: TensorMap;
  /** The classification of each row, for models that declare one. */
  classifications?: Classification[];
  /** How the prediction cache answered (the X-Cache header); absent when the model's cache is off. */
  cache?: CacheOutcome;
}
