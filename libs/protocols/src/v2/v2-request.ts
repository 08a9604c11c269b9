import { endianness } from 'os';
import { InvalidInputError } from '@app/errors';
import { allocate, DATATYPES, Datatype, elementCount, formatShape, HostTensor, TensorData, TensorMap, TensorSpec } from '@app/models';
import { writeElement } from '../json/element-writer';
import { fillNested } from '../json/nested-list';

/** A parameter value of the protocol: `$parameter = $string : $string | $number | $boolean`. */
export type V2ParameterValue = string | number | boolean;
export type V2Parameters = Record<string, V2ParameterValue>;

/** A KServe V2 inference request decoded against a model's public inputs and its outputs. */
export interface V2DecodedRequest {
  /** Echoed in the response when given. */
  id?: string;
  tensors: TensorMap;
  /** The batch: the first dimension, shared by every input. */
  rows: number;
  /** The outputs asked for, in request order; undefined when the request names none (answer them all). */
  outputs?: string[];
  /**
   * Outputs to answer in the binary tail (binary tensor data extension): `parameters.binary_data_output`
   * for all, an output's own `parameters.binary_data` over it. Undefined: a plain JSON answer.
   */
  binaryOutputs?: string[];
  parameters?: V2Parameters;
  /** From `parameters.timeout` (microseconds, Triton's schedule-policy extension), in milliseconds. */
  timeoutMs?: number;
}

/** What the request is checked against: the public inputs and every output name a response can carry. */
export interface V2Target {
  inputs: TensorSpec[];
  outputs: string[];
}

const REQUEST_FIELDS = ['id', 'parameters', 'inputs', 'outputs'];
// Triton's own examples send the model name in the body too; it is redundant with the URL, so tolerated.
const TOLERATED_FIELDS = ['model_name', 'model_version'];
const INPUT_FIELDS = ['name', 'shape', 'datatype', 'parameters', 'data'];
const OUTPUT_FIELDS = ['name', 'parameters'];

/**
 * Decodes the body of `POST /v2/models/{name}[/versions/{v}]/infer` (the Open Inference Protocol's
 * $inference_request). Tensor data may be flat (row-major) or nested in the tensor's own shape, as the
 * protocol allows both; `shape` is the whole batch's shape and is checked against the data and against the
 * model's signature. Datatypes are not coerced: the protocol lets a server refuse an unexpected type, and a
 * silent FP64 -> FP32 narrowing would hide client bugs. Every problem is an InvalidInputError naming the field.
 *
 * `binary` is the tail of a body sent with the binary tensor data extension (Triton): inputs whose
 * parameters carry `binary_data_size` take their bytes from it, in request order.
 */
export function decodeV2Request(body: unknown, target: V2Target, binary?: Buffer): V2DecodedRequest {
  if (!isObject(body)) throw new InvalidInputError('request body must be a JSON object with "inputs" (an inference request)');
  rejectUnknownFields(body, [...REQUEST_FIELDS, ...TOLERATED_FIELDS], '', REQUEST_FIELDS);

  const decoded: V2DecodedRequest = { tensors: {}, rows: 0 };
  if (body.id !== undefined) {
    if (typeof body.id !== 'string') throw new InvalidInputError(`id must be a string, got ${describe(body.id)}`, 'id');
    decoded.id = body.id;
  }
  if (body.parameters !== undefined) {
    decoded.parameters = parametersOf(body.parameters, 'parameters');
    decoded.timeoutMs = timeoutOf(decoded.parameters);
  }
  const { tensors, rows } = decodeInputs(body.inputs, target.inputs, binary);
  decoded.tensors = tensors;
  decoded.rows = rows;
  const requested = body.outputs === undefined ? undefined : requestedOutputs(body.outputs, target.outputs);
  if (requested) decoded.outputs = requested.map((o) => o.name);
  const allBinary = flagOf(decoded.parameters?.binary_data_output, 'parameters.binary_data_output') ?? false;
  const binaryOutputs = (requested ?? target.outputs.map((name) => ({ name, binary: undefined })))
    .filter((o) => o.binary ?? allBinary)
    .map((o) => o.name);
  if (binaryOutputs.length > 0) decoded.binaryOutputs = binaryOutputs;
  return decoded;
}

