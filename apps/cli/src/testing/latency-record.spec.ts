import { accuracyMargin } from './accuracy-margin';
import { LatencyRecord } from './latency-record';

describe('LatencyRecord', () => {
  it('gives nearest-rank quantiles, errors by status and a per-second timeline; unanswered requests have no latency', () => {
    const record = new LatencyRecord();
    for (let i = 1; i <= 100; i++) record.add(i * 10, i, 200);
    record.add(1500, 5, 503);
    record.add(1600, NaN, 0, 'timeout');
    expect(record.summary()).toMatchObject({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(record.errorsByStatus()).toEqual({ '503': 1, timeout: 1 });
    expect(record.okCount).toBe(100);
    expect(record.errorCount).toBe(2);
    const timeline = record.timeline();
    expect(timeline.map((p) => [p.second, p.requests, p.errors])).toEqual([
      [0, 99, 0],
      [1, 3, 2],
    ]);
  });
});

describe('accuracyMargin', () => {
  it('is two binomial standard errors and at least 2 points, so fewer rows allow more', () => {
    expect(accuracyMargin(0.984, 1000)).toBe(0.02);
    expect(accuracyMargin(0.9667, 30)).toBeCloseTo(0.0655, 3);
  });
});
