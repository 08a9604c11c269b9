import { ModelStatus, ModelVersion, TensorSpec } from '@app/models';

const TF_DTYPES: Record<string, string> = {
  FP32: 'DT_FLOAT',
  FP64: 'DT_DOUBLE',
  INT8: 'DT_INT8',
  INT16: 'DT_INT16',
  INT32: 'DT_INT32',
  INT64: 'DT_INT64',
  UINT8: 'DT_UINT8',
  BOOL: 'DT_BOOL',
  BYTES: 'DT_STRING',
};

/** GET /v1/models/{name}: TF Serving's GetModelStatus answer. */
export function modelStatusBody(status: ModelStatus, version?: number) {
  const versions = status.versions.filter((v) => version === undefined || v.version === version);
  return {
    model_version_status: versions.map((v) => ({
      version: String(v.version),
      state: v.state,
      status: { error_code: v.error ? 'UNKNOWN' : 'OK', error_message: v.error ?? '' },
    })),
  };
}

function tensorInfo(spec: TensorSpec) {
  return {
    dtype: TF_DTYPES[spec.datatype],
    tensor_shape: { dim: spec.shape.map((d) => ({ size: String(d), name: '' })), unknown_rank: false },
    name: spec.name,
  };
}

/** GET /v1/models/{name}/metadata: TF Serving's GetModelMetadata answer, plus what modelgate adds. */
export function modelMetadataBody(servable: ModelVersion) {
  const { signature, config } = servable;
  return {
    model_spec: { name: servable.name, signature_name: '', version: String(servable.version) },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs: Object.fromEntries(signature.inputs.map((s) => [s.name, tensorInfo(s)])),
            outputs: Object.fromEntries(signature.outputs.map((s) => [s.name, tensorInfo(s)])),
            method_name: 'tensorflow/serving/predict',
          },
        },
      },
    },
    modelgate: {
      description: config.description,
      labels: servable.labels,
      instances: servable.plan.instances,
      threads: servable.plan.threads,
      executionProvider: servable.plan.provider,
      route: config.route,
      reference: servable.reference,
      examples: config.examples,
      sloP99Ms: config.sloP99Ms,
    },
  };
}
