import { HostTensor, NumericArray } from '@app/models';

/**
 * A tensor's bytes as the binary tensor data extension lays them out: little-endian, row-major, no
 * padding; BOOL one byte per element; BYTES elements each a 4-byte little-endian length, then the UTF-8
 * bytes. A numeric tensor is its typed array's own memory, not a copy: typed arrays hold the host's byte
 * order, and every platform onnxruntime-node ships for (x64, arm64) is little-endian.
 */
export function binaryTensorBytes(tensor: HostTensor): Buffer {
  if (Array.isArray(tensor.data)) return stringBytes(tensor.data as string[]);
  const data = tensor.data as NumericArray | BigInt64Array;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function stringBytes(strings: string[]): Buffer {
  let size = 0;
  for (const s of strings) size += 4 + Buffer.byteLength(s, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const s of strings) {
    const written = out.write(s, at + 4, 'utf8');
    out.writeUInt32LE(written, at);
    at += 4 + written;
  }
  return out;
}
