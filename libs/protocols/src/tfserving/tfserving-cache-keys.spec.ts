import { entryPrefix, rowKeys, versionPrefix, wholeKey } from '@app/caching';
import { TensorSpec } from '@app/models';
import { decodeTfServingRequest } from './tfserving-request';

const IRIS: TensorSpec[] = [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }];
const TWO_INPUTS: TensorSpec[] = [
  { name: 'text', datatype: 'BYTES', shape: [-1] },
  { name: 'ids', datatype: 'INT64', shape: [-1, 2] },
];
const PREFIX = versionPrefix('iris', 1);

/** Keys of a raw JSON body, decoded exactly as :predict decodes it. */
function keysOf(json: string, inputs = IRIS): string[] {
  const decoded = decodeTfServingRequest(JSON.parse(json), inputs);
  return rowKeys(PREFIX, decoded.tensors, decoded.rows);
}

describe('cache keys of decoded :predict bodies', () => {
  it('start with the model name and version', () => {
    const [key] = keysOf('{"instances": [[5.1, 3.5, 1.4, 0.2]]}');
    expect(key.startsWith('iris@1:')).toBe(true);
    const decoded = decodeTfServingRequest({ instances: [[5.1, 3.5, 1.4, 0.2]] }, IRIS);
    expect(rowKeys(versionPrefix('iris', 2), decoded.tensors, 1)[0]).not.toBe(key);
  });

  it('of one version differ between two files served under its number, and both fall under the version prefix', () => {
    const decoded = decodeTfServingRequest({ instances: [[5.1, 3.5, 1.4, 0.2]] }, IRIS);
    const [a] = rowKeys(entryPrefix({ name: 'iris', version: 1, contentHash: 'fileA' }), decoded.tensors, 1);
    const [b] = rowKeys(entryPrefix({ name: 'iris', version: 1, contentHash: 'fileB' }), decoded.tensors, 1);
    expect(a).not.toBe(b);
    expect([a.startsWith(versionPrefix('iris', 1)), b.startsWith(versionPrefix('iris', 1))]).toEqual([true, true]);
  });

  it('are the same for the row, named-row and columnar forms of one input', () => {
    const forms = [
      '{"instances": [[5.0, 3.5, 1.4, 0.2]]}',
      '{"instances": [{"features": [5.0, 3.5, 1.4, 0.2]}]}',
      '{"inputs": [[5.0, 3.5, 1.4, 0.2]]}',
      '{"inputs": {"features": [[5.0, 3.5, 1.4, 0.2]]}}',
    ];
    const keys = forms.map((f) => keysOf(f)[0]);
    expect(new Set(keys).size).toBe(1);
  });

  it('do not depend on how a number is written (5 / 5.0 / 5e0 / 5.00)', () => {
    const forms = ['5', '5.0', '5e0', '5.00', '50e-1'].map((five) => `{"instances": [[${five}, 3.5, 1.4, 0.2]]}`);
    expect(new Set(forms.map((f) => keysOf(f)[0])).size).toBe(1);
  });

  it('do not depend on the order of keys in the body or the inputs', () => {
    const a = keysOf('{"instances": [{"text": "hi", "ids": [1, 2]}]}', TWO_INPUTS);
    const b = keysOf('{"instances": [{"ids": [1, 2], "text": "hi"}]}', TWO_INPUTS);
    const c = keysOf('{"inputs": {"ids": [[1, 2]], "text": ["hi"]}}', TWO_INPUTS);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('give a row the same key alone and at any place in a batch', () => {
    const alone = keysOf('{"instances": [[6.7, 3.0, 5.2, 2.3]]}')[0];
    const batch = keysOf('{"instances": [[5.1, 3.5, 1.4, 0.2], [4.9, 3.0, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}');
    expect(batch[2]).toBe(alone);
    expect(new Set(batch).size).toBe(3);
  });

  it('tell different inputs apart, including values that only differ beyond what the text shows', () => {
    const base = keysOf('{"instances": [[5.1, 3.5, 1.4, 0.2]]}')[0];
    expect(keysOf('{"instances": [[5.1, 3.5, 1.4, 0.3]]}')[0]).not.toBe(base);
    expect(keysOf('{"instances": [[3.5, 5.1, 1.4, 0.2]]}')[0]).not.toBe(base);
    // Strings are length-prefixed: ["ab","c"] and ["a","bc"] must not collide.
    const strings: TensorSpec[] = [{ name: 's', datatype: 'BYTES', shape: [-1, 2] }];
    expect(keysOf('{"instances": [["ab", "c"]]}', strings)[0]).not.toBe(keysOf('{"instances": [["a", "bc"]]}', strings)[0]);
  });

  it('take the shape of a row into account', () => {
    const free: TensorSpec[] = [{ name: 'x', datatype: 'FP32', shape: [-1, -1] }];
    expect(keysOf('{"instances": [[1, 2, 3, 4]]}', free)[0]).not.toBe(keysOf('{"instances": [[[1, 2], [3, 4]]]}', [{ name: 'x', datatype: 'FP32', shape: [-1, -1, -1] }])[0]);
  });

  it('hash a whole request into one key for models without a batch dimension', () => {
    const decoded = decodeTfServingRequest({ instances: [[1, 2, 3, 4], [5, 6, 7, 8]] }, IRIS);
    const whole = wholeKey(PREFIX, decoded.tensors);
    expect(whole.startsWith(PREFIX)).toBe(true);
    expect(rowKeys(PREFIX, decoded.tensors, 2)).not.toContain(whole);
    expect(wholeKey(PREFIX, decodeTfServingRequest({ inputs: [[1, 2, 3, 4], [5, 6, 7, 8]] }, IRIS).tensors)).toBe(whole);
  });
});
