import { Example } from '../data/examples';
import { FunctionalResult, Mismatch } from '../report/report-types';
import { HttpClient } from '../server/http-client';
import { ModelInfo } from '../server/model-info';
import { accuracyMargin, round } from './accuracy-margin';
import { predictAll, Progress } from './predictions';

export interface FunctionalOptions {
  minAccuracy?: number;
  tolerance: number;
  batch: number;
  parallel: number;
  onProgress?: Progress;
}

/** Functional testing: rows with an expected answer get that answer (labels, or values within a tolerance). */
export async function runFunctional(client: HttpClient, model: ModelInfo, examples: Example[], options: FunctionalOptions): Promise<FunctionalResult> {
  const labelled = examples.filter((e) => e.expected !== undefined);
  const mode: FunctionalResult['mode'] = model.labels ? 'labels' : 'values';
  const base = { kind: 'functional' as const, examples: labelled.length, failedRequests: 0, mode, correct: 0, mismatches: [] as Mismatch[] };
  if (labelled.length === 0) {
    return { ...base, mode, verdict: 'skipped', reason: 'no row of the data has an expected answer (a "label" or "expected" field)' };
  }
  const predictions = await predictAll(client, model.name, labelled, options);
  const mismatches: Mismatch[] = [];
  let correct = 0;
  let failedRequests = 0;
  let absoluteError = 0;
  let compared = 0;
  labelled.forEach((example, i) => {
    const got = predictions[i];
    if (got.error) {
      failedRequests++;
      mismatches.push({ line: example.line, input: example.summary, expected: example.expected, got: `request failed (${got.error})` });
      return;
    }
    if (mode === 'labels') {
      if (got.label === example.expected) correct++;
      else mismatches.push({ line: example.line, input: example.summary, expected: example.expected, got: got.label, score: got.score });
      return;
    }
    const expected = ([example.expected] as unknown[]).flat() as number[];
    const values = got.values ?? [];
    const errors = expected.map((v, k) => Math.abs(v - (values[k] ?? NaN)));
    const worst = errors.length === values.length ? Math.max(...errors) : Infinity;
    absoluteError += errors.reduce((s, e) => s + (Number.isFinite(e) ? e : 0), 0) / Math.max(1, errors.length);
    compared++;
    if (worst <= options.tolerance) correct++;
    else mismatches.push({ line: example.line, input: example.summary, expected: example.expected, got: values.length === 1 ? values[0] : values });
  });
  const accuracy = round(correct / labelled.length);
  const result: FunctionalResult = { ...base, correct, failedRequests, mismatches, accuracy, verdict: 'pass', reason: '' };
  if (mode === 'values') {
    result.meanAbsoluteError = round(absoluteError / Math.max(1, compared), 6);
    result.tolerance = options.tolerance;
  }
  const [minAccuracy, source] = minimumAccuracy(model, labelled.length, options, mode);
  result.minAccuracy = minAccuracy;
  result.minAccuracySource = source;
  if (failedRequests > 0) {
    result.verdict = 'fail';
    result.reason = `${failedRequests} of ${labelled.length} rows got no prediction`;
  } else if (accuracy < minAccuracy) {
    result.verdict = 'fail';
    result.reason = `${mode === 'labels' ? 'accuracy' : 'share within tolerance'} ${accuracy} is below ${minAccuracy} (${source}); ${mismatches.length} mismatches`;
  } else {
    result.reason = `${correct} of ${labelled.length} rows as expected (${accuracy} >= ${minAccuracy}, ${source})`;
  }
  return result;
}

function minimumAccuracy(model: ModelInfo, n: number, options: FunctionalOptions, mode: 'labels' | 'values'): [number, string] {
  if (options.minAccuracy !== undefined) return [options.minAccuracy, '--min-accuracy'];
  const reference = model.reference?.holdoutAccuracy;
  if (mode === 'labels' && typeof reference === 'number') {
    const margin = accuracyMargin(reference, n);
    return [round(Math.max(0, reference - margin)), `model.json hold-out accuracy ${reference} less ${round(margin)} for ${n} rows`];
  }
  return [1, 'every row must match (no reference accuracy in model.json; set --min-accuracy)'];
}
