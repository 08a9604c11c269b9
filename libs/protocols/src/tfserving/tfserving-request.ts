import { InvalidInputError } from '@app/errors';
import { allocate, elementCount, formatShape, HostTensor, TensorMap, TensorSpec } from '@app/models';
import { fillNested, shapeOf } from '../json/nested-list';

/** A request body decoded against a model's public inputs; `rows` is the batch size it asks for. */
export interface DecodedRequest {
  tensors: TensorMap;
  rows: number;
  /** TF Serving answers in the format it was asked in: `instances` -> `predictions`, `inputs` -> `outputs`. */
  format: 'row' | 'columnar';
}

const BODY_FIELDS = ['signature_name', 'instances', 'inputs'];

/**
 * Decodes a TensorFlow Serving REST body (https://www.tensorflow.org/tfx/serving/api_rest): the row format
 * `{"instances": [...]}` or the columnar format `{"inputs": ...}`. Every problem is an InvalidInputError
 * whose message names the field, so a client can fix its request from the message alone.
 */
export function decodeTfServingRequest(body: unknown, inputs: TensorSpec[], extraFields: readonly string[] = []): DecodedRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidInputError('request body must be a JSON object with "instances" or "inputs"');
  }
  const obj = body as Record<string, unknown>;
  const unknown = Object.keys(obj).find((k) => !BODY_FIELDS.includes(k) && !extraFields.includes(k));
  if (unknown !== undefined) {
    throw new InvalidInputError(`unknown field '${unknown}' (a body holds ${[...BODY_FIELDS, ...extraFields].join(', ')})`, unknown);
  }
  if (obj.signature_name !== undefined && obj.signature_name !== 'serving_default') {
    throw new InvalidInputError(`signature_name '${String(obj.signature_name)}' not found (this model has serving_default)`, 'signature_name');
  }
  const hasInstances = obj.instances !== undefined;
  const hasInputs = obj.inputs !== undefined;
  if (hasInstances === hasInputs) {
    throw new InvalidInputError(
      hasInstances ? 'use either "instances" or "inputs", not both' : 'request body must have "instances" (row format) or "inputs" (columnar format)',
    );
  }
  return hasInstances ? decodeRows(obj.instances, inputs) : decodeColumns(obj.inputs, inputs);
}

function decodeRows(instances: unknown, inputs: TensorSpec[]): DecodedRequest {
  if (!Array.isArray(instances) || instances.length === 0) {
    throw new InvalidInputError('instances must be a non-empty list', 'instances');
  }
  const rows = instances.length;
  const single = inputs.length === 1 ? inputs[0] : undefined;
  // With one input an instance is its value, or {name: value}; with several it must be an object.
  const named = !single || isNamedInstance(instances[0], single);
  const tensors: TensorMap = {};
  for (const spec of inputs) {
    const valueAt = (i: number): unknown => {
      if (!named) return instances[i];
      const instance = instances[i];
      if (instance === null || typeof instance !== 'object' || Array.isArray(instance)) {
        throw new InvalidInputError(`instances[${i}] must be an object of named inputs (${names(inputs)})`, `instances[${i}]`);
      }
      if (!(spec.name in instance)) throw new InvalidInputError(`instances[${i}]: missing input '${spec.name}'`, `instances[${i}].${spec.name}`);
      return (instance as Record<string, unknown>)[spec.name];
    };
    const where = (i: number) => (named ? `instances[${i}].${spec.name}` : `instances[${i}]`);
    const rowShape = resolveRowShape(spec, shapeOf(valueAt(0)), where(0));
    const perRow = elementCount(rowShape);
    const data = allocate(spec.datatype, rows * perRow);
    for (let i = 0; i < rows; i++) fillNested(data, i * perRow, valueAt(i), rowShape, spec.datatype, where(i));
    tensors[spec.name] = { datatype: spec.datatype, dims: [rows, ...rowShape], data };
  }
  if (named) rejectUnknownNames(instances, inputs);
  return { tensors, rows, format: 'row' };
}

function decodeColumns(value: unknown, inputs: TensorSpec[]): DecodedRequest {
  const single = inputs.length === 1 ? inputs[0] : undefined;
  const named = !single || isNamedInstance(value, single);
  if (named && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw new InvalidInputError(`inputs must be an object of named inputs (${names(inputs)})`, 'inputs');
  }
  const tensors: TensorMap = {};
  let rows = -1;
  for (const spec of inputs) {
    const where = named ? `inputs.${spec.name}` : 'inputs';
    if (named && !(spec.name in (value as object))) throw new InvalidInputError(`inputs: missing input '${spec.name}'`, where);
    const tensorValue = named ? (value as Record<string, unknown>)[spec.name] : value;
    const dims = shapeOf(tensorValue);
    if (dims.length === 0 || dims[0] === 0) throw new InvalidInputError(`${where} must be a non-empty list with the batch first`, where);
    const rowShape = resolveRowShape(spec, dims.slice(1), `${where}[0]`);
    if (rows !== -1 && dims[0] !== rows) {
      throw new InvalidInputError(`${where} has ${dims[0]} rows but other inputs have ${rows}`, where);
    }
    rows = dims[0];
    const full = [rows, ...rowShape];
    const data = allocate(spec.datatype, elementCount(full));
    fillNested(data, 0, tensorValue, full, spec.datatype, where);
    tensors[spec.name] = { datatype: spec.datatype, dims: full, data } satisfies HostTensor;
  }
  if (named) {
    const extra = Object.keys(value as object).find((k) => !inputs.some((s) => s.name === k));
    if (extra !== undefined) throw new InvalidInputError(`inputs: unknown input '${extra}' (the model takes ${names(inputs)})`, `inputs.${extra}`);
  }
  return { tensors, rows, format: 'columnar' };
}

/** The shape of one instance: the spec without its batch dimension, free dimensions taken from the data. */
function resolveRowShape(spec: TensorSpec, measured: number[], where: string): number[] {
  const expected = spec.shape.slice(1);
  const ok = measured.length === expected.length && expected.every((d, i) => d === -1 || d === measured[i]) && measured.every((d) => d > 0);
  if (!ok) {
    throw new InvalidInputError(
      `${where}: input '${spec.name}' takes instances of shape ${formatShape(expected)} (${spec.datatype}), got ${formatShape(measured)}`,
      where,
    );
  }
  return measured;
}

function isNamedInstance(value: unknown, spec: TensorSpec): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  // {"b64": "..."} is a BYTES value, not a map of inputs, unless the input is really called b64.
  return !(spec.datatype === 'BYTES' && 'b64' in value && spec.name !== 'b64');
}

function rejectUnknownNames(instances: unknown[], inputs: TensorSpec[]): void {
  for (let i = 0; i < instances.length; i++) {
    for (const key of Object.keys(instances[i] as object)) {
      if (!inputs.some((s) => s.name === key)) {
        throw new InvalidInputError(`instances[${i}]: unknown input '${key}' (the model takes ${names(inputs)})`, `instances[${i}].${key}`);
      }
    }
  }
}

const names = (inputs: TensorSpec[]) => inputs.map((s) => `'${s.name}'`).join(', ');