function flagOf(value: V2ParameterValue | undefined, where: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new InvalidInputError(`${where} must be true or false, got ${describe(value)}`, where);
}

function decodeInputs(value: unknown, specs: TensorSpec[], binary: Buffer | undefined): { tensors: TensorMap; rows: number } {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidInputError(`inputs must be a non-empty list of input tensors (the model takes ${names(specs)})`, 'inputs');
  }
  const tensors: TensorMap = {};
  const binaryReader = new BinaryReader(binary);
  let rows = -1;
  let rowsFrom = '';
  value.forEach((input: unknown, i) => {
    const where = `inputs[${i}]`;
    if (!isObject(input)) throw new InvalidInputError(`${where} must be an object with name, shape, datatype and data`, where);
    rejectUnknownFields(input, INPUT_FIELDS, `${where}.`);
    if (typeof input.name !== 'string') throw new InvalidInputError(`${where}.name must be a string`, `${where}.name`);
    const spec = specs.find((s) => s.name === input.name);
    if (!spec) throw new InvalidInputError(`${where}: unknown input '${input.name}' (the model takes ${names(specs)})`, `${where}.name`);
    if (tensors[spec.name]) throw new InvalidInputError(`${where}: input '${spec.name}' is given twice`, `${where}.name`);
    const datatype = datatypeOf(input.datatype, spec, `${where}.datatype`);
    const shape = shapeOf(input.shape, spec, `${where}.shape`);
    const parameters = input.parameters === undefined ? undefined : parametersOf(input.parameters, `${where}.parameters`);
    const binarySize = parameters?.binary_data_size;
    let data: TensorData;
    if (binarySize !== undefined) {
      if (input.data !== undefined) throw new InvalidInputError(`${where} has both data and parameters.binary_data_size`, `${where}.data`);
      data = binaryReader.read(binarySize, datatype, shape, where);
    } else {
      if (input.data === undefined) throw new InvalidInputError(`${where}.data is required`, `${where}.data`);
      data = decodeData(input.data, datatype, shape, `${where}.data`);
    }
    if (rows !== -1 && shape[0] !== rows) {
      throw new InvalidInputError(`${where}.shape: input '${spec.name}' has ${shape[0]} rows but ${rowsFrom} has ${rows}`, `${where}.shape`);
    }
    rows = shape[0];
    rowsFrom = `'${spec.name}'`;
    tensors[spec.name] = { datatype, dims: shape, data } satisfies HostTensor;
  });
  const missing = specs.find((s) => !tensors[s.name]);
  if (missing) throw new InvalidInputError(`inputs: missing input '${missing.name}' (the model takes ${names(specs)})`, 'inputs');
  binaryReader.finish();
  return { tensors, rows };
}

function datatypeOf(value: unknown, spec: TensorSpec, where: string): Datatype {
  if (typeof value !== 'string') throw new InvalidInputError(`${where} must be a string such as "${spec.datatype}"`, where);
  if (!(DATATYPES as readonly string[]).includes(value)) {
    throw new InvalidInputError(`${where}: datatype '${value.slice(0, 20)}' is not served (modelgate serves ${DATATYPES.join(', ')})`, where);
  }
  if (value !== spec.datatype) throw new InvalidInputError(`${where}: input '${spec.name}' is ${spec.datatype}, got ${value}`, where);
  return value as Datatype;
}

/** The request's shape: the whole batch, each dimension >= 1, fitting the declared shape (-1 is free). */
function shapeOf(value: unknown, spec: TensorSpec, where: string): number[] {
  if (!Array.isArray(value) || !value.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InvalidInputError(`${where} must be a list of non-negative integers, such as ${formatShape(example(spec.shape))}`, where);
  }
  const shape = value as number[];
  const fits = shape.length === spec.shape.length && spec.shape.every((d, i) => d === -1 || d === shape[i]);
  if (!fits) {
    throw new InvalidInputError(
      `${where}: input '${spec.name}' has shape ${formatShape(spec.shape)} (-1 is free, the first dimension is the batch), got ${formatShape(shape)}`,
      where,
    );
  }
  if (shape.some((d) => d === 0)) throw new InvalidInputError(`${where}: ${formatShape(shape)} holds no elements; send at least one row`, where);
  return shape;
}

