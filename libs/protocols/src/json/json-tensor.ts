import { elementCount, float32ToNumber, HostTensor } from '@app/models';

function elementAt(tensor: HostTensor, index: number): unknown {
  const v = tensor.data[index];
  switch (tensor.datatype) {
    case 'FP32':
      return float32ToNumber(v as number);
    case 'BOOL':
      return v !== 0;
    case 'INT64':
      return Number(v as bigint);
    default:
      return v;
  }
}

/** Elements [offset, offset + prod(shape)) of a tensor as a nested JSON list of that shape. */
function nest(tensor: HostTensor, offset: number, shape: readonly number[]): unknown {
  if (shape.length === 0) return elementAt(tensor, offset);
  const [n, ...rest] = shape;
  const stride = elementCount(rest);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = nest(tensor, offset + i * stride, rest);
  return out;
}

/** One row (index along the first dimension) of a tensor as nested JSON. */
export function rowToJson(tensor: HostTensor, row: number): unknown {
  const rest = tensor.dims.slice(1);
  return nest(tensor, row * elementCount(rest), rest);
}

/** A whole tensor as nested JSON. */
export function tensorToJson(tensor: HostTensor): unknown {
  return nest(tensor, 0, tensor.dims);
}

/** A tensor's data as a flat JSON list (the KServe V2 form). */
export function flatToJson(tensor: HostTensor): unknown[] {
  const out = new Array(tensor.data.length);
  for (let i = 0; i < out.length; i++) out[i] = elementAt(tensor, i);
  return out;
}
