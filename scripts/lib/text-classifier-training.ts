import * as fs from 'fs';
import { TextFeaturesSpec, TextFeaturizer, validateTextFeaturesSpec } from '../../libs/models/src/transforms/text-features';
import { chiSquareGoodnessOfFit, GoodnessOfFit } from '../../libs/drift/src/chi-square';
import { ModelJson, orderedModelJson } from './model-json';
import { predictClassesWithOnnx } from './onnx-evaluation';
import { round, roundedDistribution, writeFile, writeJsonFile, writeJsonLines } from './output-files';
import { outputPath } from './paths';
import { priorMatchingShift } from './prior-matching';
import { exportSoftmaxRegression } from './softmax-regression-export';
import { logitsOf, SoftmaxRegression, SparseRow, trainSoftmaxRegression, TrainingOptions } from './softmax-regression';
import { sparseTextFeatures } from './sparse-features';
import { stratifiedFolds, stratifiedHoldout } from './stratified-split';

/** Everything that differs between the text models; the procedure is shared. */
export interface TextClassifierRecipe {
  model: string;
  description: string;
  script: string;
  dataset: string;
  /** In the order of the model's output columns. */
  labels: string[];
  texts: readonly string[];
  /** Each text's label. */
  textLabels: readonly string[];
  /** The public BYTES input is features.input; the ONNX input is features.output. */
  features: TextFeaturesSpec;
  training: TrainingOptions;
  holdoutSize: number;
  seed: number;
  /**
   * Extra training texts made from one training text, with its label (e.g. passages of a long email).
   * Only ever applied to training rows; the hold-out and the prior matching see the texts as they are.
   */
  augment?: (text: string) => string[];
  /** What a hold-out row looks like in scripts/data/<model>.holdout.jsonl. */
  holdoutRecord: (row: number) => Record<string, unknown>;
  extraReference?: Record<string, unknown>;
}

export interface TrainingSummary {
  model: string;
  holdoutAccuracy: number;
  predictedDistribution: Record<string, number>;
  chiSquare: GoodnessOfFit;
  seconds: number;
  modelBytes: number;
}

const CALIBRATION_FOLDS = 5;

/**
 * Holds out a stratified sample, trains a softmax regression on hashed n-grams, matches the predicted
 * class mix to the training prior, exports ONNX, then measures the exported file on the hold-out.
 */
