import { isIntAtLeast1, oneOf, overlaySettings, SettingRules } from '@app/config';

export const BATCH_SIZE_POLICIES = ['fixed', 'aimd', 'quantile'] as const;
export type BatchSizePolicyName = (typeof BATCH_SIZE_POLICIES)[number];

/** Batching of one model version; server defaults come from config, a model.json may override any field. */
export interface BatchingSettings {
  /** false: every request is its own batch, without delay (still bounded by maxQueue and maxInFlight). */
  enabled: boolean;
  /** Rows per batch at most (a single larger request still runs, alone). */
  maxBatchSize: number;
  /** How long the oldest queued request may wait for a batch to fill while another batch is running. */
  maxDelayMs: number;
  policy: BatchSizePolicyName;
  /** Compute time per batch that the adaptive policies aim to stay under. */
  latencySloMs: number;
  aimdStep: number;
  /** Multiplicative decrease of the AIMD policy, 0 < f < 1. */
  aimdFactor: number;
  /** Latency quantile the quantile policy keeps under the SLO, e.g. 0.99. */
  quantile: number;
  /** Rows waiting at most; beyond it submit fails fast with OverloadedError. */
  maxQueue: number;
  /** Batches running at once; normally the number of instances of the model. */
  maxInFlight: number;
}

export const DEFAULT_BATCHING_SETTINGS: Readonly<BatchingSettings> = Object.freeze({
  enabled: true,
  maxBatchSize: 64,
  maxDelayMs: 2,
  policy: 'aimd',
  latencySloMs: 50,
  aimdStep: 4,
  aimdFactor: 0.5,
  quantile: 0.99,
  maxQueue: 4096,
  maxInFlight: 1,
});

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const RULES: SettingRules<BatchingSettings> = {
  enabled: [(v) => typeof v === 'boolean', 'must be true or false'],
  maxBatchSize: [isIntAtLeast1, 'must be an integer >= 1'],
  maxDelayMs: [(v) => isNumber(v) && v >= 0, 'must be a number >= 0'],
  policy: oneOf(BATCH_SIZE_POLICIES),
  latencySloMs: [(v) => isNumber(v) && v > 0, 'must be a number > 0'],
  aimdStep: [isIntAtLeast1, 'must be an integer >= 1'],
  aimdFactor: [(v) => isNumber(v) && v > 0 && v < 1, 'must be > 0 and < 1'],
  quantile: [(v) => isNumber(v) && v > 0 && v <= 1, 'must be > 0 and <= 1'],
  maxQueue: [isIntAtLeast1, 'must be an integer >= 1'],
  maxInFlight: [isIntAtLeast1, 'must be an integer >= 1'],
};
/**
 * Overlays `raw` (a model.json `batching` block, or the config section) on `defaults` and checks every
 * field; throws a plain Error naming the field (see overlaySettings).
 */
export function validateBatchingSettings(
  raw: Partial<BatchingSettings> | Readonly<Record<string, unknown>> | undefined,
  defaults: Readonly<BatchingSettings>,
): BatchingSettings {
  return overlaySettings('batching', RULES, raw, defaults);
}
