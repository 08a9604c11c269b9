export { BatchingModule } from './batching.module';
export { BatcherFactory } from './batcher.factory';
export { DynamicBatcher } from './dynamic-batcher';
export type { DynamicBatcherOptions } from './dynamic-batcher';
export { DEFAULT_BATCHING_SETTINGS, BATCH_SIZE_POLICIES, validateBatchingSettings } from './batching-settings';
export type { BatchingSettings, BatchSizePolicyName } from './batching-settings';
export type {
  BatchRequest,
  BatchExecutor,
  BatchObserver,
  BatchEvent,
  BatcherStats,
  RejectReason,
} from './batch-types';
