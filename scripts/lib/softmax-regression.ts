import { mulberry32, shuffleInPlace } from './prng';

/** One example's features: the non-zero entries only (text features are >99% zeros). */
export interface SparseRow {
  indices: Int32Array;
  values: Float64Array;
}

export interface SoftmaxRegression {
  dimensions: number;
  classes: number;
  /** dimensions x classes, row-major: the B of an ONNX MatMul(features, B). */
  weights: Float64Array;
  bias: Float64Array;
}

export interface TrainingOptions {
  epochs: number;
  batchSize: number;
  /** Adam's step size at the start; it decays linearly to zero at the end of the last epoch. */
  learningRate: number;
  /** Coefficient of 0.5 * l2 * ||weights||^2 in the loss (the bias is not penalised). */
  l2: number;
  seed: number;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

/**
 * Multinomial logistic regression by mini-batch Adam, in Float64, starting from zero weights and
 * shuffling with a seeded generator: the same data and options give the same bits on every run.
 * The decaying step lets the last epochs settle instead of ending on a noisy step.
 */
export function trainSoftmaxRegression(
  rows: readonly SparseRow[],
  labels: readonly number[],
  dimensions: number,
  classes: number,
  options: TrainingOptions,
): SoftmaxRegression {
  const model: SoftmaxRegression = {
    dimensions, classes, weights: new Float64Array(dimensions * classes), bias: new Float64Array(classes),
  };
  const parameters = [model.weights, model.bias];
  const gradients = parameters.map((p) => new Float64Array(p.length));
  const firstMoments = parameters.map((p) => new Float64Array(p.length));
  const secondMoments = parameters.map((p) => new Float64Array(p.length));
  const random = mulberry32(options.seed);
  const order = rows.map((_, i) => i);
  const stepsPerEpoch = Math.ceil(rows.length / options.batchSize);
  const totalSteps = options.epochs * stepsPerEpoch;
  const probabilities = new Float64Array(classes);
  let step = 0;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize);
      const [weightGradient, biasGradient] = gradients;
      for (let i = 0; i < model.weights.length; i++) weightGradient[i] = options.l2 * model.weights[i];
      biasGradient.fill(0);
      for (const r of batch) {
        const row = rows[r];
        softmaxInto(model, row, probabilities);
        probabilities[labels[r]] -= 1; // d(cross-entropy)/d(logits) = p - onehot
        for (let k = 0; k < classes; k++) biasGradient[k] += probabilities[k] / batch.length;
        for (let j = 0; j < row.indices.length; j++) {
          const base = row.indices[j] * classes;
          const scaled = row.values[j] / batch.length;
          for (let k = 0; k < classes; k++) weightGradient[base + k] += scaled * probabilities[k];
        }
      }
      step++;
      const learningRate = options.learningRate * (1 - (step - 1) / totalSteps);
      const correction1 = 1 - ADAM_BETA1 ** step;
      const correction2 = 1 - ADAM_BETA2 ** step;
      parameters.forEach((parameter, p) => {
        const [gradient, m, v] = [gradients[p], firstMoments[p], secondMoments[p]];
        for (let i = 0; i < parameter.length; i++) {
          m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * gradient[i];
          v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * gradient[i] * gradient[i];
          parameter[i] -= (learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + ADAM_EPSILON);
        }
      });
    }
  }
  return model;
}

/** The logits of one row (weights' x row + bias). */
export function logitsOf(model: SoftmaxRegression, row: SparseRow, out: Float64Array = new Float64Array(model.classes)): Float64Array {
  out.set(model.bias);
  for (let j = 0; j < row.indices.length; j++) {
    const base = row.indices[j] * model.classes;
    for (let k = 0; k < model.classes; k++) out[k] += row.values[j] * model.weights[base + k];
  }
  return out;
}

function softmaxInto(model: SoftmaxRegression, row: SparseRow, out: Float64Array): void {
  logitsOf(model, row, out);
  const max = Math.max(...out);
  let sum = 0;
  for (let k = 0; k < out.length; k++) sum += out[k] = Math.exp(out[k] - max);
  for (let k = 0; k < out.length; k++) out[k] /= sum;
}
