import { InvalidInputError } from '@app/errors';
import { Datatype, TensorData } from '@app/models';

const INT_RANGES: Partial<Record<Datatype, [number, number]>> = {
  UINT8: [0, 255],
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * Writes one JSON element into a typed array, checking it against the datatype. Kept branch-light: it runs
 * once per number of every request (784 times per row for an MNIST-sized input).
 */
export function writeElement(
  target: TensorData,
  index: number,
  value: unknown,
  datatype: Datatype,
  where: () => string,
): void {
  switch (datatype) {
    case 'FP32':
    case 'FP64':
      if (typeof value === 'number' && Number.isFinite(value)) {
        (target as Float32Array)[index] = value;
        return;
      }
      throw bad(value, 'a finite number', datatype, where);
    case 'BOOL':
      if (typeof value === 'boolean') {
        (target as Uint8Array)[index] = value ? 1 : 0;
        return;
      }
      throw bad(value, 'true or false', datatype, where);
    case 'BYTES':
      if (typeof value === 'string') {
        (target as string[])[index] = value;
        return;
      }
      if (value !== null && typeof value === 'object' && typeof (value as { b64?: unknown }).b64 === 'string') {
        (target as string[])[index] = Buffer.from((value as { b64: string }).b64, 'base64').toString('utf8');
        return;
      }
      throw bad(value, 'a string (or {"b64": ...})', datatype, where);
    case 'INT64':
    case 'INT32':
    case 'INT16':
    case 'INT8':
    case 'UINT8': {
      const [min, max] = INT_RANGES[datatype]!;
      if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
        if (datatype === 'INT64') (target as BigInt64Array)[index] = BigInt(value);
        else (target as Int32Array)[index] = value;
        return;
      }
      throw bad(value, `an integer from ${min} to ${max}`, datatype, where);
    }
  }
}

function bad(value: unknown, expected: string, datatype: Datatype, where: () => string): InvalidInputError {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : describe(value);
  const field = where();
  return new InvalidInputError(`${field}: expected ${expected} (${datatype}), got ${shown}`, field);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}
