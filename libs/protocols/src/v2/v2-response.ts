import { HostTensor, TensorMap, TensorSpec } from '@app/models';
import { binaryTensorBytes } from './binary-tensor';
import { flatToJson } from '../json/json-tensor';

/**
 * The extra output a model with labels answers on V2: the top label of each row, as BYTES of shape [rows].
 * V2 answers tensors only, so this is how a V2 client gets what the TF Serving route's "label" field says.
 */
export const LABEL_OUTPUT = 'label';

/**
 * $response_output: the data is flat, row-major, as the protocol's own examples answer. An output answered
 * in the binary tail (binary tensor data extension) has `parameters.binary_data_size` instead of data.
 */
export interface V2ResponseOutput {
  name: string;
  datatype: string;
  shape: number[];
  data?: unknown[];
  parameters?: { binary_data_size: number };
}

/** $inference_response. */
export interface V2InferResponse {
  model_name: string;
  model_version: string;
  id?: string;
  parameters?: Record<string, string | number | boolean>;
  outputs: V2ResponseOutput[];
}

/** $metadata_tensor. */
export interface V2MetadataTensor {
  name: string;
  datatype: string;
  shape: number[];
}

/**
 * Every output a V2 response can carry: the declared outputs, plus "label" when the model declares labels
 * (unless the graph already has an output of that name, which then wins).
 */
export function v2OutputSpecs(outputs: readonly TensorSpec[], labelled: boolean): TensorSpec[] {
  const specs = [...outputs];
  if (labelled && !outputs.some((o) => o.name === LABEL_OUTPUT)) specs.push({ name: LABEL_OUTPUT, datatype: 'BYTES', shape: [-1] });
  return specs;
}

/** The top labels of a batch as the BYTES tensor the "label" output answers. */
export function labelTensor(labels: string[]): HostTensor {
  return { datatype: 'BYTES', dims: [labels.length], data: labels };
}

export interface V2ResponseParts {
  model: string;
  version: number;
  id?: string;
  tensors: TensorMap;
  /** Output names in the order to answer them. */
  outputs: readonly string[];
  /** Outputs to answer as bytes after the JSON (binary tensor data extension); the rest are JSON data. */
  binaryOutputs?: readonly string[];
}

export interface V2EncodedResponse {
  json: V2InferResponse;
  /** The binary outputs' bytes, in output order; empty when every output is JSON data. */
  binary: Buffer[];
}

/** Encodes an inference answer; FP32 values print as the shortest decimal that reads back the same. */
export function encodeV2Response(parts: V2ResponseParts): V2EncodedResponse {
  const binary: Buffer[] = [];
  const outputs = parts.outputs.map((name): V2ResponseOutput => {
    const tensor = parts.tensors[name];
    const head = { name, datatype: tensor.datatype, shape: [...tensor.dims] };
    if (!parts.binaryOutputs?.includes(name)) return { ...head, data: flatToJson(tensor) };
    const bytes = binaryTensorBytes(tensor);
    binary.push(bytes);
    return { ...head, parameters: { binary_data_size: bytes.length } };
  });
  const json = {
    model_name: parts.model,
    model_version: String(parts.version),
    ...(parts.id !== undefined ? { id: parts.id } : {}),
    outputs,
  };
  return { json, binary };
}

export function metadataTensor(spec: TensorSpec): V2MetadataTensor {
  return { name: spec.name, datatype: spec.datatype, shape: [...spec.shape] };
}
