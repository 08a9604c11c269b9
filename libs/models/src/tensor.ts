/** KServe V2 datatype names: the vocabulary of model.json, the V2 protocol and our internal tensors. */
export const DATATYPES = ['BOOL', 'UINT8', 'INT8', 'INT16', 'INT32', 'INT64', 'FP32', 'FP64', 'BYTES'] as const;
export type Datatype = (typeof DATATYPES)[number];

export type NumericArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array;
export type TensorData = NumericArray | BigInt64Array | string[];

/** A tensor on the main thread: row-major data plus dims; dims[0] is the batch for batchable models. */
export interface HostTensor {
  datatype: Datatype;
  dims: number[];
  data: TensorData;
}
export type TensorMap = Record<string, HostTensor>;

/** A declared input or output: -1 marks a free dimension (dims[0] is the batch). */
export interface TensorSpec {
  name: string;
  datatype: Datatype;
  shape: number[];
}

type Ctor = { new (length: number): NumericArray | BigInt64Array };
const ARRAYS: Record<Exclude<Datatype, 'BYTES'>, Ctor> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

export function allocate(datatype: Datatype, length: number): TensorData {
  return datatype === 'BYTES' ? new Array<string>(length) : new ARRAYS[datatype](length);
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** onnxruntime's names for the same types. */
const ORT_TYPES: Record<Datatype, string> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};
const FROM_ORT = Object.fromEntries(Object.entries(ORT_TYPES).map(([k, v]) => [v, k])) as Record<string, Datatype>;

export const toOrtType = (d: Datatype): string => ORT_TYPES[d];
export function fromOrtType(type: string): Datatype | undefined {
  return FROM_ORT[type];
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * The shortest decimal that reads back as the same float32, as TF Serving prints it: 0.98, not
 * 0.9800000190734863. Float32 needs at most 9 significant digits to round-trip.
 */
export function float32ToNumber(x: number): number {
  if (!Number.isFinite(x) || x === 0 || Number.isInteger(x)) return x;
  const f = Math.fround(x);
  for (let digits = 6; digits < 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return Number(x.toPrecision(9));
}
