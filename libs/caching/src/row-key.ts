import { createHash, Hash } from 'crypto';
import { elementCount, HostTensor, NumericArray, TensorMap } from '@app/models';
import type { ModelVersion } from '@app/models';

/**
 * Cache keys of decoded inputs. A key is `<model>@<version>:<content hash>:` plus a SHA-256 of the
 * canonical bytes of one row of every input: inputs in name order, each as name, datatype, row shape and
 * then the elements as they sit in the typed array (strings as length-prefixed UTF-8). Hashing what the decoder produced rather
 * than the JSON text is what makes the key canonical: `5`, `5.0` and `5e0` are the same float, an object's
 * key order is gone, and the row and columnar forms of a body decode to the same tensors. The version in
 * the prefix means a new version never answers from an old one's entries; the content hash (of model.onnx
 * and the transforms before the cache) does the same for two files served under one version number.
 */
export function rowKeys(prefix: string, inputs: TensorMap, rows: number): string[] {
  const names = Object.keys(inputs).sort();
  const keys = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const hash = createHash('sha256');
    for (const name of names) {
      const tensor = inputs[name];
      const rowShape = tensor.dims.slice(1);
      const perRow = elementCount(rowShape);
      hashTensorPart(hash, name, tensor, rowShape, r * perRow, perRow);
    }
    keys[r] = prefix + hash.digest('base64url');
  }
  return keys;
}

/** One key for a whole request: for models without a batch dimension, where a request is one unit. */
export function wholeKey(prefix: string, inputs: TensorMap): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(inputs).sort()) {
    const tensor = inputs[name];
    hashTensorPart(hash, name, tensor, tensor.dims, 0, elementCount(tensor.dims));
  }
  return prefix + hash.digest('base64url');
}

/** The prefix of the keys one loaded version reads and writes. */
export function entryPrefix(servable: Pick<ModelVersion, 'name' | 'version' | 'contentHash'>): string {
  return `${versionPrefix(servable.name, servable.version)}${servable.contentHash}:`;
}

/** The prefix of every key of one model version, whatever its file; `<model>@` alone matches all its versions. */
export function versionPrefix(model: string, version: number): string {
  return `${model}@${version}:`;
}

function hashTensorPart(hash: Hash, name: string, tensor: HostTensor, shape: readonly number[], start: number, count: number): void {
  // Lengths and separators make the byte stream unambiguous (no two different inputs share it).
  hash.update(`${name.length}:${name}|${tensor.datatype}|${shape.join('x')}|`);
  if (Array.isArray(tensor.data)) {
    const strings = tensor.data as string[];
    for (let i = start; i < start + count; i++) {
      const s = strings[i];
      hash.update(`${Buffer.byteLength(s, 'utf8')}:`);
      hash.update(s, 'utf8');
    }
    return;
  }
  const data = tensor.data as NumericArray | BigInt64Array;
  const width = data.BYTES_PER_ELEMENT;
  hash.update(new Uint8Array(data.buffer, data.byteOffset + start * width, count * width));
}
