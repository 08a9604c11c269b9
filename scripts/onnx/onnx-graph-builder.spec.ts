/** @jest-environment ./scripts/onnx/jest-onnxruntime-environment.js */
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { OnnxGraphBuilder } from './onnx-graph-builder';

function tinyModel(): Uint8Array {
  return new OnnxGraphBuilder('tiny')
    .input('x', ['batch', 2])
    .output('probabilities', ['batch', 2])
    .initializer('mean', [2], [1, 2])
    .initializer('std', [2], [2, 4])
    .initializer('w', [2, 2], [1, 0, 0, -1])
    .initializer('b', [2], [0.5, -0.5])
    .sub('x', 'mean', 'centred')
    .div('centred', 'std', 'scaled')
    .matMul('scaled', 'w', 'projected')
    .add('projected', 'b', 'shifted')
    .relu('shifted', 'logits')
    .softmax('logits', 'probabilities')
    .build();
}

describe('OnnxGraphBuilder', () => {
  it('builds a model that onnxruntime runs, with a free batch dimension', async () => {
    const session = await ort.InferenceSession.create(tinyModel());
    const x = new ort.Tensor('float32', Float32Array.from([3, 2, 1, 10]), [2, 2]);
    const { probabilities } = await session.run({ x });
    // Row 1: scaled [1, 0] -> logits relu([1.5, -0.5]) = [1.5, 0]; row 2: scaled [0, 2] -> relu([0.5, -2.5]) = [0.5, 0].
    const expected = [1.5, 0.5].flatMap((z) => [Math.exp(z) / (Math.exp(z) + 1), 1 / (Math.exp(z) + 1)]);
    [...(probabilities.data as Float32Array)].forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
    expect(probabilities.dims).toEqual([2, 2]);
  });

  it('writes ir_version 8, opset 13, the producer name and raw little-endian initializers', () => {
    const model = onnx.ModelProto.decode(tinyModel());
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect(model.producerName).toBe('modelgate-scripts');
    const mean = model.graph!.initializer!.find((t) => t.name === 'mean')!;
    expect([...mean.rawData!]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
    expect(model.graph!.input![0].type!.tensorType!.shape!.dim![0].dimParam).toBe('batch');
  });

  it('is byte-for-byte reproducible', () => {
    expect(Buffer.from(tinyModel()).equals(Buffer.from(tinyModel()))).toBe(true);
  });
});
