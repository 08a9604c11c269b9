import { InternalError } from '@app/errors';
import { float32ToNumber, HostTensor } from '../tensor';

/** The classification form of one instance, as the design page defines it. */
export interface Classification {
  label: string;
  score: number;
  probabilities: Record<string, number>;
}

export interface ClassifyOptions {
  labels: readonly string[];
  /** Only the k most probable classes in `probabilities` (all by default). */
  topK?: number;
  /** The output holds logits: apply softmax first. */
  softmax?: boolean;
}

/** Turns a [rows, classes] score tensor into one Classification per row, most probable class first. */
export function classify(scores: HostTensor, options: ClassifyOptions): Classification[] {
  const [rows, classes] = scores.dims;
  if (scores.dims.length !== 2 || classes !== options.labels.length) {
    throw new InternalError(`classification output has shape [${scores.dims}] but the model declares ${options.labels.length} labels`);
  }
  const data = scores.data as Float32Array;
  const k = Math.min(options.topK ?? classes, classes);
  const result = new Array<Classification>(rows);
  const probs = new Float64Array(classes);
  const order = Array.from({ length: classes }, (_, i) => i);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    for (let c = 0; c < classes; c++) probs[c] = data[base + c];
    if (options.softmax) softmaxInPlace(probs);
    order.sort((a, b) => probs[b] - probs[a] || a - b);
    const probabilities: Record<string, number> = {};
    for (let i = 0; i < k; i++) probabilities[options.labels[order[i]]] = float32ToNumber(probs[order[i]]);
    result[r] = { label: options.labels[order[0]], score: float32ToNumber(probs[order[0]]), probabilities };
  }
  return result;
}

function softmaxInPlace(v: Float64Array): void {
  let max = -Infinity;
  for (const x of v) max = Math.max(max, x);
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] = Math.exp(v[i] - max);
  for (let i = 0; i < v.length; i++) v[i] /= sum;
}
