import { TextFeaturesSpec } from '../../libs/models/src/transforms/text-features';

/** The parts of models/<name>/model.json that the scripts write, in the order they are written. */
export interface TensorSpec {
  name: string;
  datatype: 'FP32' | 'BYTES';
  shape: number[];
}

export interface ClassificationPostprocess {
  type: 'classification';
  output: string;
  labels: string[];
  topK: number;
}

export interface TrainingReference {
  classDistribution: Record<string, number>;
  holdoutAccuracy: number;
  holdoutSize: number;
  trainingSize: number;
  seed: number;
  script: string;
  holdoutFile: string;
  dataset: string;
  [extra: string]: unknown;
}

export interface ModelJson {
  description: string;
  inputs?: TensorSpec[];
  outputs?: TensorSpec[];
  preprocess?: TextFeaturesSpec[];
  postprocess?: ClassificationPostprocess;
  versionPolicy: { latest: number };
  /** TF Serving version labels: label -> version. */
  versionLabels?: Record<string, number>;
  instances: number;
  threads: number;
  reference?: TrainingReference;
}

/** Fixes the key order whatever order the caller filled the object in. */
export function orderedModelJson(model: ModelJson): ModelJson {
  const ordered: ModelJson = {
    description: model.description,
    inputs: model.inputs,
    outputs: model.outputs,
    preprocess: model.preprocess,
    postprocess: model.postprocess,
    versionPolicy: model.versionPolicy,
    versionLabels: model.versionLabels,
    instances: model.instances,
    threads: model.threads,
    reference: model.reference,
  };
  for (const key of Object.keys(ordered) as (keyof ModelJson)[]) if (ordered[key] === undefined) delete ordered[key];
  return ordered;
}
