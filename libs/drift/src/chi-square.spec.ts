import { chiSquareGoodnessOfFit, chiSquareSurvival, logGamma } from './chi-square';

describe('chi-square', () => {
  it('matches tabulated critical values', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(6.6348966010212145, 1)).toBeCloseTo(0.01, 10);
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(0.454936423119572, 1)).toBeCloseTo(0.5, 10);
  });

  it('computes log-gamma', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10);
  });

  it('tests observed counts against expected proportions', () => {
    const fit = chiSquareGoodnessOfFit([60, 40], [0.5, 0.5]);
    expect(fit.statistic).toBeCloseTo(4, 12);
    expect(fit.degreesOfFreedom).toBe(1);
    expect(fit.pValue).toBeCloseTo(0.0455, 4);
    expect(chiSquareGoodnessOfFit([50, 50], [0.5, 0.5]).pValue).toBe(1);
  });
});
