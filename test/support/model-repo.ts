import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { OnnxGraphBuilder } from '../../scripts/onnx/onnx-graph-builder';
import { MODELS_DIR } from './test-config';

/** A fresh model repository in a temp folder, holding copies of the named default models. */
export function tempRepository(models: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'modelgate-repo-'));
  for (const name of models) cpSync(join(MODELS_DIR, name), join(root, name), { recursive: true });
  return root;
}

/**
 * An iris-shaped model (features [batch,4] -> probabilities [batch,3]) that always favours one class:
 * a version whose answers differ from iris@1, so a test can tell which version served a request.
 */
export function constantClassModel(favoured: number, inputName = 'features', classes = 3, outputName = 'probabilities'): Uint8Array {
  const bias = Array.from({ length: classes }, (_, c) => (c === favoured ? 10 : 0));
  return new OnnxGraphBuilder('constant_class', `always class ${favoured}`)
    .input(inputName, ['batch', 4])
    .output(outputName, ['batch', classes])
    .initializer('w', [4, classes], new Array(4 * classes).fill(0))
    .initializer('b', [classes], bias)
    .matMul(inputName, 'w', 'z')
    .add('z', 'b', 'logits')
    .softmax('logits', outputName)
    .build();
}

export function writeVersion(root: string, model: string, version: number, bytes: Uint8Array | Buffer): string {
  const dir = join(root, model, String(version));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'model.onnx');
  writeFileSync(file, bytes);
  return file;
}

export function readModelJson(root: string, model: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, model, 'model.json'), 'utf8'));
}

export function writeModelJson(root: string, model: string, json: Record<string, unknown>): void {
  writeFileSync(join(root, model, 'model.json'), `${JSON.stringify(json, null, 2)}\n`);
}

export const IRIS_ROW = [5.1, 3.5, 1.4, 0.2];

/**
 * An INT64 model: ids [batch, 2] (int64) -> sum [batch, 1] (float) and sum_int [batch, 1] (int64), the sum
 * of each row's two ids; for the INT64 paths of the wire formats.
 */
export function int64SumModel(): Uint8Array {
  return new OnnxGraphBuilder('int64_sum', 'sum of two int64 ids')
    .input('ids', ['batch', 2], 'INT64')
    .output('sum', ['batch', 1])
    .output('sum_int', ['batch', 1], 'INT64')
    .initializer('ones', [2, 1], [1, 1])
    .cast('ids', 'ids_float', 'FLOAT')
    .matMul('ids_float', 'ones', 'sum')
    .cast('sum', 'sum_int', 'INT64')
    .build();
}

/**
 * A regression model in the shape of TF Serving's half_plus_three: x [batch, 1] and shift [batch, 1] ->
 * y [batch, 1] = 0.5 * x + shift, one value per row (what :regress serves; two inputs, for context).
 */
/** A one-input regression model: y = 2x + 1, x [batch, 1] -> y [batch, 1] (the Regress API's documented example). */
export function linearModel(): Uint8Array {
  return new OnnxGraphBuilder('linear', 'y = 2x + 1')
    .input('x', ['batch', 1])
    .output('y', ['batch', 1])
    .initializer('w', [1, 1], [2])
    .initializer('b', [1], [1])
    .matMul('x', 'w', 'wx')
    .add('wx', 'b', 'y')
    .build();
}

export function halfPlusShiftModel(): Uint8Array {
  return new OnnxGraphBuilder('half_plus_shift', 'y = 0.5 * x + shift')
    .input('x', ['batch', 1])
    .input('shift', ['batch', 1])
    .output('y', ['batch', 1])
    .initializer('half', [1, 1], [0.5])
    .matMul('x', 'half', 'half_x')
    .add('half_x', 'shift', 'y')
    .build();
}
