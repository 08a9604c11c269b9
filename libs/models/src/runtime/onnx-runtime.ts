import { InstancePool, InstancesOptions, ModelRuntime } from './model-runtime';
import { SessionPool } from './session-pool';

/** onnxruntime-node, one InferenceSession per worker thread (see SessionPool): what production serves with. */
export class OnnxRuntime implements ModelRuntime {
  start(options: InstancesOptions): Promise<InstancePool> {
    return SessionPool.start(options);
  }
}
