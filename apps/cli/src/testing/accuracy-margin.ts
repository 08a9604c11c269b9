/**
 * How far below the reference accuracy a measured accuracy may fall on `n` rows: two standard errors of a
 * binomial proportion, and never less than 2 points (the statistical test suite's bound). 30 iris rows
 * allow 6.6 points, 1,000 rows 2: fewer rows weigh less in the verdict, as they should.
 */
export function accuracyMargin(reference: number, n: number): number {
  if (n <= 0) return 1;
  return Math.max(0.02, 2 * Math.sqrt((reference * (1 - reference)) / n));
}

export const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;
