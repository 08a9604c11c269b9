import { encodeV2Response, labelTensor, v2OutputSpecs } from './v2-response';

describe('encodeV2Response', () => {
  const tensors = {
    probabilities: { datatype: 'FP32' as const, dims: [2, 3], data: Float32Array.from([0.98, 0.02, 0, 0.1, 0.2, 0.7]) },
    ids: { datatype: 'INT64' as const, dims: [2], data: BigInt64Array.from([7n, -1n]) },
    label: labelTensor(['setosa', 'virginica']),
  };

  it('answers the asked outputs in order, flat, with float32 printed shortest and INT64 as numbers', () => {
    const response = encodeV2Response({ model: 'iris', version: 3, id: 'a', tensors, outputs: ['label', 'probabilities', 'ids'] });
    expect(response.binary).toEqual([]);
    expect(response.json).toEqual({
      model_name: 'iris',
      model_version: '3',
      id: 'a',
      outputs: [
        { name: 'label', datatype: 'BYTES', shape: [2], data: ['setosa', 'virginica'] },
        { name: 'probabilities', datatype: 'FP32', shape: [2, 3], data: [0.98, 0.02, 0, 0.1, 0.2, 0.7] },
        { name: 'ids', datatype: 'INT64', shape: [2], data: [7, -1] },
      ],
    });
  });

  it('leaves out the id when the request had none', () => {
    expect(encodeV2Response({ model: 'iris', version: 1, tensors, outputs: ['label'] }).json).not.toHaveProperty('id');
  });

  it('answers binary outputs as bytes after the JSON, little-endian, BYTES length-prefixed, with their sizes', () => {
    const { json, binary } = encodeV2Response({ model: 'iris', version: 1, tensors, outputs: ['label', 'probabilities', 'ids'], binaryOutputs: ['label', 'ids'] });
    expect(json.outputs).toEqual([
      { name: 'label', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 4 + 6 + 4 + 9 } },
      { name: 'probabilities', datatype: 'FP32', shape: [2, 3], data: [0.98, 0.02, 0, 0.1, 0.2, 0.7] },
      { name: 'ids', datatype: 'INT64', shape: [2], parameters: { binary_data_size: 16 } },
    ]);
    expect(binary).toHaveLength(2);
    const [labels, ids] = binary;
    expect(labels.readUInt32LE(0)).toBe(6);
    expect(labels.toString('utf8', 4, 10)).toBe('setosa');
    expect(labels.readUInt32LE(10)).toBe(9);
    expect(labels.toString('utf8', 14)).toBe('virginica');
    expect([ids.readBigInt64LE(0), ids.readBigInt64LE(8)]).toEqual([7n, -1n]);
  });

  it('gives a FP32 tensor\'s exact float bytes, of a view into a larger buffer too', () => {
    const backing = Float32Array.from([9, 0.1, 0.2, 9]);
    const view = new Float32Array(backing.buffer, 4, 2);
    const { binary } = encodeV2Response({ model: 'm', version: 1, tensors: { y: { datatype: 'FP32', dims: [1, 2], data: view } }, outputs: ['y'], binaryOutputs: ['y'] });
    expect(binary[0].length).toBe(8);
    expect([binary[0].readFloatLE(0), binary[0].readFloatLE(4)]).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });
});

describe('v2OutputSpecs', () => {
  const outputs = [{ name: 'probabilities', datatype: 'FP32' as const, shape: [-1, 3] }];

  it('adds a BYTES "label" output of shape [-1] for models with labels only', () => {
    expect(v2OutputSpecs(outputs, true)).toEqual([...outputs, { name: 'label', datatype: 'BYTES', shape: [-1] }]);
    expect(v2OutputSpecs(outputs, false)).toEqual(outputs);
  });

  it('keeps a graph output already called "label" instead of adding another', () => {
    const own = [{ name: 'label', datatype: 'INT64' as const, shape: [-1] }];
    expect(v2OutputSpecs(own, true)).toEqual(own);
  });
});
