import { deserializeEntry, serializeEntry } from './row-codec';
import { CachedOutputs } from './tensor-rows';

describe('the Redis form of a cached row', () => {
  const row: CachedOutputs = {
    probabilities: { datatype: 'FP32', dims: [3], data: Float32Array.from([0.1, 0.2, 0.7]) },
    ids: { datatype: 'INT64', dims: [2], data: BigInt64Array.from([1n, -2n]) },
    label: { datatype: 'BYTES', dims: [1], data: ['virginica ✓'] },
  };

  it('round-trips every datatype exactly, with the expiry time', () => {
    const text = serializeEntry({ value: row, expires: 1234 });
    const back = deserializeEntry(text)!;
    expect(back.expires).toBe(1234);
    expect(back.value).toEqual(row);
    expect(back.value!.probabilities.data).toBeInstanceOf(Float32Array);
    expect(back.value!.ids.data).toBeInstanceOf(BigInt64Array);
  });

  it('stores numbers as base64 of their bytes, not as a JSON list', () => {
    const text = serializeEntry({ value: { p: { datatype: 'FP32', dims: [3], data: Float32Array.from([0.1, 0.2, 0.7]) } } });
    expect(text).not.toContain('0.1');
    expect(JSON.parse(text).o[0][3]).toBe(Buffer.from(Float32Array.from([0.1, 0.2, 0.7]).buffer).toString('base64'));
  });

  it('encodes a view into a larger buffer by its own bytes only', () => {
    const big = Float32Array.from([9, 9, 1, 2, 3, 9]);
    const text = serializeEntry({ value: { p: { datatype: 'FP32', dims: [3], data: big.subarray(2, 5) } } });
    expect(Array.from(deserializeEntry(text)!.value!.p.data as Float32Array)).toEqual([1, 2, 3]);
  });

  it.each([
    ['not JSON', 'garbage'],
    ['no outputs', '{"e":null,"o":[]}'],
    ['a wrong datatype', '{"o":[["p","FP128",[1],"AAAAAA=="]]}'],
    ['a byte count that does not fit the shape', '{"o":[["p","FP32",[3],"AAAAAA=="]]}'],
    ['strings that do not fit the shape', '{"o":[["s","BYTES",[2],["a"]]]}'],
  ])('reads %s as a miss', (_what, text) => {
    expect(deserializeEntry(text)).toBeUndefined();
  });
});