/** Flat (row-major) or nested in the tensor's shape: the protocol allows both. */
function decodeData(value: unknown, datatype: Datatype, shape: number[], where: string): TensorData {
  if (!Array.isArray(value)) throw new InvalidInputError(`${where} must be a list (flat, row-major, or nested in the shape)`, where);
  const count = elementCount(shape);
  const nested = shape.length > 1 && Array.isArray(value[0]);
  if (nested) {
    // The structure is checked before anything is allocated: the declared shape alone must not size memory.
    checkNested(value, shape, 0, where);
    const data = allocate(datatype, count);
    fillNested(data, 0, value, shape, datatype, where);
    return data;
  }
  if (value.length !== count) {
    throw new InvalidInputError(`${where} has ${value.length} values but shape ${formatShape(shape)} needs ${count}`, where);
  }
  const data = allocate(datatype, count);
  if (datatype === 'FP32' || datatype === 'FP64') {
    // Fast path for floats, the common case by far: no per-element closure unless an element is wrong.
    const out = data as Float32Array | Float64Array;
    for (let i = 0; i < count; i++) {
      const v = value[i];
      if (typeof v === 'number' && Number.isFinite(v)) out[i] = v;
      else writeElement(data, i, v, datatype, () => `${where}[${i}]`);
    }
    return data;
  }
  for (let i = 0; i < count; i++) writeElement(data, i, value[i], datatype, () => `${where}[${i}]`);
  return data;
}

function checkNested(value: unknown, shape: readonly number[], depth: number, where: string): void {
  const expected = shape[depth];
  if (!Array.isArray(value) || value.length !== expected) {
    const got = Array.isArray(value) ? `${value.length} values` : 'a single value';
    throw new InvalidInputError(`${where}: expected a list of ${expected} values for shape ${formatShape(shape)}, got ${got}`, where);
  }
  if (depth + 1 === shape.length) return;
  for (let i = 0; i < expected; i++) checkNested(value[i], shape, depth + 1, `${where}[${i}]`);
}

interface RequestedOutput {
  name: string;
  /** The output's own `parameters.binary_data`, when it says. */
  binary: boolean | undefined;
}

function requestedOutputs(value: unknown, available: string[]): RequestedOutput[] | undefined {
  if (!Array.isArray(value)) throw new InvalidInputError('outputs must be a list of {"name": ...} objects', 'outputs');
  if (value.length === 0) return undefined;
  const wanted: RequestedOutput[] = [];
  value.forEach((output: unknown, i) => {
    const where = `outputs[${i}]`;
    if (!isObject(output)) throw new InvalidInputError(`${where} must be an object with a name`, where);
    rejectUnknownFields(output, OUTPUT_FIELDS, `${where}.`);
    if (typeof output.name !== 'string') throw new InvalidInputError(`${where}.name must be a string`, `${where}.name`);
    if (!available.includes(output.name)) {
      throw new InvalidInputError(`${where}: unknown output '${output.name}' (the model gives ${quoted(available)})`, `${where}.name`);
    }
    if (wanted.some((w) => w.name === output.name)) throw new InvalidInputError(`${where}: output '${output.name}' is asked for twice`, `${where}.name`);
    let binary: boolean | undefined;
    if (output.parameters !== undefined) {
      const parameters = parametersOf(output.parameters, `${where}.parameters`);
      // Triton's classification extension changes the output's type and shape; answering the raw tensor
      // instead would be misread, so it is refused.
      if (parameters.classification !== undefined) {
        throw new InvalidInputError(
          `${where}.parameters.classification is not supported; ask for the "label" output for the top label of each row`,
          `${where}.parameters.classification`,
        );
      }
      binary = flagOf(parameters.binary_data, `${where}.parameters.binary_data`);
    }
    wanted.push({ name: output.name, binary });
  });
  return wanted;
}