export async function trainTextClassifier(recipe: TextClassifierRecipe): Promise<TrainingSummary> {
  const started = Date.now();
  const spec = validateTextFeaturesSpec(recipe.features);
  const featurizer = new TextFeaturizer(spec);
  const classOf = (label: string) => recipe.labels.indexOf(label);
  const { train, holdout } = stratifiedHoldout(recipe.textLabels, recipe.holdoutSize, recipe.seed);

  const trainTexts = train.map((row) => recipe.texts[row]);
  const trainRows = sparseTextFeatures(featurizer, trainTexts);
  const extraRowsOf = augmentedRows(featurizer, trainTexts, recipe.augment);
  const trainLabels = train.map((row) => recipe.textLabels[row]);
  const trainClasses = trainLabels.map(classOf);
  const trainCounts = recipe.labels.map((_, k) => trainClasses.filter((c) => c === k).length);
  /** A model trained on these training rows and the rows augmented from them. */
  const fit = (rows: readonly number[]) =>
    trainSoftmaxRegression(
      [...rows.map((i) => trainRows[i]), ...rows.flatMap((i) => extraRowsOf[i])],
      [...rows.map((i) => trainClasses[i]), ...rows.flatMap((i) => extraRowsOf[i].map(() => trainClasses[i]))],
      spec.dimensions,
      recipe.labels.length,
      recipe.training,
    );

  const model = fit(train.map((_, i) => i));
  model.bias[1] += outOfFoldPriorShift(trainRows, trainLabels, trainCounts, fit, recipe);

  const modelFile = outputPath('models', recipe.model, '1', 'model.onnx');
  const onnxBytes = exportSoftmaxRegression(model, { graphName: recipe.model, description: recipe.description, input: spec.output });
  writeFile(modelFile, onnxBytes);

  const holdoutTexts = holdout.map((row) => recipe.texts[row]);
  const predictions = await predictClassesWithOnnx(modelFile, spec.output, 'probabilities', holdout.length, (start, end) =>
    featurizer.featurize(holdoutTexts.slice(start, end)),
  );
  const correct = predictions.filter((c, i) => recipe.labels[c] === recipe.textLabels[holdout[i]]).length;
  const predictedCounts = recipe.labels.map((_, k) => predictions.filter((c) => c === k).length);
  const chiSquare = chiSquareGoodnessOfFit(predictedCounts, trainCounts);
  const holdoutFile = `scripts/data/${recipe.model}.holdout.jsonl`;

  const modelJson: ModelJson = {
    description: recipe.description,
    inputs: [{ name: spec.input, datatype: 'BYTES', shape: [-1] }],
    outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, recipe.labels.length] }],
    preprocess: [spec],
    postprocess: { type: 'classification', output: 'probabilities', labels: recipe.labels, topK: recipe.labels.length },
    versionPolicy: { latest: 1 },
    instances: 1,
    threads: 1,
    reference: {
      classDistribution: roundedDistribution(recipe.labels, trainCounts),
      holdoutAccuracy: round(correct / holdout.length, 4),
      holdoutSize: holdout.length,
      trainingSize: train.length,
      seed: recipe.seed,
      script: recipe.script,
      holdoutFile,
      dataset: recipe.dataset,
      holdoutPredictedDistribution: roundedDistribution(recipe.labels, predictedCounts),
      ...recipe.extraReference,
    },
  };
  writeJsonFile(outputPath('models', recipe.model, 'model.json'), orderedModelJson(modelJson));
  writeJsonLines(outputPath(holdoutFile), holdout.map(recipe.holdoutRecord));

  return {
    model: recipe.model,
    holdoutAccuracy: correct / holdout.length,
    predictedDistribution: roundedDistribution(recipe.labels, predictedCounts),
    chiSquare,
    seconds: (Date.now() - started) / 1000,
    modelBytes: fs.statSync(modelFile).size,
  };
}

/** For each text, the features of the texts `augment` makes from it. */
function augmentedRows(
  featurizer: TextFeaturizer,
  texts: readonly string[],
  augment: ((text: string) => string[]) | undefined,
): SparseRow[][] {
  const extraRowsOf: SparseRow[][] = texts.map(() => []);
  if (!augment) return extraRowsOf;
  const extras = texts.flatMap((text, owner) => augment(text).map((extra) => ({ owner, extra })));
  const rows = sparseTextFeatures(featurizer, extras.map(({ extra }) => extra));
  extras.forEach(({ owner }, j) => extraRowsOf[owner].push(rows[j]));
  return extraRowsOf;
}

/**
 * The bias shift that makes the predicted class mix equal the training prior, measured on
 * out-of-fold predictions: in-sample predictions of a model are more confident and more often right
 * than its predictions on new text, so matching the prior in-sample under-corrects on the hold-out.
 */
function outOfFoldPriorShift(
  rows: readonly SparseRow[],
  labels: readonly string[],
  counts: readonly number[],
  fit: (rows: readonly number[]) => SoftmaxRegression,
  recipe: TextClassifierRecipe,
): number {
  if (recipe.labels.length !== 2) throw new Error('prior matching is implemented for two classes only');
  const folds = stratifiedFolds(labels, CALIBRATION_FOLDS, recipe.seed);
  const margins = new Float64Array(rows.length);
  for (let fold = 0; fold < CALIBRATION_FOLDS; fold++) {
    const foldModel = fit(folds.flatMap((f, row) => (f === fold ? [] : [row])));
    folds.forEach((f, row) => {
      if (f !== fold) return;
      const logits = logitsOf(foldModel, rows[row]);
      margins[row] = logits[1] - logits[0];
    });
  }
  return priorMatchingShift(margins, counts[1] / rows.length);
}
