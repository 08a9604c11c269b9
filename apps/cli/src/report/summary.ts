import { KindResult, TestReport } from './report-types';

/** The few lines a person reads in a terminal or a CI log: one per kind, its verdict and its figures. */
export function summaryLines(report: TestReport): string[] {
  const lines = [`modelgate test ${report.model.name} (version ${report.model.version}) at ${report.url}`];
  for (const kind of report.kinds) lines.push(`  ${kind.verdict.toUpperCase().padEnd(7)} ${label(kind).padEnd(15)} ${figures(kind)}`);
  lines.push(`${report.verdict === 'pass' ? 'PASSED' : 'FAILED'}: ${report.kinds.filter((k) => k.verdict === 'fail').map(label).join(', ') || 'every kind passed or was skipped'}`);
  return lines;
}

function label(kind: KindResult): string {
  return { functional: 'functional', statistical: 'statistical', errors: 'error handling', load: 'load' }[kind.kind];
}

function figures(kind: KindResult): string {
  if (kind.verdict === 'skipped') return kind.reason;
  switch (kind.kind) {
    case 'functional':
      return `${kind.correct}/${kind.examples} as expected, accuracy ${kind.accuracy} (needs >= ${kind.minAccuracy}), ${kind.mismatches.length} mismatches`;
    case 'statistical':
      return (
        `${kind.rowsSent} rows: chi-square ${kind.chiSquare} (df ${kind.degreesOfFreedom}) p = ${kind.pValue}, PSI ${kind.psi}` +
        (kind.accuracy !== undefined ? `, accuracy ${kind.accuracy}` : '') +
        (kind.verdict === 'fail' ? ` — ${kind.reason}` : '') +
        (kind.note ? ` (${kind.note})` : '')
      );
    case 'errors':
      return `${kind.cases.filter((c) => c.verdict === 'pass').length}/${kind.cases.length} wrong requests answered 4xx with an error body; live after: ${kind.liveAfter ? 'yes' : 'no'}` +
        (kind.verdict === 'fail' ? ` — ${kind.reason}` : '');
    case 'load':
      return loadFigures(kind) + (kind.verdict === 'fail' ? ` — ${kind.reason}` : '');
  }
}

export function loadFigures(kind: Extract<KindResult, { kind: 'load' }>): string {
  const errors = Object.entries(kind.errorsByStatus).map(([s, n]) => `${s}: ${n}`).join(', ') || 'none';
  const target = kind.targetRate !== undefined ? ` of ${kind.targetRate} asked` : '';
  const slo = kind.slo.p99Ms === undefined ? 'no SLO declared' : `SLO ${kind.slo.p99Ms} ms ${kind.slo.held ? 'held' : 'missed'}`;
  return `${kind.achievedRate} req/s${target}, ${kind.requests} requests, p50 ${kind.latencyMs.p50} p95 ${kind.latencyMs.p95} p99 ${kind.latencyMs.p99} ms, errors ${errors}, ${slo}`;
}
