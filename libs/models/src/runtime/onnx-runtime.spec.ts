import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { InternalError, ModelLoadError, ModelNotReadyError } from '@app/errors';
import { OnnxGraphBuilder } from '../../../../scripts/onnx/onnx-graph-builder';
import { InstancesOptions } from './model-runtime';
import { OnnxRuntime } from './onnx-runtime';

/**
 * The real runtime (onnxruntime-node in worker threads) against the contract the fake runtime mimics:
 * what start reports, the errors it throws, and what a closed pool answers.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'modelgate-runtime-'));
  const addOne = new OnnxGraphBuilder('add_one')
    .input('x', ['batch', 2])
    .output('y', ['batch', 2])
    .initializer('one', [2], [1, 1])
    .add('x', 'one', 'y')
    .build();
  writeFileSync(join(dir, 'add-one.onnx'), addOne);
  writeFileSync(join(dir, 'garbage.onnx'), 'not a protobuf');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (file: string, instances = 1): InstancesOptions => ({
  modelPath: join(dir, file),
  instances,
  threads: 1,
  executionProvider: 'cpu',
});
const rows = (...values: number[][]) => ({
  x: { datatype: 'FP32' as const, dims: [values.length, 2], data: Float32Array.from(values.flat()) },
});

describe('OnnxRuntime', () => {
  it('starts instances that report the graph the file declares, and runs a batch on one of them', async () => {
    const pool = await new OnnxRuntime().start(options('add-one.onnx', 2));
    try {
      expect(pool.metadata).toEqual({
        inputs: [{ name: 'x', type: 'float32', shape: ['batch', 2] }],
        outputs: [{ name: 'y', type: 'float32', shape: ['batch', 2] }],
        provider: 'cpu',
      });
      const outputs = await pool.run(rows([1, 2], [3, 4]), ['y']);
      expect(outputs.y.datatype).toBe('FP32');
      expect(outputs.y.dims).toEqual([2, 2]);
      expect(Array.from(outputs.y.data as Float32Array)).toEqual([2, 3, 4, 5]);
    } finally {
      await pool.close();
    }
  });

  it('rejects a file onnxruntime cannot parse with ModelLoadError', async () => {
    await expect(new OnnxRuntime().start(options('garbage.onnx'))).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('rejects a run the session refuses with InternalError and keeps serving', async () => {
    const pool = await new OnnxRuntime().start(options('add-one.onnx'));
    try {
      const wrong = { x: { datatype: 'FP32' as const, dims: [1, 3], data: new Float32Array(3) } };
      await expect(pool.run(wrong)).rejects.toBeInstanceOf(InternalError);
      expect((await pool.run(rows([0, 0]))).y.dims).toEqual([1, 2]);
    } finally {
      await pool.close();
    }
  });

  it('answers runs after close with ModelNotReadyError', async () => {
    const pool = await new OnnxRuntime().start(options('add-one.onnx'));
    await pool.close();
    await expect(pool.run(rows([1, 1]))).rejects.toBeInstanceOf(ModelNotReadyError);
  });
});
