import { mulberry32, shuffleInPlace } from './prng';

export interface Split {
  /** Row indices, ascending. */
  train: number[];
  holdout: number[];
}

/**
 * Holds out exactly `holdoutSize` rows with each class represented in proportion to its size
 * (largest remainder, ties to the class seen first), so the hold-out's class mix is the training mix.
 */
export function stratifiedHoldout(labels: readonly string[], holdoutSize: number, seed: number): Split {
  if (!Number.isInteger(holdoutSize) || holdoutSize < 0 || holdoutSize > labels.length) {
    throw new Error(`hold-out size ${holdoutSize} does not fit ${labels.length} rows`);
  }
  const rowsByClass = new Map<string, number[]>();
  labels.forEach((label, row) => {
    const rows = rowsByClass.get(label) ?? [];
    rows.push(row);
    rowsByClass.set(label, rows);
  });
  const classes = [...rowsByClass.keys()];
  const quotas = classes.map((label) => (holdoutSize * rowsByClass.get(label)!.length) / labels.length);
  const takes = quotas.map(Math.floor);
  const byRemainder = classes.map((_, i) => i).sort((a, b) => quotas[b] - takes[b] - (quotas[a] - takes[a]) || a - b);
  for (let k = 0; takes.reduce((sum, n) => sum + n, 0) < holdoutSize; k++) takes[byRemainder[k]]++;

  const random = mulberry32(seed);
  const holdout: number[] = [];
  const train: number[] = [];
  classes.forEach((label, i) => {
    const rows = shuffleInPlace([...rowsByClass.get(label)!], random);
    holdout.push(...rows.slice(0, takes[i]));
    train.push(...rows.slice(takes[i]));
  });
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), holdout: holdout.sort(ascending) };
}

/** Assigns each row to one of k folds, dealing each class's shuffled rows round-robin so folds are stratified. */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[] {
  const random = mulberry32(seed);
  const folds = new Array<number>(labels.length);
  let next = 0;
  for (const label of [...new Set(labels)]) {
    const rows = shuffleInPlace(labels.flatMap((l, row) => (l === label ? [row] : [])), random);
    for (const row of rows) folds[row] = next++ % k;
  }
  return folds;
}
