import { allocate, Datatype, elementCount, NumericArray, TensorData, TensorMap } from '@app/models';

/** One output tensor of one cached unit: a row (dims without the batch) or a whole answer (all dims). */
export interface CachedTensor {
  datatype: Datatype;
  dims: number[];
  data: TensorData;
}
/** What the cache holds per key: every output of one row (or of one whole request). */
export type CachedOutputs = Record<string, CachedTensor>;

/** Copies rows `indexes` of every input into new tensors, in that order. */
export function gatherRows(inputs: TensorMap, indexes: readonly number[]): TensorMap {
  const out: TensorMap = {};
  for (const [name, tensor] of Object.entries(inputs)) {
    const rowShape = tensor.dims.slice(1);
    const perRow = elementCount(rowShape);
    const data = allocate(tensor.datatype, indexes.length * perRow);
    indexes.forEach((row, i) => copyElements(tensor.data, row * perRow, data, i * perRow, perRow));
    out[name] = { datatype: tensor.datatype, dims: [indexes.length, ...rowShape], data };
  }
  return out;
}

/** Row `row` of every output, copied: a cache entry must not keep the whole batch's buffer alive. */
export function copyRow(outputs: TensorMap, row: number): CachedOutputs {
  const out: CachedOutputs = {};
  for (const [name, tensor] of Object.entries(outputs)) {
    const rowShape = tensor.dims.slice(1);
    const perRow = elementCount(rowShape);
    const data = tensor.data.slice(row * perRow, (row + 1) * perRow) as TensorData;
    out[name] = { datatype: tensor.datatype, dims: rowShape, data };
  }
  return out;
}

/**
 * Stacks cached rows into output tensors, rows in the given order. Returns undefined when the rows do not
 * agree on an output's datatype or shape (a model whose row shape depends on the batch it ran in), so the
 * caller can compute the request as a whole instead.
 */
export function stackRows(rows: readonly CachedOutputs[]): TensorMap | undefined {
  const first = rows[0];
  const out: TensorMap = {};
  for (const name of Object.keys(first)) {
    const { datatype, dims } = first[name];
    const perRow = elementCount(dims);
    const data = allocate(datatype, rows.length * perRow);
    for (let r = 0; r < rows.length; r++) {
      const part = rows[r][name];
      if (!part || part.datatype !== datatype || !sameDims(part.dims, dims)) return undefined;
      copyElements(part.data, 0, data, r * perRow, perRow);
    }
    out[name] = { datatype, dims: [rows.length, ...dims], data };
  }
  return out;
}

/** A whole cached answer as fresh output tensors (callers may keep or transfer them). */
export function copyOutputs(cached: CachedOutputs): TensorMap {
  const out: TensorMap = {};
  for (const [name, t] of Object.entries(cached)) out[name] = { datatype: t.datatype, dims: [...t.dims], data: t.data.slice() as TensorData };
  return out;
}

function copyElements(src: TensorData, from: number, dst: TensorData, to: number, count: number): void {
  if (Array.isArray(dst)) {
    for (let i = 0; i < count; i++) dst[to + i] = (src as string[])[from + i];
  } else {
    (dst as NumericArray).set((src as NumericArray).subarray(from, from + count), to);
  }
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
