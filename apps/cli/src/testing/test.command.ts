import { loadCliConfig } from '../cli-config';
import { CliError, EXIT_FAILED } from '../cli-error';
import { Progress } from '../progress';
import { writeReport } from '../report/report-files';
import { KindResult, TestReport } from '../report/report-types';
import { summaryLines } from '../report/summary';
import { HttpClient } from '../server/http-client';
import { fetchModelInfo, ModelInfo } from '../server/model-info';
import { probeCount, runErrorHandling } from './error-handling';
import { runFunctional } from './functional';
import { LoadOptions, runLoad } from './load';
import { LoadShape } from './load-runner';
import { runStatistical } from './statistical';
import { sampleInstance } from '../data/sample-instance';
import { loadTestData } from './test-inputs';

export const KINDS = ['functional', 'statistical', 'errors', 'load'] as const;
export type Kind = (typeof KINDS)[number];

export interface LoadFlags {
  url: string;
  key?: string;
  users: number;
  rate: number;
  duration: number;
  concurrency?: number;
  sloMs?: number;
  maxErrorRate: number;
}

export interface TestFlags extends LoadFlags {
  data?: string;
  report?: string;
  rows: number;
  kinds: Kind[];
  labelField?: string;
  minAccuracy?: number;
  tolerance: number;
  parallel: number;
  batch: number;
  json?: boolean;
}

/** `modelgate test MODEL`: the four kinds against a running server, a report, and an exit status for CI. */
export async function testCommand(model: string, flags: TestFlags): Promise<number> {
  const progress = new Progress({ json: flags.json });
  const config = loadCliConfig();
  if (flags.kinds.includes('load')) loadShapeOf(flags);
  const client = new HttpClient(flags.url, flags.key);
  const startedAt = new Date().toISOString();
  try {
    const info = await fetchModelInfo(client, model);
    const data = loadTestData(info, flags.data, { labelField: flags.labelField });
    const instances = data.examples.length ? data.examples.map((e) => e.instance) : [sampleInstance(info.inputs)];
    const kinds: KindResult[] = [];
    const skip = (kind: Kind): boolean => !flags.kinds.includes(kind);
    if (!skip('functional')) {
      const labelled = data.examples.filter((e) => e.expected !== undefined).length;
      const task = progress.task('functional', labelled, 'rows');
      kinds.push(await runFunctional(client, info, data.examples, { ...flags, onProgress: (n) => task.update(n) }).finally(() => task.stop()));
    }
    if (!skip('statistical')) {
      const task = progress.task('statistical', Math.min(flags.rows, data.examples.length), 'requests');
      const thresholds = { pValue: config.drift.pValueThreshold, psi: config.drift.psiThreshold, minSamples: config.drift.minSamples };
      kinds.push(
        await runStatistical(client, info, data.examples, { rows: flags.rows, parallel: flags.parallel, thresholds, onProgress: (n) => task.update(n) }).finally(() =>
          task.stop(),
        ),
      );
    }
    if (!skip('errors')) {
      const task = progress.task('errors', probeCount(info), 'requests');
      kinds.push(await runErrorHandling(client, info, instances[0], config.server.bodyLimitBytes, (n) => task.update(n)).finally(() => task.stop()));
    }
    if (!skip('load')) kinds.push(await loadKind(flags, info, instances, progress));
    const report: TestReport = {
      tool: 'modelgate test',
      model: { name: info.name, version: info.version, description: info.description, inputs: info.inputs, outputs: info.outputs, labels: info.labels },
      url: flags.url,
      data: data.file ? { file: data.file, rows: data.examples.length, labelled: data.examples.filter((e) => e.expected !== undefined).length } : undefined,
      startedAt,
      finishedAt: new Date().toISOString(),
      verdict: kinds.some((k) => k.verdict === 'fail') ? 'fail' : 'pass',
      kinds,
    };
    const files = writeReport(flags.report ?? `modelgate-reports/${model}`, report);
    if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${[...summaryLines(report), `report: ${files.html}`, `        ${files.json}`].join('\n')}\n`);
    return report.verdict === 'pass' ? 0 : EXIT_FAILED;
  } finally {
    client.close();
  }
}

/** Open loop unless --concurrency; refused before anything runs when it would send nothing. */
export function loadShapeOf(flags: LoadFlags): LoadShape {
  const shape: LoadShape = flags.concurrency
    ? { mode: 'closed', concurrency: flags.concurrency, durationSeconds: flags.duration }
    : { mode: 'open', users: flags.users, ratePerUserPerMinute: flags.rate, durationSeconds: flags.duration };
  if (shape.mode === 'open' && (shape.users * shape.ratePerUserPerMinute * shape.durationSeconds) / 60 < 1) {
    throw new CliError(`${shape.users} users at ${shape.ratePerUserPerMinute}/min for ${shape.durationSeconds} s send no request: raise --rate or --duration`);
  }
  return shape;
}

/** The load kind, as `test` and `loadtest` run it. */
export async function loadKind(flags: LoadFlags, info: ModelInfo, instances: unknown[], progress: Progress) {
  const shape = loadShapeOf(flags);
  const slo: Pick<LoadOptions, 'sloP99Ms' | 'sloSource'> =
    flags.sloMs !== undefined
      ? { sloP99Ms: flags.sloMs, sloSource: '--slo-ms' }
      : info.sloP99Ms !== undefined
        ? { sloP99Ms: info.sloP99Ms, sloSource: 'model.json sloP99Ms' }
        : { sloSource: 'pass --slo-ms, or set sloP99Ms in model.json' };
  const live = progress.load('load', flags.duration);
  try {
    return await runLoad(flags.url, flags.key, info.name, instances, { shape, ...slo, maxErrorRate: flags.maxErrorRate, onTick: (s) => live.tick(s) });
  } finally {
    live.stop();
  }
}
