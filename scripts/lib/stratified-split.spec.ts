import { mulberry32 } from './prng';
import { stratifiedHoldout } from './stratified-split';

describe('stratifiedHoldout', () => {
  const labels = [...Array(70).fill('a'), ...Array(30).fill('b')] as string[];

  it('holds out exactly the requested rows, in proportion to each class', () => {
    const { train, holdout } = stratifiedHoldout(labels, 10, 42);
    expect(holdout).toHaveLength(10);
    expect(holdout.filter((row) => labels[row] === 'a')).toHaveLength(7);
    expect([...train, ...holdout].sort((a, b) => a - b)).toEqual(labels.map((_, row) => row));
  });

  it('gives leftover rows to the largest remainders', () => {
    const { holdout } = stratifiedHoldout(labels, 11, 1);
    expect(holdout.filter((row) => labels[row] === 'a')).toHaveLength(8); // 7.7 -> 8, 3.3 -> 3
  });

  it('is a function of the seed', () => {
    expect(stratifiedHoldout(labels, 10, 42)).toEqual(stratifiedHoldout(labels, 10, 42));
    expect(stratifiedHoldout(labels, 10, 42)).not.toEqual(stratifiedHoldout(labels, 10, 43));
  });
});

describe('mulberry32', () => {
  it('is pinned: a different sequence would change every committed model', () => {
    const random = mulberry32(42);
    expect([random(), random(), random()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });
});
