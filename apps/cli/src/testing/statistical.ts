import { compareWithReference } from '@app/drift';
import { Example } from '../data/examples';
import { Check, StatisticalResult } from '../report/report-types';
import { HttpClient } from '../server/http-client';
import { ModelInfo } from '../server/model-info';
import { accuracyMargin, round } from './accuracy-margin';
import { predictAll, Progress } from './predictions';

export interface StatisticalOptions {
  rows: number;
  parallel: number;
  /** drift.pValueThreshold, drift.psiThreshold and drift.minSamples of the configuration. */
  thresholds: { pValue: number; psi: number; minSamples: number };
  onProgress?: Progress;
}

/** Below this expected count in a class the chi-square approximation is poor (Cochran's rule). */
const MIN_EXPECTED_COUNT = 5;

/**
 * Statistical testing: up to `rows` unseen rows, one request each as independent clients send them, with
 * no label; the predicted class distribution against model.json's reference (chi-square p-value and PSI
 * with the drift thresholds), and the accuracy against the hold-out accuracy when the rows are labelled.
 * Fewer rows weigh less: PSI decides only from drift.minSamples rows on, chi-square only when every class
 * expects at least 5, and the accuracy margin widens (accuracyMargin).
 */
export async function runStatistical(client: HttpClient, model: ModelInfo, examples: Example[], options: StatisticalOptions): Promise<StatisticalResult> {
  const distribution = model.reference?.classDistribution;
  const rows = examples.slice(0, options.rows);
  const base: StatisticalResult = {
    kind: 'statistical',
    verdict: 'skipped',
    reason: '',
    rowsAsked: options.rows,
    rowsAvailable: examples.length,
    rowsSent: 0,
    failedRequests: 0,
    classes: [],
    counts: {},
    observed: {},
    expected: {},
    thresholds: options.thresholds,
    checks: [],
  };
  if (!model.labels) return { ...base, reason: 'the model has no labels, so there is no class distribution to compare' };
  if (!distribution || Object.keys(distribution).length < 2) {
    return { ...base, reason: 'model.json has no reference.classDistribution to compare with' };
  }
  const predictions = await predictAll(client, model.name, rows, { batch: 1, parallel: options.parallel, onProgress: options.onProgress });
  const classes = Object.keys(distribution);
  const counts = Object.fromEntries(classes.map((c) => [c, 0]));
  let failedRequests = 0;
  let labelled = 0;
  let correct = 0;
  predictions.forEach((p, i) => {
    if (p.error || p.label === undefined) {
      failedRequests++;
      return;
    }
    counts[p.label] = (counts[p.label] ?? 0) + 1;
    if (rows[i].expected !== undefined) {
      labelled++;
      if (rows[i].expected === p.label) correct++;
    }
  });
  const fit = compareWithReference(counts, distribution);
  const n = fit.samples;
  const checks: Check[] = [];
  if (failedRequests > 0) checks.push({ name: 'requests answered', value: rows.length - failedRequests, limit: `= ${rows.length}`, verdict: 'fail' });
  const unknown = Object.keys(counts).filter((c) => !classes.includes(c) && counts[c] > 0);
  if (unknown.length) {
    checks.push({ name: 'predicted classes known to the reference', value: unknown.length, limit: '= 0', verdict: 'fail', note: `not in the reference: ${unknown.join(', ')}` });
  }
  const minExpected = n * Math.min(...Object.values(fit.expected));
  checks.push({
    name: 'chi-square p-value',
    value: fit.pValue,
    limit: `>= ${options.thresholds.pValue}`,
    verdict: minExpected < MIN_EXPECTED_COUNT ? 'indicative' : fit.pValue >= options.thresholds.pValue ? 'pass' : 'fail',
    note: minExpected < MIN_EXPECTED_COUNT ? `a class expects ${round(minExpected, 1)} rows (< ${MIN_EXPECTED_COUNT}): too few for the test` : undefined,
  });
  checks.push({
    name: 'PSI',
    value: fit.psi,
    limit: `< ${options.thresholds.psi}`,
    verdict: n < options.thresholds.minSamples ? 'indicative' : fit.psi < options.thresholds.psi ? 'pass' : 'fail',
    note: n < options.thresholds.minSamples ? `${n} rows, under drift.minSamples (${options.thresholds.minSamples})` : undefined,
  });
  let accuracy: number | undefined;
  let margin: number | undefined;
  const referenceAccuracy = typeof model.reference?.holdoutAccuracy === 'number' ? model.reference.holdoutAccuracy : undefined;
  if (labelled > 0) {
    accuracy = round(correct / labelled);
    if (referenceAccuracy !== undefined) {
      margin = round(accuracyMargin(referenceAccuracy, labelled));
      checks.push({
        name: 'accuracy',
        value: accuracy,
        limit: `>= ${round(referenceAccuracy - margin)} (hold-out ${referenceAccuracy} less ${margin} for ${labelled} rows)`,
        verdict: accuracy >= referenceAccuracy - margin ? 'pass' : 'fail',
      });
    }
  }
  const failed = checks.filter((c) => c.verdict === 'fail');
  const note =
    examples.length < options.rows
      ? `the data has ${examples.length} rows, fewer than the ${options.rows} asked: the verdict rests on ${examples.length}` +
        (checks.some((c) => c.verdict === 'indicative') ? ` (${checks.filter((c) => c.verdict === 'indicative').map((c) => c.name).join(', ')} only indicative)` : '')
      : undefined;
  return {
    ...base,
    verdict: failed.length ? 'fail' : 'pass',
    reason: failed.length
      ? failed.map((c) => `${c.name} ${c.value} is not ${c.limit}`).join('; ')
      : `${n} predictions follow the reference distribution (p = ${fit.pValue}, PSI = ${fit.psi})${accuracy !== undefined ? `, accuracy ${accuracy}` : ''}`,
    rowsSent: rows.length,
    failedRequests,
    note,
    classes,
    counts,
    observed: fit.observed,
    expected: fit.expected,
    chiSquare: fit.chiSquare,
    degreesOfFreedom: fit.degreesOfFreedom,
    pValue: fit.pValue,
    psi: fit.psi,
    accuracy,
    referenceAccuracy,
    thresholds: { ...options.thresholds, accuracyMargin: margin },
    checks,
  };
}
