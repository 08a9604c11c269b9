import type { DeserializedData } from 'keyv';
import { allocate, Datatype, DATATYPES, elementCount, NumericArray } from '@app/models';
import { CachedOutputs, CachedTensor } from './tensor-rows';

/**
 * How a cached row is written to Redis: one short JSON document per key holding each output's name,
 * datatype, shape and its elements as base64 of the typed array's bytes (strings as a list), never as a
 * JSON list of floats, which would be several times larger and lossy to print and parse. It is Keyv's
 * serializer for the Redis tier: `{ e: expires, o: [[name, datatype, dims, payload], ...] }`.
 * Byte order is the host's; every platform Node supports in practice is little-endian.
 */
type EncodedTensor = [name: string, datatype: Datatype, dims: number[], payload: string | string[]];
interface EncodedEntry {
  e?: number | null;
  o: EncodedTensor[];
}

export function serializeEntry(data: DeserializedData<CachedOutputs>): string {
  const outputs = data.value ?? {};
  const o = Object.entries(outputs).map(([name, t]): EncodedTensor => [name, t.datatype, t.dims, encodeData(t)]);
  return JSON.stringify({ e: data.expires ?? null, o } satisfies EncodedEntry);
}

/** Undefined (a miss) for anything that is not an entry this codec wrote. */
export function deserializeEntry(text: string): DeserializedData<CachedOutputs> | undefined {
  try {
    const parsed = JSON.parse(text) as EncodedEntry;
    if (!parsed || !Array.isArray(parsed.o) || parsed.o.length === 0) return undefined;
    const value: CachedOutputs = {};
    for (const item of parsed.o) {
      const [name, datatype, dims, payload] = item;
      if (typeof name !== 'string' || !DATATYPES.includes(datatype) || !Array.isArray(dims)) return undefined;
      const tensor = decodeData(datatype, dims, payload);
      if (!tensor) return undefined;
      value[name] = tensor;
    }
    return { value, expires: typeof parsed.e === 'number' ? parsed.e : undefined };
  } catch {
    return undefined;
  }
}

function encodeData(t: CachedTensor): string | string[] {
  if (Array.isArray(t.data)) return t.data as string[];
  const data = t.data as NumericArray | BigInt64Array;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

function decodeData(datatype: Datatype, dims: number[], payload: unknown): CachedTensor | undefined {
  const count = elementCount(dims);
  if (datatype === 'BYTES') {
    if (!Array.isArray(payload) || payload.length !== count || payload.some((s) => typeof s !== 'string')) return undefined;
    return { datatype, dims, data: payload as string[] };
  }
  if (typeof payload !== 'string') return undefined;
  const bytes = Buffer.from(payload, 'base64');
  const data = allocate(datatype, count) as NumericArray | BigInt64Array;
  if (bytes.length !== data.byteLength) return undefined;
  // Copied into the typed array's own buffer: Buffer.from may hand out a slice of a shared, unaligned pool.
  new Uint8Array(data.buffer).set(bytes);
  return { datatype, dims, data };
}
