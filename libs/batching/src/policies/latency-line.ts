/** A latency quantile observed for batches of about `rows` rows. */
export interface LatencyPoint {
  /** Batch size the quantile stands for. */
  rows: number;
  /** Largest batch behind it: the edge of what has actually been observed. */
  maxRows: number;
  latencyMs: number;
  weight: number;
}

/** latency ≈ fixed + perRow · rows */
export interface LatencyLine {
  fixed: number;
  perRow: number;
}

/**
 * Weighted least squares through the points. When the points span fewer than `minSpan` rows, a free
 * intercept would be fitted to noise (two neighbouring sizes can give any slope), so the line is drawn
 * through the origin instead: with a real fixed cost above zero that overstates the cost of larger
 * batches, which errs on the side of the SLO when the limit is raised.
 */
export function fitLatencyLine(points: readonly LatencyPoint[], minSpan: number): LatencyLine {
  let w = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let minRows = Infinity;
  let maxRows = -Infinity;
  for (const p of points) {
    w += p.weight;
    sx += p.weight * p.rows;
    sy += p.weight * p.latencyMs;
    sxx += p.weight * p.rows * p.rows;
    sxy += p.weight * p.rows * p.latencyMs;
    minRows = Math.min(minRows, p.rows);
    maxRows = Math.max(maxRows, p.rows);
  }
  const denominator = w * sxx - sx * sx;
  if (points.length < 2 || maxRows - minRows < minSpan || denominator <= 0) {
    return { fixed: 0, perRow: sx > 0 ? sy / sx : 0 };
  }
  const perRow = (w * sxy - sx * sy) / denominator;
  return { fixed: (sy - perRow * sx) / w, perRow };
}
