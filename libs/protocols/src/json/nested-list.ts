import { InvalidInputError } from '@app/errors';
import { Datatype, TensorData } from '@app/models';
import { writeElement } from './element-writer';

/**
 * Measures the shape of a nested JSON list by following first elements; `fillNested` then checks every
 * branch against it, so ragged lists are caught there.
 */
export function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let node = value;
  while (Array.isArray(node)) {
    shape.push(node.length);
    if (node.length === 0) break;
    node = node[0];
  }
  return shape;
}

/** Writes a nested list of the given shape into `target` at `offset`, row-major. */
export function fillNested(
  target: TensorData,
  offset: number,
  value: unknown,
  shape: readonly number[],
  datatype: Datatype,
  path: string,
): void {
  fill(target, offset, value, shape, 0, datatype, path);
}

function fill(
  target: TensorData,
  offset: number,
  value: unknown,
  shape: readonly number[],
  depth: number,
  datatype: Datatype,
  path: string,
): number {
  if (depth === shape.length) {
    writeElement(target, offset, value, datatype, () => path);
    return offset + 1;
  }
  const expected = shape[depth];
  if (!Array.isArray(value) || value.length !== expected) {
    const got = Array.isArray(value) ? `${value.length} values` : 'a single value';
    throw new InvalidInputError(`${path}: expected a list of ${expected} values, got ${got}`, path);
  }
  if (depth === shape.length - 1 && (datatype === 'FP32' || datatype === 'FP64')) {
    // Fast path for the innermost row of floats: the common case by far.
    const out = target as Float32Array;
    for (let i = 0; i < expected; i++) {
      const v = value[i];
      if (typeof v === 'number' && Number.isFinite(v)) out[offset + i] = v;
      else writeElement(target, offset + i, v, datatype, () => `${path}[${i}]`);
    }
    return offset + expected;
  }
  let at = offset;
  for (let i = 0; i < expected; i++) at = fill(target, at, value[i], shape, depth + 1, datatype, `${path}[${i}]`);
  return at;
}
