export { DataPlaneModule } from './dataplane.module';
export { DataPlane } from './dataplane.service';
export type { InferProtocol, InferRequest, InferResult } from './infer-request';
export type { InferObserver } from './infer-observer';
export { ModelBatchers } from './model-batchers';
