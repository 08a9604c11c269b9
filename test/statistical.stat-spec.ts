import { readFileSync } from 'fs';
import { join } from 'path';
import request from 'supertest';
import { chiSquareGoodnessOfFit } from '@app/drift';
import { holdout } from './support/holdout';
import { RunningApp, startAllInOne } from './support/test-app';
import { MODELS_DIR } from './support/test-config';

/**
 * The statistical test: 1,000 unseen requests per text model through the HTTP API. The predicted
 * class distribution must match the training distribution (chi-square goodness of fit, p >= 0.01) and
 * the accuracy must be within 2 points of the hold-out accuracy the training script measured.
 */
interface Reference {
  classDistribution: Record<string, number>;
  holdoutAccuracy: number;
}

const reference = (model: string): Reference => JSON.parse(readFileSync(join(MODELS_DIR, model, 'model.json'), 'utf8')).reference;

/** One request per row, at most `parallel` in flight, as independent clients would send them. */
async function predictEach(app: RunningApp, model: string, inputs: string[], parallel = 16): Promise<string[]> {
  const labels = new Array<string>(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      const res = await request(app.url).post(`/v1/models/${model}:predict`).send({ instances: [inputs[i]] });
      if (res.status !== 200) throw new Error(`${model} request ${i} answered ${res.status}: ${res.text}`);
      labels[i] = res.body.predictions[0].label;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return labels;
}

const cases = [
  { model: 'name-gender', rows: () => holdout<{ name: string; label: string }>('name-gender').map((r) => ({ input: r.name, label: r.label })) },
  { model: 'spam', rows: () => holdout<{ text: string; label: string }>('spam').map((r) => ({ input: r.text, label: r.label })) },
];

describe('statistical tests on 1,000 held-out requests (HTTP API)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAllInOne();
  }, 60_000);
  afterAll(() => app.close());

  for (const { model, rows } of cases) {
    it(`${model}: predicted classes follow the training distribution and accuracy matches the hold-out`, async () => {
      const data = rows();
      expect(data).toHaveLength(1000);
      const ref = reference(model);
      const classes = Object.keys(ref.classDistribution);
      const predicted = await predictEach(app, model, data.map((r) => r.input));
      const observed = classes.map((c) => predicted.filter((p) => p === c).length);
      const fit = chiSquareGoodnessOfFit(observed, classes.map((c) => ref.classDistribution[c]));
      const accuracy = predicted.filter((p, i) => p === data[i].label).length / data.length;
      // Reported in the test output: the statistic, not just a pass.
      console.log(
        `${model}: observed ${classes.map((c, i) => `${c}=${observed[i]}`).join(' ')}; expected ${classes
          .map((c) => `${c}=${(1000 * ref.classDistribution[c]).toFixed(0)}`)
          .join(' ')}; chi-square ${fit.statistic.toFixed(3)} (df ${fit.degreesOfFreedom}), p = ${fit.pValue.toFixed(4)}; ` +
          `accuracy ${accuracy.toFixed(4)} vs hold-out ${ref.holdoutAccuracy}`,
      );
      expect(fit.pValue).toBeGreaterThanOrEqual(0.01);
      expect(Math.abs(accuracy - ref.holdoutAccuracy)).toBeLessThanOrEqual(0.02);
    }, 240_000);
  }
});
