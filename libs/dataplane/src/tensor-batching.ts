import { allocate, elementCount, HostTensor, NumericArray, TensorMap } from '@app/models';

/** Stacks the feeds of several requests along the batch dimension (requests already share a group key). */
export function concatFeeds(parts: readonly TensorMap[]): TensorMap {
  if (parts.length === 1) return parts[0];
  const out: TensorMap = {};
  for (const name of Object.keys(parts[0])) {
    const first = parts[0][name];
    const rest = first.dims.slice(1);
    const perRow = elementCount(rest);
    const rows = parts.reduce((n, p) => n + p[name].dims[0], 0);
    const data = allocate(first.datatype, rows * perRow);
    let offset = 0;
    for (const part of parts) {
      const src = part[name].data;
      if (Array.isArray(data)) for (let i = 0; i < src.length; i++) (data as string[])[offset + i] = (src as string[])[i];
      else (data as NumericArray).set(src as NumericArray, offset);
      offset += src.length;
    }
    out[name] = { datatype: first.datatype, dims: [rows, ...rest], data };
  }
  return out;
}

/**
 * Stacks requests whose free non-batch dimensions differ by padding every input with zeros to the
 * largest size along each axis (model.json `batching.freeDims: pad`). Only right for models whose rows
 * ignore trailing zeros (masked or sum-pooled sequences): that is the model author's promise.
 */
export function padAndConcatFeeds(parts: readonly TensorMap[]): TensorMap {
  const padded = parts.map((p) => ({ ...p }));
  for (const name of Object.keys(parts[0])) {
    const rank = parts[0][name].dims.length;
    const target = parts[0][name].dims.slice();
    for (const part of parts) part[name].dims.forEach((d, axis) => (target[axis] = Math.max(target[axis], d)));
    padded.forEach((part, i) => {
      const source = parts[i][name];
      if (source.dims.every((d, axis) => axis === 0 || d === target[axis])) return;
      const dims = [source.dims[0], ...target.slice(1)];
      const data = allocate(source.datatype, elementCount(dims));
      if (Array.isArray(data)) (data as string[]).fill('');
      copyInto(source.data, source.dims, data, dims, rank);
      part[name] = { datatype: source.datatype, dims, data };
    });
  }
  return concatFeeds(padded);
}

/** Copies an N-d tensor into the top-left corner of a larger one of the same rank, row by row. */
function copyInto(src: HostTensor['data'], srcDims: number[], dst: HostTensor['data'], dstDims: number[], rank: number): void {
  const inner = srcDims[rank - 1] ?? 1;
  const outer = elementCount(srcDims.slice(0, rank - 1));
  for (let row = 0; row < outer; row++) {
    // The position of this innermost row in the destination: same indices, larger strides.
    let rest = row;
    let at = 0;
    let stride = dstDims[rank - 1] ?? 1;
    for (let axis = rank - 2; axis >= 0; axis--) {
      const index = rest % srcDims[axis];
      rest = Math.floor(rest / srcDims[axis]);
      at += index * stride;
      stride *= dstDims[axis];
    }
    for (let k = 0; k < inner; k++) (dst as unknown[])[at + k] = (src as unknown[])[row * inner + k];
  }
}

/** Splits batch outputs back into one TensorMap per request, as views (no copies). */
export function splitOutputs(outputs: TensorMap, rowsPerRequest: readonly number[]): TensorMap[] {
  const result: TensorMap[] = rowsPerRequest.map(() => ({}));
  for (const [name, tensor] of Object.entries(outputs)) {
    const rest = tensor.dims.slice(1);
    const perRow = elementCount(rest);
    let row = 0;
    rowsPerRequest.forEach((rows, i) => {
      const start = row * perRow;
      const end = start + rows * perRow;
      const data = Array.isArray(tensor.data) ? tensor.data.slice(start, end) : (tensor.data as NumericArray).subarray(start, end);
      result[i][name] = { datatype: tensor.datatype, dims: [rows, ...rest], data } as HostTensor;
      row += rows;
    });
  }
  return result;
}

/** Requests whose free non-batch dimensions differ cannot be stacked; the key keeps them apart. */
export function groupKeyOf(feeds: TensorMap): string {
  let key = '';
  for (const name in feeds) {
    const dims = feeds[name].dims;
    if (dims.length > 2 || key.length > 0) key += `${name}:${dims.slice(1).join('x')};`;
    else if (dims.length === 2) key += `${dims[1]};`;
  }
  return key;
}
