import * as ort from 'onnxruntime-node';

/**
 * Runs the exported model file, not the Float64 weights it was made from, so the accuracy a script
 * records is the one the server will reproduce (float32, onnxruntime's kernels).
 */
export async function predictClassesWithOnnx(
  modelFile: string,
  inputName: string,
  outputName: string,
  rowCount: number,
  featuresOf: (start: number, end: number) => Float32Array,
  batchSize = 128,
): Promise<number[]> {
  const session = await ort.InferenceSession.create(modelFile, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const predictions: number[] = [];
  try {
    for (let start = 0; start < rowCount; start += batchSize) {
      const end = Math.min(rowCount, start + batchSize);
      const features = featuresOf(start, end);
      const width = features.length / (end - start);
      const result = await session.run({ [inputName]: new ort.Tensor('float32', features, [end - start, width]) });
      const probabilities = result[outputName].data as Float32Array;
      const classes = probabilities.length / (end - start);
      for (let row = 0; row < end - start; row++) {
        predictions.push(argmax(probabilities.subarray(row * classes, (row + 1) * classes)));
      }
    }
  } finally {
    await session.release();
  }
  return predictions;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
