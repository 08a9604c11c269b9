import type { TensorSpecView } from '../server/model-info';

export type Verdict = 'pass' | 'fail' | 'skipped';
/** A check that does not decide the verdict (too few rows for it to mean much) is `indicative`. */
export type CheckVerdict = 'pass' | 'fail' | 'indicative';

export interface Check {
  name: string;
  value: number;
  /** The bound it is held to, e.g. ">= 0.01". */
  limit: string;
  verdict: CheckVerdict;
  note?: string;
}

export interface Mismatch {
  line: number;
  input: string;
  expected: unknown;
  got: unknown;
  score?: number;
}

export interface FunctionalResult {
  kind: 'functional';
  verdict: Verdict;
  reason: string;
  examples: number;
  failedRequests: number;
  /** Labels compared (classification), or values within a tolerance (models without labels). */
  mode: 'labels' | 'values';
  correct: number;
  accuracy?: number;
  minAccuracy?: number;
  minAccuracySource?: string;
  meanAbsoluteError?: number;
  tolerance?: number;
  mismatches: Mismatch[];
}

export interface StatisticalResult {
  kind: 'statistical';
  verdict: Verdict;
  reason: string;
  rowsAsked: number;
  rowsAvailable: number;
  rowsSent: number;
  failedRequests: number;
  note?: string;
  classes: string[];
  counts: Record<string, number>;
  /** Shares predicted and the reference (training) shares, per class. */
  observed: Record<string, number>;
  expected: Record<string, number>;
  chiSquare?: number;
  degreesOfFreedom?: number;
  pValue?: number;
  psi?: number;
  accuracy?: number;
  referenceAccuracy?: number;
  thresholds: { pValue: number; psi: number; minSamples: number; accuracyMargin?: number };
  checks: Check[];
}

export interface ErrorCase {
  name: string;
  method: string;
  path: string;
  /** What was sent, described (bodies can be megabytes). */
  sent: string;
  status: number;
  error?: string;
  verdict: 'pass' | 'fail';
  problem?: string;
}

export interface ErrorHandlingResult {
  kind: 'errors';
  verdict: Verdict;
  reason: string;
  cases: ErrorCase[];
  liveAfter: boolean;
  servesAfter: boolean;
}

export interface TimelinePoint {
  /** Seconds since the start (the second the requests were sent in). */
  second: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadResult {
  kind: 'load';
  verdict: Verdict;
  reason: string;
  mode: 'open' | 'closed';
  users?: number;
  ratePerUserPerMinute?: number;
  /** Open loop: the arrival rate asked for (requests per second). */
  targetRate?: number;
  connections: number;
  durationSeconds: number;
  requests: number;
  ok: number;
  /** Successful answers per second. */
  achievedRate: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Non-2xx answers by status, and failures with no answer (`connection`, `timeout`). */
  errorsByStatus: Record<string, number>;
  slo: { p99Ms?: number; source: string; held?: boolean };
  distinctBodies: number;
  timeline: TimelinePoint[];
}

export type KindResult = FunctionalResult | StatisticalResult | ErrorHandlingResult | LoadResult;

export interface TestReport {
  tool: string;
  model: { name: string; version: string; description?: string; inputs: TensorSpecView[]; outputs: TensorSpecView[]; labels?: string[] };
  url: string;
  data?: { file: string; rows: number; labelled: number };
  startedAt: string;
  finishedAt: string;
  verdict: 'pass' | 'fail';
  kinds: KindResult[];
}
