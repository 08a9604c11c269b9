import { encodeV2Response, labelTensor, v2OutputSpecs } from './v2-response';

describe('encodeV2Response', () => {
  const tensors = {
    probabilities: { datatype: 'FP32' as const, dims: [2, 3], data: Float32Array.from([0.98, 0.02, 0, 0.1, 0.2, 0.7]) },
    ids: { datatype: 'INT64' as const, dims: [2], data: BigInt64Array.from([7n, -1n]) },
    label: labelTensor(['setosa', 'virginica']),
  };

  it('answers the asked outputs in order, flat, with float32 printed shortest and INT64 as numbers', () => {
    const response = encodeV2Response({ model: 'iris', version: 3, id: 'a', tensors, outputs: ['label', 'probabilities', 'ids'] });
    expect(response).toEqual({
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
    expect(encodeV2Response({ model: 'iris', version: 1, tensors, outputs: ['label'] })).not.toHaveProperty('id');
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
