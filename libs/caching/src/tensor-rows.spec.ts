import { TensorMap } from '@app/models';
import { copyOutputs, copyRow, gatherRows, stackRows } from './tensor-rows';

const inputs: TensorMap = {
  x: { datatype: 'FP32', dims: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
  s: { datatype: 'BYTES', dims: [3], data: ['a', 'b', 'c'] },
};

describe('row helpers', () => {
  it('gathers rows in the order asked, copying', () => {
    const part = gatherRows(inputs, [2, 0]);
    expect(part.x.dims).toEqual([2, 2]);
    expect(Array.from(part.x.data as Float32Array)).toEqual([5, 6, 1, 2]);
    expect(part.s.data).toEqual(['c', 'a']);
    (part.x.data as Float32Array)[0] = 99;
    expect((inputs.x.data as Float32Array)[4]).toBe(5);
  });

  it('copies one row out of a batch without keeping the batch buffer', () => {
    const row = copyRow(inputs, 1);
    expect(row.x).toEqual({ datatype: 'FP32', dims: [2], data: Float32Array.from([3, 4]) });
    expect((row.x.data as Float32Array).buffer.byteLength).toBe(8);
    expect(row.s.data).toEqual(['b']);
  });

  it('stacks rows back into tensors, and refuses rows whose shapes disagree', () => {
    const rows = [copyRow(inputs, 2), copyRow(inputs, 0)];
    const stacked = stackRows(rows)!;
    expect(stacked.x.dims).toEqual([2, 2]);
    expect(Array.from(stacked.x.data as Float32Array)).toEqual([5, 6, 1, 2]);
    expect(stacked.s.data).toEqual(['c', 'a']);
    const odd = { ...rows[1], x: { datatype: 'FP32' as const, dims: [3], data: Float32Array.from([1, 2, 3]) } };
    expect(stackRows([rows[0], odd])).toBeUndefined();
  });

  it('copies a whole cached answer', () => {
    const copy = copyOutputs({ x: { datatype: 'FP32', dims: [1, 2], data: Float32Array.from([1, 2]) } });
    expect(copy.x.dims).toEqual([1, 2]);
  });
});
