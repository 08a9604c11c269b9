import { InvalidInputError } from '@app/errors';
import { TensorSpec } from '@app/models';
import { decodeExamples } from './tfserving-classify';

const IRIS: TensorSpec[] = [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }];
const MIXED: TensorSpec[] = [
  { name: 'query', datatype: 'BYTES', shape: [-1] },
  { name: 'ids', datatype: 'INT64', shape: [-1, -1] },
];

function errorOf(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('decodeExamples (TF Serving :classify / :regress bodies)', () => {
  it('maps each feature onto the input of its name, one row per example', () => {
    const { tensors, rows } = decodeExamples({ examples: [{ features: [1, 2, 3, 4] }, { features: [5, 6, 7, 8] }] }, IRIS, 'classify');
    expect(rows).toBe(2);
    expect(tensors.features.dims).toEqual([2, 4]);
    expect(Array.from(tensors.features.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('takes a scalar input as a value or a one-value list, b64 bytes, and a free dimension from the list', () => {
    const { tensors } = decodeExamples(
      { context: { ids: [7, 8, 9] }, examples: [{ query: 'pizza' }, { query: [{ b64: Buffer.from('tacos').toString('base64') }] }] },
      MIXED,
      'regress',
    );
    expect(tensors.query.data).toEqual(['pizza', 'tacos']);
    expect(tensors.ids.dims).toEqual([2, 3]);
    expect(Array.from(tensors.ids.data as BigInt64Array)).toEqual([7n, 8n, 9n, 7n, 8n, 9n]);
  });

  it('takes a feature from the example over the same feature in context', () => {
    const { tensors } = decodeExamples({ context: { query: 'shared', ids: [1] }, examples: [{}, { query: 'own' }] }, MIXED, 'classify');
    expect(tensors.query.data).toEqual(['shared', 'own']);
  });

  it('names the field of every problem', () => {
    expect(errorOf(() => decodeExamples({ examples: [{ features: [1, 2, 3, 4] }, { features: [1, 2] }] }, IRIS, 'classify')).field).toBe('examples[1].features');
    expect(errorOf(() => decodeExamples({ examples: [{ features: [1, null, 3, 4] }] }, IRIS, 'classify')).field).toBe('examples[0].features[1]');
    expect(errorOf(() => decodeExamples({ examples: [{ feature: [1, 2, 3, 4] }] }, IRIS, 'classify')).field).toBe('examples[0].feature');
    expect(errorOf(() => decodeExamples({ context: { other: 1 }, examples: [{ features: [1, 2, 3, 4] }] }, IRIS, 'classify')).field).toBe('context.other');
    expect(errorOf(() => decodeExamples({ examples: [{}] }, IRIS, 'classify')).field).toBe('examples[0].features');
    expect(errorOf(() => decodeExamples({ examples: [{ query: 'a', ids: [1] }, { query: 'b', ids: [1, 2] }] }, MIXED, 'classify')).field).toBe('examples[1].ids');
    expect(errorOf(() => decodeExamples({ instances: [] }, IRIS, 'classify')).field).toBe('instances');
    expect(errorOf(() => decodeExamples({}, IRIS, 'regress')).message).toMatch(/:regress needs "examples"/);
  });

  it('refuses an input whose example shape a flat feature list cannot give', () => {
    const image: TensorSpec[] = [{ name: 'image', datatype: 'FP32', shape: [-1, -1, -1] }];
    expect(errorOf(() => decodeExamples({ examples: [{ image: [1, 2, 3, 4] }] }, image, 'classify')).message).toMatch(/a flat feature list cannot give; use :predict/);
  });
});
