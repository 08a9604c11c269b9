import type { InferResult } from '@app/dataplane';
import { InvalidInputError } from '@app/errors';
import { Datatype } from '@app/models';
import { binaryTensorBytes } from '../binary-tensor';
import { v2AnswerTensors } from '../v2-adapter';
import { V2Parameters, V2ParameterValue } from '../v2-request';
import { InferInputTensorMessage, InferTensorContentsMessage, ModelInferRequestMessage, ModelInferResponseMessage, ParameterMap } from './grpc-messages';

/** The typed-contents field that carries each datatype (the protocol's InferTensorContents). */
const CONTENTS_FIELD: Record<Datatype, keyof InferTensorContentsMessage> = {
  BOOL: 'bool_contents',
  UINT8: 'uint_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

/** A ModelInferRequest in the form the V2 REST decoder reads: the JSON request, and the raw tensors' bytes as its binary tail. */
export interface GrpcInferBody {
  body: Record<string, unknown>;
  binary?: Buffer;
}

/**
 * Rewrites a ModelInferRequest as the V2 REST request it is equivalent to, so that one decoder checks every
 * request against the signature whichever transport it came on. Raw contents (what Triton's clients send)
 * become the binary tensor data extension's tail, byte for byte the same layout; typed contents become
 * `data`. The protocol lets raw contents stand for every input or none.
 */
export function grpcInferBody(message: ModelInferRequestMessage): GrpcInferBody {
  const raw = message.raw_input_contents ?? [];
  const inputs = message.inputs ?? [];
  if (raw.length > 0 && raw.length !== inputs.length) {
    throw new InvalidInputError(
      `raw_input_contents has ${raw.length} entries for ${inputs.length} inputs: give raw contents for every input or for none`,
      'raw_input_contents',
    );
  }
  const body: Record<string, unknown> = {
    inputs: inputs.map((input, i) => (raw.length > 0 ? rawInput(input, raw[i], i) : typedInput(input, i))),
  };
  if (message.id) body.id = message.id;
  const parameters = parametersOf(message.parameters, 'parameters');
  if (parameters) body.parameters = parameters;
  const outputs = message.outputs ?? [];
  // Every output is answered in raw_output_contents, so the REST binary_data flags have no meaning here.
  if (outputs.length > 0) body.outputs = outputs.map((o) => ({ name: o.name, ...withoutBinaryFlag(parametersOf(o.parameters, 'outputs.parameters')) }));
  return raw.length > 0 ? { body, binary: raw.length === 1 ? raw[0] : Buffer.concat(raw) } : { body };
}

function rawInput(input: InferInputTensorMessage, bytes: Buffer, i: number): Record<string, unknown> {
  if (hasContents(input.contents)) {
    throw new InvalidInputError(`inputs[${i}] has both contents and raw_input_contents[${i}]`, `inputs[${i}].contents`);
  }
  return { ...head(input, i), parameters: { ...parametersOf(input.parameters, `inputs[${i}].parameters`), binary_data_size: bytes.length } };
}

function typedInput(input: InferInputTensorMessage, i: number): Record<string, unknown> {
  const field = CONTENTS_FIELD[input.datatype as Datatype];
  const contents = input.contents ?? {};
  const values = field ? contents[field] : undefined;
  if (!field || values === undefined) {
    // An unknown datatype is left for the decoder to name; this only says where the data should be.
    if (field) throw new InvalidInputError(`inputs[${i}].contents.${field} is required for a ${input.datatype} input`, `inputs[${i}].contents`);
    return { ...head(input, i), data: [] };
  }
  const data = field === 'bytes_contents' ? (values as Buffer[]).map((b) => b.toString('utf8')) : values;
  const parameters = parametersOf(input.parameters, `inputs[${i}].parameters`);
  return { ...head(input, i), ...(parameters ? { parameters } : {}), data };
}

function head(input: InferInputTensorMessage, i: number): Record<string, unknown> {
  if (!input.name) throw new InvalidInputError(`inputs[${i}].name is required`, `inputs[${i}].name`);
  return { name: input.name, datatype: input.datatype, shape: input.shape };
}

function hasContents(contents: InferTensorContentsMessage | null | undefined): boolean {
  if (!contents) return false;
  return Object.values(contents).some((v) => Array.isArray(v) && v.length > 0);
}

function parametersOf(map: ParameterMap | undefined, where: string): V2Parameters | undefined {
  if (!map) return undefined;
  const entries = Object.entries(map);
  if (entries.length === 0) return undefined;
  const out: V2Parameters = {};
  for (const [key, parameter] of entries) {
    const choice = parameter.parameter_choice;
    if (!choice) throw new InvalidInputError(`${where}.${key} has no value`, `${where}.${key}`);
    out[key] = parameter[choice] as V2ParameterValue;
  }
  return out;
}

function withoutBinaryFlag(parameters: V2Parameters | undefined): { parameters?: V2Parameters } {
  if (!parameters) return {};
  const { binary_data: _ignored, ...rest } = parameters;
  return Object.keys(rest).length > 0 ? { parameters: rest } : {};
}

/** The answer as Triton's server gives it: every output's bytes in raw_output_contents, in output order. */
export function encodeModelInferResponse(result: InferResult, outputs: readonly string[]): ModelInferResponseMessage {
  const { servable, id } = result.request;
  const tensors = v2AnswerTensors(result);
  return {
    model_name: servable.name,
    model_version: String(servable.version),
    id: id ?? '',
    outputs: outputs.map((name) => ({ name, datatype: tensors[name].datatype, shape: [...tensors[name].dims] })),
    raw_output_contents: outputs.map((name) => binaryTensorBytes(tensors[name])),
  };
}
