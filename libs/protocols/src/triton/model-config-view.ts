import type { BatchingSettings } from '@app/batching';
import { Datatype, ModelVersion, TensorSpec } from '@app/models';
import { isLabelled } from '../v2/v2-adapter';
import { LABEL_OUTPUT } from '../v2/v2-response';

/** Triton's DataType names (model_config.proto); BYTES is TYPE_STRING there. */
const TRITON_TYPES: Record<Datatype, string> = {
  BOOL: 'TYPE_BOOL',
  UINT8: 'TYPE_UINT8',
  INT8: 'TYPE_INT8',
  INT16: 'TYPE_INT16',
  INT32: 'TYPE_INT32',
  INT64: 'TYPE_INT64',
  FP32: 'TYPE_FP32',
  FP64: 'TYPE_FP64',
  BYTES: 'TYPE_STRING',
};

export interface TritonTensorConfig {
  name: string;
  data_type: string;
  /** Without the batch dimension when max_batch_size > 0, as Triton writes them; -1 for a free one. */
  dims: number[];
}

/** The model configuration Triton's clients read (`get_model_config`), for fields modelgate has an answer to. */
export interface TritonModelConfig {
  name: string;
  platform: string;
  backend: string;
  version_policy: { latest: { num_versions: number } } | { all: Record<string, never> } | { specific: { versions: number[] } };
  max_batch_size: number;
  input: TritonTensorConfig[];
  output: TritonTensorConfig[];
  dynamic_batching?: { preferred_batch_size: number[]; max_queue_delay_microseconds: number };
  instance_group: { name: string; kind: string; count: number }[];
  default_model_filename: string;
}

/**
 * A version's configuration as Triton's model configuration extension presents it (REST JSON, and the
 * ModelConfig message over gRPC, which proto-loader fills from the same object). max_batch_size is the
 * batcher's limit when the graph has a free batch dimension, 0 when it has none (Triton's meaning).
 */
export function tritonModelConfig(servable: ModelVersion, batching: BatchingSettings): TritonModelConfig {
  const batched = servable.signature.batchable;
  const dims = (spec: TensorSpec) => (batched ? spec.shape.slice(1) : [...spec.shape]);
  const tensor = (spec: TensorSpec): TritonTensorConfig => ({ name: spec.name, data_type: TRITON_TYPES[spec.datatype], dims: dims(spec) });
  const outputs = servable.signature.outputs.map(tensor);
  if (isLabelled(servable) && !outputs.some((o) => o.name === LABEL_OUTPUT)) outputs.push({ name: LABEL_OUTPUT, data_type: 'TYPE_STRING', dims: batched ? [] : [-1] });
  const policy = servable.config.versionPolicy;
  return {
    name: servable.name,
    platform: 'onnxruntime_onnx',
    backend: 'onnxruntime',
    version_policy: 'latest' in policy ? { latest: { num_versions: policy.latest } } : 'all' in policy ? { all: {} } : { specific: { versions: [...policy.specific] } },
    max_batch_size: batched && batching.enabled ? batching.maxBatchSize : 0,
    input: servable.signature.inputs.map(tensor),
    output: outputs,
    ...(batched && batching.enabled
      ? { dynamic_batching: { preferred_batch_size: [batching.maxBatchSize], max_queue_delay_microseconds: Math.round(batching.maxDelayMs * 1000) } }
      : {}),
    instance_group: [{ name: servable.name, kind: servable.plan.provider === 'cuda' ? 'KIND_GPU' : 'KIND_CPU', count: servable.plan.instances }],
    default_model_filename: 'model.onnx',
  };
}