function parametersOf(value: unknown, where: string): V2Parameters {
  if (!isObject(value)) throw new InvalidInputError(`${where} must be an object of name/value pairs`, where);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new InvalidInputError(`${where}.${key} must be a string, number or boolean, got ${describe(v)}`, `${where}.${key}`);
    }
  }
  return value as V2Parameters;
}

/** Triton's schedule-policy `timeout`: int64 microseconds; 0 (or absent) means the server's default. */
function timeoutOf(parameters: V2Parameters): number | undefined {
  const timeout = parameters.timeout;
  if (timeout === undefined) return undefined;
  if (typeof timeout !== 'number' || !Number.isSafeInteger(timeout) || timeout < 0) {
    throw new InvalidInputError(`parameters.timeout must be an integer number of microseconds >= 0, got ${describe(timeout)}`, 'parameters.timeout');
  }
  return timeout === 0 ? undefined : timeout / 1000;
}

const ELEMENT_BYTES: Record<Exclude<Datatype, 'BYTES'>, number> = { BOOL: 1, UINT8: 1, INT8: 1, INT16: 2, INT32: 4, INT64: 8, FP32: 4, FP64: 8 };

/**
 * Reads the binary tensor data extension's tail: little-endian, row-major, no padding; BOOL one byte; BYTES
 * elements each a 4-byte little-endian length and the bytes. Inputs take their slices in request order.
 */
class BinaryReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer | undefined) {}

  read(size: V2ParameterValue, datatype: Datatype, shape: number[], where: string): TensorData {
    const field = `${where}.parameters.binary_data_size`;
    if (!this.buffer) {
      throw new InvalidInputError(`${field} needs a binary body (Content-Type: application/octet-stream with Inference-Header-Content-Length)`, field);
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new InvalidInputError(`${field} must be an integer >= 0`, field);
    if (this.offset + size > this.buffer.length) {
      throw new InvalidInputError(`${field} is ${size} but only ${this.buffer.length - this.offset} bytes of binary data remain`, field);
    }
    const bytes = this.buffer.subarray(this.offset, this.offset + size);
    this.offset += size;
    const count = elementCount(shape);
    if (datatype === 'BYTES') return readStrings(bytes, count, where, field);
    const expected = count * ELEMENT_BYTES[datatype];
    if (size !== expected) throw new InvalidInputError(`${field} is ${size} but shape ${formatShape(shape)} of ${datatype} needs ${expected} bytes`, field);
    const data = allocate(datatype, count);
    if (LITTLE_ENDIAN_HOST) {
      // The wire order is the typed arrays' own here: one copy, then the checks, instead of a read per element.
      const typed = data as Exclude<TensorData, string[]>;
      new Uint8Array(typed.buffer, typed.byteOffset, expected).set(bytes);
      checkElements(data, datatype, where, field);
      return data;
    }
    for (let i = 0; i < count; i++) {
      const at = i * ELEMENT_BYTES[datatype];
      switch (datatype) {
        case 'BOOL': {
          const b = bytes[at];
          if (b > 1) throw new InvalidInputError(`${where}: BOOL element ${i} is byte ${b}; true is 1 and false is 0`, field);
          (data as Uint8Array)[i] = b;
          break;
        }
        case 'UINT8':
          (data as Uint8Array)[i] = bytes.readUInt8(at);
          break;
        case 'INT8':
          (data as Int8Array)[i] = bytes.readInt8(at);
          break;
        case 'INT16':
          (data as Int16Array)[i] = bytes.readInt16LE(at);
          break;
        case 'INT32':
          (data as Int32Array)[i] = bytes.readInt32LE(at);
          break;
        case 'INT64':
          (data as BigInt64Array)[i] = bytes.readBigInt64LE(at);
          break;
        case 'FP32': {
          const v = bytes.readFloatLE(at);
          if (!Number.isFinite(v)) throw new InvalidInputError(`${where}: FP32 element ${i} is ${v}; expected a finite number`, field);
          (data as Float32Array)[i] = v;
          break;
        }
        case 'FP64': {
          const v = bytes.readDoubleLE(at);
          if (!Number.isFinite(v)) throw new InvalidInputError(`${where}: FP64 element ${i} is ${v}; expected a finite number`, field);
          (data as Float64Array)[i] = v;
          break;
        }
      }
    }
    return data;
  }

  /** Bytes nobody claimed mean the header and the data disagree: refuse rather than guess. */
  finish(): void {
    if (this.buffer && this.offset !== this.buffer.length) {
      throw new InvalidInputError(`the body has ${this.buffer.length - this.offset} bytes of binary data that no input's binary_data_size claims`, 'inputs');
    }
  }
}

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** What the element-wise reader refuses, checked on a copied array: BOOL bytes other than 0 and 1, floats that are not finite. */
function checkElements(data: TensorData, datatype: Datatype, where: string, field: string): void {
  if (datatype === 'BOOL') {
    const bytes = data as Uint8Array;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] > 1) throw new InvalidInputError(`${where}: BOOL element ${i} is byte ${bytes[i]}; true is 1 and false is 0`, field);
    }
  } else if (datatype === 'FP32' || datatype === 'FP64') {
    const floats = data as Float32Array | Float64Array;
    for (let i = 0; i < floats.length; i++) {
      if (!Number.isFinite(floats[i])) throw new InvalidInputError(`${where}: ${datatype} element ${i} is ${floats[i]}; expected a finite number`, field);
    }
  }
}

