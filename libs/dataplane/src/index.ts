export { DataPlaneModule } from './dataplane.module';
export { DataPlane } from './dataplane.service';
export type { InferProtocol, InferRequest, InferResult } from './infer-request';
export type { InferObserver, InferTiming } from './infer-observer';
export { ModelStatistics } from './model-statistics';
export type { Duration, VersionStatistics, BatchSizeStatistics } from './model-statistics';
export { ModelBatchers } from './model-batchers';
