/** @jest-environment ./scripts/onnx/jest-onnxruntime-environment.js */
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import { TextFeaturesSpec, TextFeaturizer } from '../libs/models/src/transforms/text-features';
import { ModelJson } from './lib/model-json';
import { argmax } from './lib/onnx-evaluation';
import { readJsonLines, round } from './lib/output-files';
import { repoPath } from './lib/paths';

/**
 * Checks the committed default repository without retraining: each model.onnx agrees with its
 * model.json, reproduces the hold-out accuracy its training script recorded, and gets the obvious cases right.
 */

interface LoadedModel {
  json: ModelJson;
  session: ort.InferenceSession;
  featurizer?: TextFeaturizer;
}

const loaded = new Map<string, LoadedModel>();

async function load(name: string): Promise<void> {
  const json = JSON.parse(fs.readFileSync(repoPath('models', name, 'model.json'), 'utf8')) as ModelJson;
  const session = await ort.InferenceSession.create(repoPath('models', name, '1', 'model.onnx'), { intraOpNumThreads: 1 });
  const spec = json.preprocess?.[0] as TextFeaturesSpec | undefined;
  loaded.set(name, { json, session, featurizer: spec && new TextFeaturizer(spec) });
}

/** The labels a model predicts for raw inputs (texts for text models, feature rows otherwise). */
async function predict(name: string, inputs: readonly (string | number[])[]): Promise<string[]> {
  const { json, session, featurizer } = loaded.get(name)!;
  const labels = json.postprocess!.labels;
  const predicted: string[] = [];
  for (let start = 0; start < inputs.length; start += 100) {
    const batch = inputs.slice(start, start + 100);
    const features = featurizer
      ? featurizer.featurize(batch.map(String))
      : Float32Array.from(batch.flatMap((row) => row as number[]));
    const tensor = new ort.Tensor('float32', features, [batch.length, features.length / batch.length]);
    const result = await session.run({ [session.inputNames[0]]: tensor });
    const probabilities = result[json.postprocess!.output].data as Float32Array;
    for (let row = 0; row < batch.length; row++) {
      predicted.push(labels[argmax(probabilities.subarray(row * labels.length, (row + 1) * labels.length))]);
    }
  }
  return predicted;
}

function tensorShape(metadata: ort.InferenceSession.ValueMetadata): (number | string)[] {
  if (!metadata.isTensor) throw new Error(`${metadata.name} is not a tensor`);
  return [...metadata.shape];
}

type HoldoutRow = Record<string, unknown>;

/** Each committed model and how to read a client's input from a row of its hold-out file. */
const MODELS: { name: string; inputOf: (row: HoldoutRow) => string | number[] }[] = [
  { name: 'iris', inputOf: (row) => row.features as number[] },
  { name: 'name-gender', inputOf: (row) => row.name as string },
  { name: 'spam', inputOf: (row) => row.text as string },
];

beforeAll(async () => {
  for (const { name } of MODELS) await load(name);
});

afterAll(async () => {
  for (const { session } of loaded.values()) await session.release();
});

describe.each(MODELS)('committed model $name', ({ name, inputOf }) => {
  let model: LoadedModel;
  beforeAll(() => {
    model = loaded.get(name)!;
  });

  it('declares in model.json the signature its ONNX file has', () => {
    const { json, session } = model;
    const preprocess = json.preprocess?.[0];
    // Without a preprocess the ONNX input is the public one, which only iris has: four measurements.
    const onnxInput = preprocess ? [preprocess.output, ['batch', preprocess.dimensions]] : ['features', ['batch', 4]];
    expect(session.inputMetadata.map((m) => [m.name, tensorShape(m)])).toEqual([onnxInput]);
    expect(session.outputMetadata.map((m) => [m.name, tensorShape(m).map((d) => (typeof d === 'string' ? -1 : d))]))
      .toEqual(json.outputs!.map((o) => [o.name, o.shape]));
    expect(json.postprocess!.labels).toHaveLength(json.outputs![0].shape[1]);
    if (preprocess) expect(json.inputs).toEqual([{ name: preprocess.input, datatype: 'BYTES', shape: [-1] }]);
  });

  it('reproduces the recorded hold-out accuracy', async () => {
    const { reference } = model.json;
    const rows = readJsonLines<HoldoutRow>(repoPath(reference!.holdoutFile));
    expect(rows).toHaveLength(reference!.holdoutSize);
    const predicted = await predict(name, rows.map(inputOf));
    const accuracy = predicted.filter((label, i) => label === rows[i].label).length / rows.length;
    expect(round(accuracy, 4)).toBe(reference!.holdoutAccuracy);
  });
});

describe('obvious cases', () => {
  it('iris: a textbook setosa in raw centimetres', async () => {
    expect(await predict('iris', [[5.1, 3.5, 1.4, 0.2]])).toEqual(['setosa']);
  });

  it('name-gender: Maria is female, John is male', async () => {
    expect(await predict('name-gender', ['Maria', 'John'])).toEqual(['female', 'male']);
  });

  it('spam: a typed prize scam is spam, a lunch question is ham', async () => {
    expect(
      await predict('spam', [
        'WIN a FREE iPhone now!!! Click here to claim your $1000 prize',
        'Hi Tom, are we still meeting for lunch tomorrow at noon?',
      ]),
    ).toEqual(['spam', 'ham']);
  });
});
