import { LoadResult } from '../report/report-types';
import { round } from './accuracy-margin';
import { LiveStatus, LoadShape, runLoadShape } from './load-runner';
import { predictPath } from './predictions';

export interface LoadOptions {
  shape: LoadShape;
  sloP99Ms?: number;
  sloSource: string;
  /** Share of requests that may fail (default 0: none). */
  maxErrorRate: number;
  onTick?: (status: LiveStatus) => void;
}

/** Open loop: the achieved rate must be within this share of the rate asked for. */
export const RATE_TOLERANCE = 0.05;

/**
 * Load testing: `n` users calling `x` times a minute (open loop) or `c` clients back to back (closed
 * loop) on the model's :predict route, the bodies made from the data rows in turn. Fails on errors, on
 * an open-loop rate the server could not keep up with, and on a p99 above the SLO.
 */
export async function runLoad(baseUrl: string, apiKey: string | undefined, model: string, instances: unknown[], options: LoadOptions): Promise<LoadResult> {
  const bodies = instances.map((instance) => JSON.stringify({ instances: [instance] }));
  const { shape } = options;
  const run = await runLoadShape(baseUrl, apiKey, predictPath(model), bodies, shape, options.onTick);
  const { record } = run;
  const latencyMs = record.summary();
  const achievedRate = round(record.okCount / run.elapsedSeconds, 2);
  const targetRate = shape.mode === 'open' ? round((shape.users * shape.ratePerUserPerMinute) / 60, 3) : undefined;
  const errorsByStatus = record.errorsByStatus();
  const problems: string[] = [];
  if (record.count === 0) problems.push('no request was answered');
  if (record.errorCount > options.maxErrorRate * record.count) {
    problems.push(`${record.errorCount} of ${record.count} requests failed (${Object.entries(errorsByStatus).map(([s, n]) => `${s}: ${n}`).join(', ')})`);
  }
  if (targetRate !== undefined && achievedRate < targetRate * (1 - RATE_TOLERANCE)) {
    problems.push(`achieved ${achievedRate} req/s of the ${targetRate} asked (more than ${RATE_TOLERANCE * 100}% short)`);
  }
  const held = options.sloP99Ms === undefined ? undefined : latencyMs.p99 <= options.sloP99Ms;
  if (held === false) problems.push(`p99 ${latencyMs.p99} ms is above the SLO of ${options.sloP99Ms} ms`);
  const what = shape.mode === 'open' ? `${shape.users} users x ${round(shape.ratePerUserPerMinute, 2)}/min` : `concurrency ${shape.concurrency}`;
  return {
    kind: 'load',
    verdict: problems.length ? 'fail' : 'pass',
    reason: problems.length
      ? problems.join('; ')
      : `${what}: ${achievedRate} req/s, p99 ${latencyMs.p99} ms${held ? ` within the ${options.sloP99Ms} ms SLO` : ''}, no errors`,
    mode: shape.mode,
    ...(shape.mode === 'open' ? { users: shape.users, ratePerUserPerMinute: shape.ratePerUserPerMinute, targetRate } : {}),
    connections: run.connections,
    durationSeconds: shape.durationSeconds,
    requests: record.count,
    ok: record.okCount,
    achievedRate,
    latencyMs,
    errorsByStatus,
    slo: { p99Ms: options.sloP99Ms, source: options.sloSource, held },
    distinctBodies: bodies.length,
    timeline: record.timeline(),
  };
}
