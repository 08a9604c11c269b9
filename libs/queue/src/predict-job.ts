/**
 * The contract between producers (the jobs API, the scheduler's batch scoring) and the queue-processor:
 * one typed payload, used by both sides.
 */
export interface PredictJobData {
  model: string;
  /** A given version, or the newest available one when absent (`name` vs `name@version` routing). */
  version?: number;
  /** The same body as :predict: {"instances": ...} or {"inputs": ...}. */
  body: unknown;
  /** Per-attempt timeout in milliseconds, counted from when a worker starts it. */
  timeoutMs?: number;
  /** Hash of the request that created the job, when it came with an Idempotency-Key. */
  requestHash?: string;
}

export interface PredictJobResult {
  model: string;
  version: number;
  /** What :predict would have answered. */
  body: Record<string, unknown>;
}

export const PREDICT_JOB_NAME = 'predict';