function readStrings(bytes: Buffer, count: number, where: string, field: string): string[] {
  const out = new Array<string>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) throw new InvalidInputError(`${where}: binary BYTES data ends before element ${i} of ${count}`, field);
    const length = bytes.readUInt32LE(at);
    at += 4;
    if (at + length > bytes.length) throw new InvalidInputError(`${where}: binary BYTES element ${i} claims ${length} bytes past the end of its data`, field);
    out[i] = bytes.toString('utf8', at, at + length);
    at += length;
  }
  if (at !== bytes.length) throw new InvalidInputError(`${where}: binary BYTES data has ${bytes.length - at} bytes after its ${count} elements`, field);
  return out;
}

function rejectUnknownFields(obj: Record<string, unknown>, allowed: string[], prefix: string, shown: string[] = allowed): void {
  const unknown = Object.keys(obj).find((k) => !allowed.includes(k));
  if (unknown !== undefined) {
    const holder = prefix ? 'an entry' : 'a request';
    throw new InvalidInputError(`unknown field '${prefix}${unknown.slice(0, 40)}' (${holder} holds ${shown.join(', ')})`, `${prefix}${unknown}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value)?.slice(0, 40) ?? String(value);
}

/** A shape clients can copy from an error message: free dimensions shown as 1. */
const example = (shape: number[]) => shape.map((d) => (d === -1 ? 1 : d));
const names = (inputs: TensorSpec[]) => quoted(inputs.map((s) => s.name));
const quoted = (list: string[]) => list.map((n) => `'${n}'`).join(', ');

/**
 * Splits a body of the binary tensor data extension: `headerLength` bytes of JSON request (the
 * Inference-Header-Content-Length header), then the tensors' bytes.
 */
export function splitV2BinaryBody(body: Buffer, headerLength: number): { header: unknown; binary: Buffer } {
  if (!Number.isSafeInteger(headerLength) || headerLength < 0 || headerLength > body.length) {
    throw new InvalidInputError(
      `Inference-Header-Content-Length must be the byte length of the JSON request, at most the body's ${body.length} bytes`,
      'Inference-Header-Content-Length',
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(body.toString('utf8', 0, headerLength));
  } catch (error) {
    const why = (error as Error).message;
    throw new InvalidInputError(`the first ${headerLength} bytes of the body are not a JSON request: ${why}`, 'Inference-Header-Content-Length');
  }
  return { header, binary: body.subarray(headerLength) };
}
