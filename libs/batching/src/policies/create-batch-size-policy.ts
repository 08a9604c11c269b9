import { BatchingSettings } from '../batching-settings';
import { AimdPolicy } from './aimd-policy';
import { BatchSizePolicy } from './batch-size-policy';
import { FixedPolicy } from './fixed-policy';
import { QuantilePolicy } from './quantile-policy';

export function createBatchSizePolicy(settings: BatchingSettings): BatchSizePolicy {
  // Batching off is a fixed limit of one row: a request of one row fills it, a larger one runs alone
  // as any oversized request does, so every request is its own batch and none waits for company.
  if (!settings.enabled) return new FixedPolicy(1);
  const { maxBatchSize, latencySloMs, aimdStep: step } = settings;
  switch (settings.policy) {
    case 'fixed':
      return new FixedPolicy(maxBatchSize);
    case 'aimd':
      return new AimdPolicy({ maxBatchSize, latencySloMs, step, factor: settings.aimdFactor });
    case 'quantile':
      return new QuantilePolicy({ maxBatchSize, latencySloMs, step, quantile: settings.quantile });
  }
}
