/**
 * Chi-square goodness of fit: training scripts check hold-out predictions with it, the statistical
 * tests and drift reports compare live predictions with it. Nothing in node_modules provides the
 * distribution, and it is a few lines: P(X > x) for k degrees of freedom is Q(k/2, x/2), the
 * regularised upper incomplete gamma function (Numerical Recipes, ch. 6.2).
 */

export interface GoodnessOfFit {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/** Observed counts against expected proportions (which are normalised to sum 1). */
export function chiSquareGoodnessOfFit(observed: readonly number[], expectedProportions: readonly number[]): GoodnessOfFit {
  if (observed.length !== expectedProportions.length || observed.length < 2) {
    throw new Error('chi-square needs at least two classes and one expected proportion per observed count');
  }
  const total = observed.reduce((sum, n) => sum + n, 0);
  const proportionSum = expectedProportions.reduce((sum, p) => sum + p, 0);
  let statistic = 0;
  observed.forEach((count, k) => {
    const expected = (total * expectedProportions[k]) / proportionSum;
    statistic += ((count - expected) ** 2) / expected;
  });
  const degreesOfFreedom = observed.length - 1;
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/** P(X > x) for X ~ chi-square with k degrees of freedom. */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (x <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, x / 2);
}

/** Q(a, x) = 1 - P(a, x): the series converges fast for x < a + 1, the continued fraction elsewhere. */
export function regularizedGammaQ(a: number, x: number): number {
  if (x < 0 || a <= 0) throw new Error(`regularizedGammaQ needs a > 0 and x >= 0 (got a=${a}, x=${x})`);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - gammaPSeries(a, x) : gammaQContinuedFraction(a, x);
}

const EPSILON = 1e-15;
const MAX_ITERATIONS = 10_000;
const TINY = 1e-300;

function gammaPSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Modified Lentz evaluation of the continued fraction for Q. */
function gammaQContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Lanczos approximation (g = 7, n = 9), accurate to ~15 digits for positive arguments. */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const x = z - 1;
  let series = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i] / (x + i);
  const t = x + LANCZOS.length - 1.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(series);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
