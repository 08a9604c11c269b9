/**
 * Prior matching for a two-class model. Logistic regression trained on imbalanced classes tends to
 * under-predict the minority class, and the statistical test requires the hold-out's predicted class
 * mix to match the training mix (chi-square). Shifting the intercept so the predicted mix matches
 * the known prior fixes that at almost no cost in accuracy, and is invisible at serving time.
 *
 * `margins[i]` is logit(class 1) - logit(class 0) for a training row; the answer is the amount to
 * add to the class-1 bias so that exactly round(n * fractionOfClass1) rows are predicted class 1.
 */
export function priorMatchingShift(margins: Float64Array, fractionOfClass1: number): number {
  const sorted = Float64Array.from(margins).sort().reverse(); // descending
  const wanted = Math.round(sorted.length * fractionOfClass1);
  if (wanted <= 0) return -sorted[0] - 1;
  if (wanted >= sorted.length) return -sorted[sorted.length - 1] + 1;
  // Put the boundary halfway between the last row that should be class 1 and the first that should not.
  return -(sorted[wanted - 1] + sorted[wanted]) / 2;
}
