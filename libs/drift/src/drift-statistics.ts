import { chiSquareGoodnessOfFit } from './chi-square';

export interface DistributionComparison {
  samples: number;
  /** Fraction of the window per class, in the reference's class order. */
  observed: Record<string, number>;
  expected: Record<string, number>;
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Population stability index: sum over classes of (a - e) * ln(a / e). */
  psi: number;
}

/** Below this share a class counts as this share, so that PSI stays finite for a class never predicted. */
const PSI_FLOOR = 1e-4;

/**
 * The live predicted-class counts against the training distribution, by both of the usual measures:
 * chi-square goodness of fit (is the difference more than chance?) and PSI (how large is the shift?).
 */
export function compareWithReference(counts: Record<string, number>, reference: Record<string, number>): DistributionComparison {
  const classes = Object.keys(reference);
  const samples = classes.reduce((n, c) => n + (counts[c] ?? 0), 0);
  const refTotal = classes.reduce((n, c) => n + reference[c], 0);
  const observed: Record<string, number> = {};
  const expected: Record<string, number> = {};
  let psi = 0;
  for (const c of classes) {
    const a = samples > 0 ? (counts[c] ?? 0) / samples : 0;
    const e = reference[c] / refTotal;
    observed[c] = round(a);
    expected[c] = round(e);
    const [af, ef] = [Math.max(a, PSI_FLOOR), Math.max(e, PSI_FLOOR)];
    psi += (af - ef) * Math.log(af / ef);
  }
  const fit =
    samples > 0
      ? chiSquareGoodnessOfFit(classes.map((c) => counts[c] ?? 0), classes.map((c) => reference[c]))
      : { statistic: 0, degreesOfFreedom: classes.length - 1, pValue: 1 };
  return { samples, observed, expected, chiSquare: round(fit.statistic), degreesOfFreedom: fit.degreesOfFreedom, pValue: round(fit.pValue), psi: round(psi) };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
