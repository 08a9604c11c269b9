import { OnnxGraphBuilder } from '../onnx/onnx-graph-builder';
import { SoftmaxRegression } from './softmax-regression';

export interface ExportOptions {
  graphName: string;
  description: string;
  /** The ONNX input, [batch, dimensions] FP32. */
  input: string;
  /** Per-feature standardisation baked into the graph, so clients send raw values. */
  standardize?: { mean: readonly number[]; std: readonly number[] };
}

/** input -> [(x - mean) / std] -> MatMul weights -> Add bias -> Softmax -> probabilities [batch, classes]. */
export function exportSoftmaxRegression(model: SoftmaxRegression, options: ExportOptions): Uint8Array {
  const builder = new OnnxGraphBuilder(options.graphName, options.description)
    .input(options.input, ['batch', model.dimensions])
    .output('probabilities', ['batch', model.classes]);
  let features = options.input;
  if (options.standardize) {
    builder
      .initializer('mean', [model.dimensions], options.standardize.mean)
      .initializer('std', [model.dimensions], options.standardize.std)
      .sub(features, 'mean', 'centred')
      .div('centred', 'std', 'standardized');
    features = 'standardized';
  }
  return builder
    .initializer('weights', [model.dimensions, model.classes], model.weights)
    .initializer('bias', [model.classes], model.bias)
    .matMul(features, 'weights', 'linear')
    .add('linear', 'bias', 'logits')
    .softmax('logits', 'probabilities')
    .build();
}
