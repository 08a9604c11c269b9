import { InvalidInputError } from '@app/errors';
import { TensorSpec } from '@app/models';
import { decodeV2Request, splitV2BinaryBody, V2Target } from './v2-request';

const IRIS: V2Target = { inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }], outputs: ['probabilities', 'label'] };
const TEXT: V2Target = { inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }], outputs: ['probabilities', 'label'] };
const MIXED_INPUTS: TensorSpec[] = [
  { name: 'ids', datatype: 'INT64', shape: [-1, 2] },
  { name: 'mask', datatype: 'BOOL', shape: [-1, 2] },
];
const MIXED: V2Target = { inputs: MIXED_INPUTS, outputs: ['scores'] };

const irisInput = (extra: Record<string, unknown> = {}) => ({
  name: 'features',
  shape: [2, 4],
  datatype: 'FP32',
  data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3],
  ...extra,
});

/** The InvalidInputError a call throws, so a test can check both its message and its field. */
function errorOf(call: () => unknown): InvalidInputError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

describe('decodeV2Request', () => {
  it('decodes flat row-major data into a tensor of the request shape, rows from the first dimension', () => {
    const decoded = decodeV2Request({ inputs: [irisInput()] }, IRIS);
    expect(decoded.rows).toBe(2);
    expect(decoded.tensors.features.dims).toEqual([2, 4]);
    expect(decoded.tensors.features.data).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.tensors.features.data as Float32Array)).toEqual(Array.from(Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3])));
    expect(decoded.outputs).toBeUndefined();
    expect(decoded.id).toBeUndefined();
  });

  it('decodes nested data in the tensor shape to the same tensor as flat data', () => {
    const flat = decodeV2Request({ inputs: [irisInput()] }, IRIS);
    const nested = decodeV2Request({ inputs: [irisInput({ data: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]] })] }, IRIS);
    expect(nested.tensors.features).toEqual(flat.tensors.features);
  });

  it('refuses flat data whose length does not match the shape, naming both', () => {
    const error = errorOf(() => decodeV2Request({ inputs: [irisInput({ data: [1, 2, 3, 4, 5, 6, 7] })] }, IRIS));
    expect(error.message).toBe('inputs[0].data has 7 values but shape [2,4] needs 8');
    expect(error.field).toBe('inputs[0].data');
  });

  it('refuses nested data that is ragged or does not match the shape, naming the offending list', () => {
    const ragged = errorOf(() => decodeV2Request({ inputs: [irisInput({ data: [[1, 2, 3, 4], [1, 2, 3]] })] }, IRIS));
    expect(ragged.message).toMatch(/^inputs\[0\]\.data\[1\]: expected a list of 4 values/);
    const rows = errorOf(() => decodeV2Request({ inputs: [irisInput({ data: [[1, 2, 3, 4]] })] }, IRIS));
    expect(rows.message).toMatch(/^inputs\[0\]\.data: expected a list of 2 values for shape \[2,4\], got 1 values/);
  });

  it('does not size memory from a declared shape that the data cannot fill', () => {
    // 100000 x 100000 floats would be 40 GB; only the first row is really there.
    const n = 100_000;
    const data = Array.from({ length: n }, (_, i) => (i === 0 ? new Array(n).fill(0) : []));
    const free: V2Target = { ...IRIS, inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, -1] }] };
    expect(() => decodeV2Request({ inputs: [{ name: 'features', shape: [n, n], datatype: 'FP32', data }] }, free)).toThrow(
      'inputs[0].data[1]: expected a list of 100000 values for shape [100000,100000], got 0 values',
    );
  });

  it('refuses a shape that does not fit the model signature, showing the declared shape', () => {
    const wrongWidth = errorOf(() => decodeV2Request({ inputs: [irisInput({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] })] }, IRIS));
    expect(wrongWidth.message).toBe("inputs[0].shape: input 'features' has shape [-1,4] (-1 is free, the first dimension is the batch), got [2,3]");
    expect(wrongWidth.field).toBe('inputs[0].shape');
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput({ shape: [8], data: [1, 2, 3, 4, 5, 6, 7, 8] })] }, IRIS)).message).toMatch(/got \[8\]/);
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput({ shape: [2, -1] })] }, IRIS)).message).toMatch(/must be a list of non-negative integers/);
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput({ shape: [0, 4], data: [] })] }, IRIS)).message).toMatch(/holds no elements/);
  });

  it('refuses a datatype other than the declared one instead of coercing', () => {
    const error = errorOf(() => decodeV2Request({ inputs: [irisInput({ datatype: 'FP64' })] }, IRIS));
    expect(error.message).toBe("inputs[0].datatype: input 'features' is FP32, got FP64");
    expect(error.field).toBe('inputs[0].datatype');
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput({ datatype: 'FP16' })] }, IRIS)).message).toMatch(/datatype 'FP16' is not served/);
  });

  it('refuses elements that do not fit the datatype, naming the element', () => {
    const data = [5.1, 3.5, '1.4', 0.2, 6.7, 3.0, 5.2, 2.3];
    const error = errorOf(() => decodeV2Request({ inputs: [irisInput({ data })] }, IRIS));
    expect(error.message).toBe('inputs[0].data[2]: expected a finite number (FP32), got "1.4"');
    expect(error.field).toBe('inputs[0].data[2]');
  });

  it('decodes BYTES from strings and {"b64": ...} elements', () => {
    const decoded = decodeV2Request(
      { inputs: [{ name: 'text', shape: [3], datatype: 'BYTES', data: ['hello', { b64: Buffer.from('wörld').toString('base64') }, ''] }] },
      TEXT,
    );
    expect(decoded.tensors.text).toEqual({ datatype: 'BYTES', dims: [3], data: ['hello', 'wörld', ''] });
    expect(decoded.rows).toBe(3);
    expect(errorOf(() => decodeV2Request({ inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: [42] }] }, TEXT)).message).toBe(
      'inputs[0].data[0]: expected a string (or {"b64": ...}) (BYTES), got 42',
    );
  });

  it('decodes INT64 into a BigInt64Array and BOOL from JSON booleans, with several inputs', () => {
    const decoded = decodeV2Request(
      {
        inputs: [
          { name: 'mask', shape: [2, 2], datatype: 'BOOL', data: [[true, false], [false, true]] },
          { name: 'ids', shape: [2, 2], datatype: 'INT64', data: [1, -2, 9007199254740991, 0] },
        ],
      },
      MIXED,
    );
    expect(decoded.tensors.ids.data).toEqual(BigInt64Array.from([1n, -2n, 9007199254740991n, 0n]));
    expect(decoded.tensors.mask.data).toEqual(Uint8Array.from([1, 0, 0, 1]));
    expect(decoded.rows).toBe(2);
  });

  it('refuses INT64 values that are not safe integers and BOOL values that are not booleans', () => {
    const ids = (data: unknown[]) => ({ name: 'ids', shape: [1, 2], datatype: 'INT64', data });
    const mask = (data: unknown[]) => ({ name: 'mask', shape: [1, 2], datatype: 'BOOL', data });
    expect(errorOf(() => decodeV2Request({ inputs: [ids([1, 1.5]), mask([true, true])] }, MIXED)).message).toMatch(/^inputs\[0\]\.data\[1\]: expected an integer/);
    expect(errorOf(() => decodeV2Request({ inputs: [ids([1, 2]), mask([1, 0])] }, MIXED)).message).toBe('inputs[1].data[0]: expected true or false (BOOL), got 1');
  });

  it('refuses inputs whose batch sizes differ', () => {
    const error = errorOf(() =>
      decodeV2Request(
        {
          inputs: [
            { name: 'ids', shape: [2, 2], datatype: 'INT64', data: [1, 2, 3, 4] },
            { name: 'mask', shape: [1, 2], datatype: 'BOOL', data: [true, true] },
          ],
        },
        MIXED,
      ),
    );
    expect(error.message).toBe("inputs[1].shape: input 'mask' has 1 rows but 'ids' has 2");
  });

  it('refuses a missing input, naming it and the inputs the model takes', () => {
    const error = errorOf(() => decodeV2Request({ inputs: [{ name: 'ids', shape: [1, 2], datatype: 'INT64', data: [1, 2] }] }, MIXED));
    expect(error.message).toBe("inputs: missing input 'mask' (the model takes 'ids', 'mask')");
    expect(errorOf(() => decodeV2Request({ inputs: [] }, IRIS)).field).toBe('inputs');
    expect(errorOf(() => decodeV2Request({}, IRIS)).message).toMatch(/^inputs must be a non-empty list/);
  });

  it('refuses an unknown input and an input given twice', () => {
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput(), irisInput({ name: 'petals' })] }, IRIS)).message).toBe(
      "inputs[1]: unknown input 'petals' (the model takes 'features')",
    );
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput(), irisInput()] }, IRIS)).message).toBe("inputs[1]: input 'features' is given twice");
  });

  it('keeps the requested outputs in request order and refuses unknown or repeated names', () => {
    const decoded = decodeV2Request({ inputs: [irisInput()], outputs: [{ name: 'label' }, { name: 'probabilities', parameters: { binary_data: true } }] }, IRIS);
    expect(decoded.outputs).toEqual(['label', 'probabilities']);
    expect(decodeV2Request({ inputs: [irisInput()], outputs: [] }, IRIS).outputs).toBeUndefined();
    const unknown = errorOf(() => decodeV2Request({ inputs: [irisInput()], outputs: [{ name: 'logits' }] }, IRIS));
    expect(unknown.message).toBe("outputs[0]: unknown output 'logits' (the model gives 'probabilities', 'label')");
    expect(unknown.field).toBe('outputs[0].name');
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput()], outputs: [{ name: 'label' }, { name: 'label' }] }, IRIS)).message).toMatch(/asked for twice/);
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput()], outputs: [{ name: 'label', parameters: { classification: 2 } }] }, IRIS)).message).toMatch(
      /classification is not supported/,
    );
  });

  it('chooses binary outputs: binary_data_output for all, an output\'s own binary_data over it', () => {
    const ask = (body: Record<string, unknown>) => decodeV2Request({ inputs: [irisInput()], ...body }, IRIS).binaryOutputs;
    expect(ask({})).toBeUndefined();
    expect(ask({ parameters: { binary_data_output: true } })).toEqual(['probabilities', 'label']);
    expect(ask({ parameters: { binary_data_output: false } })).toBeUndefined();
    expect(ask({ outputs: [{ name: 'label' }, { name: 'probabilities', parameters: { binary_data: true } }] })).toEqual(['probabilities']);
    expect(ask({ parameters: { binary_data_output: true }, outputs: [{ name: 'label', parameters: { binary_data: false } }, { name: 'probabilities' }] })).toEqual([
      'probabilities',
    ]);
    const bad = errorOf(() => ask({ parameters: { binary_data_output: 'yes' } }));
    expect([bad.message, bad.field]).toEqual(['parameters.binary_data_output must be true or false, got "yes"', 'parameters.binary_data_output']);
    expect(errorOf(() => ask({ outputs: [{ name: 'label', parameters: { binary_data: 1 } }] })).field).toBe('outputs[0].parameters.binary_data');
  });

  it('keeps the id and the parameters, and reads parameters.timeout as microseconds', () => {
    const decoded = decodeV2Request({ id: 'req-7', parameters: { timeout: 250_000, custom: 'x' }, inputs: [irisInput()] }, IRIS);
    expect(decoded.id).toBe('req-7');
    expect(decoded.parameters).toEqual({ timeout: 250_000, custom: 'x' });
    expect(decoded.timeoutMs).toBe(250);
    expect(decodeV2Request({ parameters: { timeout: 0 }, inputs: [irisInput()] }, IRIS).timeoutMs).toBeUndefined();
    expect(errorOf(() => decodeV2Request({ parameters: { timeout: -1 }, inputs: [irisInput()] }, IRIS)).field).toBe('parameters.timeout');
    expect(errorOf(() => decodeV2Request({ parameters: { timeout: '1s' }, inputs: [irisInput()] }, IRIS)).field).toBe('parameters.timeout');
  });

  it('refuses an id that is not a string, parameters that are not scalars, and unknown fields', () => {
    expect(errorOf(() => decodeV2Request({ id: 42, inputs: [irisInput()] }, IRIS)).message).toBe('id must be a string, got 42');
    expect(errorOf(() => decodeV2Request({ parameters: { nested: { a: 1 } }, inputs: [irisInput()] }, IRIS)).message).toBe(
      'parameters.nested must be a string, number or boolean, got an object',
    );
    expect(errorOf(() => decodeV2Request({ instances: [[1, 2, 3, 4]] }, IRIS)).message).toBe(
      "unknown field 'instances' (a request holds id, parameters, inputs, outputs)",
    );
    expect(errorOf(() => decodeV2Request({ inputs: [irisInput({ dtype: 'FP32' })] }, IRIS)).message).toMatch(/^unknown field 'inputs\[0\]\.dtype'/);
    expect(decodeV2Request({ model_name: 'iris', inputs: [irisInput()] }, IRIS).rows).toBe(2);
    expect(errorOf(() => decodeV2Request([irisInput()], IRIS)).message).toMatch(/must be a JSON object/);
  });

  it('reads inputs from the binary tail of a binary tensor data body, in request order', () => {
    const floats = Buffer.alloc(16);
    [5.1, 3.5, 1.4, 0.2].forEach((v, i) => floats.writeFloatLE(v, i * 4));
    const decoded = decodeV2Request({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }] }, IRIS, floats);
    expect(Array.from(decoded.tensors.features.data as Float32Array)).toEqual(Array.from(Float32Array.from([5.1, 3.5, 1.4, 0.2])));

    const strings = Buffer.concat(['Maria', 'Jo'].flatMap((s) => [Buffer.from(Uint32Array.of(Buffer.byteLength(s)).buffer), Buffer.from(s)]));
    const text = decodeV2Request({ inputs: [{ name: 'text', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: strings.length } }] }, TEXT, strings);
    expect(text.tensors.text.data).toEqual(['Maria', 'Jo']);
  });

  it('refuses binary floats that are not finite and BOOL bytes other than 0 and 1, naming the element', () => {
    const floats = Buffer.alloc(16);
    [5.1, NaN, 1.4, 0.2].forEach((v, i) => floats.writeFloatLE(v, i * 4));
    const input = { name: 'features', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } };
    expect(errorOf(() => decodeV2Request({ inputs: [input] }, IRIS, floats)).message).toBe('inputs[0]: FP32 element 1 is NaN; expected a finite number');
    const flags: V2Target = { inputs: [{ name: 'flags', datatype: 'BOOL', shape: [-1, 3] }], outputs: ['y'] };
    const bools = (bytes: number[]) => decodeV2Request({ inputs: [{ name: 'flags', shape: [1, 3], datatype: 'BOOL', parameters: { binary_data_size: 3 } }] }, flags, Buffer.from(bytes));
    expect(Array.from(bools([1, 0, 1]).tensors.flags.data as Uint8Array)).toEqual([1, 0, 1]);
    expect(errorOf(() => bools([1, 2, 0])).message).toBe('inputs[0]: BOOL element 1 is byte 2; true is 1 and false is 0');
  });

  it('reads INT64 and FP64 binary inputs exactly (little-endian)', () => {
    const target: V2Target = { inputs: [{ name: 'ids', datatype: 'INT64', shape: [-1, 2] }, { name: 'w', datatype: 'FP64', shape: [-1, 1] }], outputs: ['y'] };
    const ids = Buffer.from(BigInt64Array.of(-3n, 9007199254740993n).buffer);
    const w = Buffer.from(Float64Array.of(0.1).buffer);
    const decoded = decodeV2Request(
      { inputs: [{ name: 'ids', shape: [1, 2], datatype: 'INT64', parameters: { binary_data_size: 16 } }, { name: 'w', shape: [1, 1], datatype: 'FP64', parameters: { binary_data_size: 8 } }] },
      target,
      Buffer.concat([ids, w]),
    );
    expect(Array.from(decoded.tensors.ids.data as BigInt64Array)).toEqual([-3n, 9007199254740993n]);
    expect(Array.from(decoded.tensors.w.data as Float64Array)).toEqual([0.1]);
  });

  it('refuses binary sizes that disagree with the shape or with the body', () => {
    const input = (size: number) => ({ name: 'features', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: size } });
    expect(errorOf(() => decodeV2Request({ inputs: [input(12)] }, IRIS, Buffer.alloc(12))).message).toMatch(/needs 16 bytes/);
    expect(errorOf(() => decodeV2Request({ inputs: [input(16)] }, IRIS, Buffer.alloc(8))).message).toMatch(/only 8 bytes of binary data remain/);
    expect(errorOf(() => decodeV2Request({ inputs: [input(16)] }, IRIS, Buffer.alloc(20))).message).toMatch(/4 bytes of binary data that no input/);
    expect(errorOf(() => decodeV2Request({ inputs: [input(16)] }, IRIS)).message).toMatch(/needs a binary body/);
  });
});

describe('splitV2BinaryBody', () => {
  it('splits the JSON request from the tensor bytes at Inference-Header-Content-Length', () => {
    const json = Buffer.from('{"inputs":[]}');
    const { header, binary } = splitV2BinaryBody(Buffer.concat([json, Buffer.from([1, 2, 3])]), json.length);
    expect(header).toEqual({ inputs: [] });
    expect([...binary]).toEqual([1, 2, 3]);
  });

  it('refuses a header length past the body or one that does not end the JSON', () => {
    expect(() => splitV2BinaryBody(Buffer.from('{}'), 3)).toThrow(/at most the body's 2 bytes/);
    expect(() => splitV2BinaryBody(Buffer.from('{"a":1}xyz'), 5)).toThrow(/are not a JSON request/);
  });
});
