import { TensorMap } from '@app/models';
import { concatFeeds, groupKeyOf, padAndConcatFeeds, splitOutputs } from './tensor-batching';

const f32 = (dims: number[], values: number[]): TensorMap['x'] => ({ datatype: 'FP32', dims, data: Float32Array.from(values) });

describe('tensor batching', () => {
  it('stacks requests along the batch dimension and splits outputs back by rows', () => {
    const batch = concatFeeds([{ x: f32([1, 2], [1, 2]) }, { x: f32([2, 2], [3, 4, 5, 6]) }]);
    expect(batch.x.dims).toEqual([3, 2]);
    expect(Array.from(batch.x.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const [a, b] = splitOutputs({ y: f32([3, 1], [10, 20, 30]) }, [1, 2]);
    expect(Array.from(a.y.data as Float32Array)).toEqual([10]);
    expect(b.y.dims).toEqual([2, 1]);
    expect(Array.from(b.y.data as Float32Array)).toEqual([20, 30]);
  });

  it('stacks string tensors', () => {
    const batch = concatFeeds([{ s: { datatype: 'BYTES', dims: [1], data: ['a'] } }, { s: { datatype: 'BYTES', dims: [2], data: ['b', 'c'] } }]);
    expect(batch.s.data).toEqual(['a', 'b', 'c']);
  });

  it('keys requests apart by their free dimensions', () => {
    expect(groupKeyOf({ x: f32([1, 1, 3], [1, 2, 3]) })).not.toBe(groupKeyOf({ x: f32([1, 1, 5], [1, 2, 3, 4, 5]) }));
    expect(groupKeyOf({ x: f32([1, 4], [1, 2, 3, 4]) })).toBe(groupKeyOf({ x: f32([7, 4], new Array(28).fill(0)) }));
  });

  it('pads shorter requests with zeros to the longest along each free axis', () => {
    const batch = padAndConcatFeeds([{ x: f32([1, 1, 2], [1, 2]) }, { x: f32([2, 1, 3], [3, 4, 5, 6, 7, 8]) }]);
    expect(batch.x.dims).toEqual([3, 1, 3]);
    expect(Array.from(batch.x.data as Float32Array)).toEqual([1, 2, 0, 3, 4, 5, 6, 7, 8]);
  });

  it('pads inner axes at every position, not only at the end of the buffer', () => {
    const batch = padAndConcatFeeds([{ x: f32([1, 2, 1], [1, 2]) }, { x: f32([1, 3, 2], [3, 4, 5, 6, 7, 8]) }]);
    expect(batch.x.dims).toEqual([2, 3, 2]);
    expect(Array.from(batch.x.data as Float32Array)).toEqual([1, 0, 2, 0, 0, 0, 3, 4, 5, 6, 7, 8]);
  });
});
