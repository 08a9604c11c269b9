import { barChartsSvg } from '@app/charts';
import { latencyChartSvg } from './latency-chart';
import { ErrorHandlingResult, FunctionalResult, KindResult, LoadResult, StatisticalResult, TestReport } from './report-types';

const esc = (v: unknown) =>
  String(v ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Mismatches shown in the page; report.json keeps all of them. */
const MAX_ROWS = 200;

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #111; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { display: inline-block; padding: .1rem .5rem; border-radius: .25rem; font-weight: bold; font-size: .85rem; }
.pass { background: #d1fae5; color: #065f46; } .fail { background: #fee2e2; color: #991b1b; }
.skipped, .indicative { background: #e5e7eb; color: #374151; }
.reason { color: #333; } .note { color: #555; font-size: .9rem; } figure { margin: 1rem 0; } svg { max-width: 100%; height: auto; }
`;

/** report.html: one file, no scripts and nothing fetched (styles and SVG charts inline), readable offline. */
export function reportHtml(report: TestReport): string {
  const kinds = report.kinds.map(section).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>modelgate test: ${esc(report.model.name)}</title><style>${STYLE}</style></head>
<body>
<h1>modelgate test: ${esc(report.model.name)} ${badge(report.verdict)}</h1>
<table>
<tr><th>model</th><td>${esc(report.model.name)} version ${esc(report.model.version)}${report.model.description ? ` — ${esc(report.model.description)}` : ''}</td></tr>
<tr><th>server</th><td>${esc(report.url)}</td></tr>
<tr><th>inputs</th><td>${report.model.inputs.map((i) => `${esc(i.name)} ${esc(i.datatype)} [${i.shape.join(',')}]`).join('<br>')}</td></tr>
<tr><th>labels</th><td>${esc(report.model.labels?.join(', ') ?? '(none: values)')}</td></tr>
${report.data ? `<tr><th>data</th><td>${esc(report.data.file)}: ${report.data.rows} rows, ${report.data.labelled} with an expected answer</td></tr>` : ''}
<tr><th>run</th><td>${esc(report.startedAt)} to ${esc(report.finishedAt)}</td></tr>
</table>
<table><tr><th>kind</th><th>verdict</th><th>why</th></tr>
${report.kinds.map((k) => `<tr><td>${esc(title(k))}</td><td>${badge(k.verdict)}</td><td>${esc(k.reason)}</td></tr>`).join('\n')}
</table>
${kinds}
</body>
</html>
`;
}

function title(kind: KindResult): string {
  return { functional: 'Functional', statistical: 'Statistical', errors: 'Error handling', load: 'Load' }[kind.kind];
}

const badge = (verdict: string) => `<span class="verdict ${esc(verdict)}">${esc(verdict.toUpperCase())}</span>`;
const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: unknown) => `<td class="num">${esc(v ?? '—')}</td>`;

function section(kind: KindResult): string {
  const body =
    kind.kind === 'functional' ? functional(kind) : kind.kind === 'statistical' ? statistical(kind) : kind.kind === 'errors' ? errors(kind) : load(kind);
  return `<section id="${kind.kind}"><h2>${esc(title(kind))} ${badge(kind.verdict)}</h2><p class="reason">${esc(kind.reason)}</p>${kind.verdict === 'skipped' ? '' : body}</section>`;
}

function functional(r: FunctionalResult): string {
  const rows = r.mismatches.slice(0, MAX_ROWS);
  return `<table>
<tr><th>rows with an expected answer</th>${num(r.examples)}</tr>
<tr><th>${r.mode === 'labels' ? 'correct' : 'within tolerance'}</th>${num(r.correct)}</tr>
<tr><th>${r.mode === 'labels' ? 'accuracy' : 'share within tolerance'}</th>${num(r.accuracy)}</tr>
<tr><th>required</th><td>${esc(r.minAccuracy)} (${esc(r.minAccuracySource)})</td></tr>
${r.meanAbsoluteError !== undefined ? `<tr><th>mean absolute error</th>${num(r.meanAbsoluteError)}</tr><tr><th>tolerance</th>${num(r.tolerance)}</tr>` : ''}
<tr><th>failed requests</th>${num(r.failedRequests)}</tr>
</table>
${rows.length ? `<h3>Mismatches (${r.mismatches.length})</h3><table><tr><th>line</th><th>input</th><th>expected</th><th>got</th><th>score</th></tr>
${rows.map((m) => `<tr>${num(m.line)}<td>${esc(m.input)}</td><td>${esc(shown(m.expected))}</td><td>${esc(shown(m.got))}</td>${num(m.score?.toFixed(4))}</tr>`).join('\n')}
</table>${r.mismatches.length > MAX_ROWS ? `<p class="note">The first ${MAX_ROWS} of ${r.mismatches.length}; report.json lists all.</p>` : ''}` : ''}`;
}

function statistical(r: StatisticalResult): string {
  const chart = barChartsSvg(
    'Predicted classes against the reference distribution',
    [
      {
        title: `Share of ${r.rowsSent - r.failedRequests} predictions per class`,
        unit: '%',
        groups: r.classes,
        series: ['reference', 'predicted'],
        values: r.classes.map((c) => [100 * (r.expected[c] ?? 0), 100 * (r.observed[c] ?? 0)]),
      },
    ],
    `reference: model.json reference.classDistribution; chi-square ${r.chiSquare} (df ${r.degreesOfFreedom}), p = ${r.pValue}; PSI = ${r.psi}`,
  );
  return `${r.note ? `<p class="note">${esc(r.note)}</p>` : ''}
<figure>${chart}</figure>
<table><tr><th>class</th><th>predicted</th><th>predicted share</th><th>reference share</th></tr>
${r.classes.map((c) => `<tr><td>${esc(c)}</td>${num(r.counts[c])}${num(r.observed[c])}${num(r.expected[c])}</tr>`).join('\n')}
</table>
<table><tr><th>check</th><th>value</th><th>limit</th><th>verdict</th><th>note</th></tr>
${r.checks.map((c) => `<tr><td>${esc(c.name)}</td>${num(c.value)}<td>${esc(c.limit)}</td><td>${badge(c.verdict)}</td><td>${esc(c.note)}</td></tr>`).join('\n')}
</table>
<p class="note">${r.rowsSent} rows sent one request each, without their labels (${r.rowsAvailable} in the data, ${r.rowsAsked} asked);
thresholds from the configuration: drift.pValueThreshold ${r.thresholds.pValue}, drift.psiThreshold ${r.thresholds.psi}, drift.minSamples ${r.thresholds.minSamples}.</p>`;
}

function errors(r: ErrorHandlingResult): string {
  return `<table><tr><th>case</th><th>request</th><th>sent</th><th>status</th><th>error message</th><th>verdict</th></tr>
${r.cases.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(`${c.method} ${c.path}`)}</td><td>${esc(c.sent)}</td>${num(c.status || 'none')}<td>${esc(c.error ?? c.problem)}</td><td>${badge(c.verdict)}</td></tr>`).join('\n')}
</table>
<p class="note">Afterwards: GET /v2/health/live ${r.liveAfter ? 'answered 200' : 'did not answer 200'}; a good request ${r.servesAfter ? 'answered 200' : 'did not answer 200'}.</p>`;
}

function load(r: LoadResult): string {
  const errorsText = Object.entries(r.errorsByStatus).map(([s, n]) => `${s}: ${n}`).join(', ') || 'none';
  return `<table>
<tr><th>mode</th><td>${r.mode === 'open' ? `open loop: ${r.users} users x ${r.ratePerUserPerMinute}/min = ${r.targetRate} req/s on ${r.connections} connections` : `closed loop: ${r.connections} connections back to back`}</td></tr>
<tr><th>duration</th>${num(`${r.durationSeconds} s`)}</tr>
<tr><th>requests</th>${num(r.requests)}</tr>
<tr><th>achieved rate (2xx/s)</th>${num(r.achievedRate)}</tr>
<tr><th>latency p50 / p95 / p99 / max</th>${num(`${r.latencyMs.p50} / ${r.latencyMs.p95} / ${r.latencyMs.p99} / ${r.latencyMs.max} ms`)}</tr>
<tr><th>errors</th><td>${esc(errorsText)}</td></tr>
<tr><th>p99 SLO</th><td>${r.slo.p99Ms === undefined ? `none declared (${esc(r.slo.source)})` : `${r.slo.p99Ms} ms (${esc(r.slo.source)}): ${r.slo.held ? 'held' : 'missed'}`}</td></tr>
</table>
<figure>${latencyChartSvg('Latency over time', r.timeline, r.slo.p99Ms)}</figure>
<p class="note">Bodies are the data rows in turn (${r.distinctBodies} distinct): repeats may be answered from the prediction cache.</p>`;
}
