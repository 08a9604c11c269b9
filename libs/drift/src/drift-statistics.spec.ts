import { compareWithReference } from './drift-statistics';

describe('compareWithReference', () => {
  const reference = { ham: 0.7, spam: 0.3 };

  it('finds no drift in a window that matches the training distribution', () => {
    const r = compareWithReference({ ham: 702, spam: 298 }, reference);
    expect(r.samples).toBe(1000);
    expect(r.pValue).toBeGreaterThan(0.5);
    expect(r.psi).toBeLessThan(0.01);
  });

  it('flags a skewed window by both chi-square and PSI', () => {
    const r = compareWithReference({ ham: 300, spam: 700 }, reference);
    expect(r.pValue).toBeLessThan(1e-6);
    expect(r.psi).toBeGreaterThan(0.5);
    expect(r.observed).toEqual({ ham: 0.3, spam: 0.7 });
  });

  it('keeps PSI finite when a class is never predicted', () => {
    const r = compareWithReference({ ham: 100 }, reference);
    expect(Number.isFinite(r.psi)).toBe(true);
    expect(r.psi).toBeGreaterThan(1);
  });

  it('gives no verdict material for an empty window', () => {
    const r = compareWithReference({}, reference);
    expect(r).toMatchObject({ samples: 0, pValue: 1 });
  });
});
