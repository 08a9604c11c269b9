import { cpSync, readFileSync } from 'fs';
import { join } from 'path';
import request from 'supertest';
import { ModelBatchers } from '@app/dataplane';
import { ModelRegistry } from '@app/models';
import { scrape, valueOf } from './support/metrics';
import { ensureMlpBench, mlpRow } from './support/mlp-bench';
import { tempRepository } from './support/model-repo';
import { until } from './support/poll';
import { RunningApp, startAllInOne, startInference } from './support/test-app';
import { ROOT } from './support/test-config';

/** The metric names /metrics declares (its # TYPE lines): every metric, with samples yet or not. */
async function declaredMetrics(url: string): Promise<Map<string, string>> {
  const text = (await request(url).get('/metrics').expect(200)).text;
  const types = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1], m[2]);
  return types;
}

/** README's metrics table: each row's backticked names in the first column, with the row's type. */
function readmeMetricsTable(): Map<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Metrics'));
  const table = section.slice(section.indexOf('| series |'), section.indexOf('\n\n', section.indexOf('| series |')));
  const rows = new Map<string, string>();
  for (const line of table.split('\n').slice(2)) {
    const [, names, type] = line.split('|').map((c) => c.trim());
    for (const m of names.matchAll(/`([a-zA-Z_:][\w:]*)`/g)) rows.set(m[1], type);
  }
  return rows;
}

const IRIS = { instances: [[5.1, 3.5, 1.4, 0.2]] };
const IRIS_V2 = { inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }] };

describe('metrics of the all-in-one app', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAllInOne();
  });
  afterAll(() => app?.close());

  it('names the default Node.js metrics as stock dashboards expect (process_*, nodejs_*), with no modelgate_process_ prefix', async () => {
    const names = [...(await declaredMetrics(app.url)).keys()];
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds']) {
      expect(names).toContain(name);
    }
    expect(names.filter((n) => n.startsWith('modelgate_process_'))).toEqual([]);
    expect(names.filter((n) => !/^(modelgate|process|nodejs)_/.test(n))).toEqual([]);
  });

  it('counts requests per model, version, protocol and outcome, their duration, rows answered and batches run', async () => {
    const before = await scrape(app.url);
    const labels = { model: 'iris', version: '1' };
    await request(app.url).post('/v1/models/iris:predict').send(IRIS).expect(200);
    await request(app.url).post('/v2/models/iris/infer').send(IRIS_V2).expect(200);
    const after = await scrape(app.url);
    const delta = (name: string, l: Record<string, string>) => valueOf(after, name, l) - valueOf(before, name, l);
    expect(delta('modelgate_predictions_total', { ...labels, protocol: 'tfserving', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(delta('modelgate_predictions_total', { ...labels, protocol: 'v2', outcome: 'success' })).toBe(1);
    expect(delta('modelgate_prediction_duration_seconds_count', { ...labels, protocol: 'v2' })).toBe(1);
    expect(valueOf(after, 'modelgate_prediction_duration_seconds_bucket', { ...labels, protocol: 'v2', le: '+Inf' })).toBeGreaterThanOrEqual(1);
    // Rows answered count every row (the V2 request had 2), from the cache or the model; batches only those run.
    expect(delta('modelgate_inferences_total', labels)).toBeGreaterThanOrEqual(3);
    expect(delta('modelgate_executions_total', labels)).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'modelgate_executions_total', labels)).toBe(valueOf(after, 'modelgate_batch_size_rows_count', labels));
    expect(valueOf(after, 'modelgate_batch_pending_rows', labels)).toBe(0);
    expect(valueOf(after, 'modelgate_readiness_check', { check: 'redis' })).toBe(1);
    expect(valueOf(after, 'modelgate_readiness_check', { check: 'models' })).toBe(1);
  });

  it('keeps label values bounded: route templates, never a raw URL, and no series for a model that does not exist', async () => {
    await request(app.url).get('/no/such/route/4f1c9e?x=1').expect(404);
    await request(app.url).post('/v1/models/ghost-7d2a:predict').send(IRIS).expect(404);
    await request(app.url).post('/v2/models/ghost-7d2a/infer').send(IRIS_V2).expect(404);
    await request(app.url).get('/v1/models/iris/versions/987654').expect(404);
    const samples = await scrape(app.url);
    const values = samples.flatMap((s) => Object.values(s.labels));
    expect(values.filter((v) => /4f1c9e|ghost-7d2a|987654/.test(v))).toEqual([]);
    const routes = new Set(samples.filter((s) => s.name === 'modelgate_http_requests_total').map((s) => s.labels.route));
    expect(routes).toContain('unmatched');
    expect([...routes].filter((r) => r !== 'unmatched' && !r.startsWith('/'))).toEqual([]);
    const models = new Set(samples.map((s) => s.labels.model).filter(Boolean));
    expect([...models].sort()).toEqual(['iris', 'name-gender', 'spam']);
  });

  it("lists every metric /metrics exposes in the README's metrics table with its type, and nothing it does not expose", async () => {
    const exposed = await declaredMetrics(app.url);
    const documented = readmeMetricsTable();
    expect([...exposed.keys()].filter((n) => !documented.has(n))).toEqual([]);
    expect([...documented.keys()].filter((n) => !exposed.has(n))).toEqual([]);
    expect([...exposed].filter(([n, type]) => documented.get(n) !== type)).toEqual([]);
  });
});

describe('modelgate_batch_pending_rows', () => {
  let app: RunningApp;
  beforeAll(async () => {
    const repo = tempRepository([]);
    cpSync(ensureMlpBench(), join(repo, 'mlp-bench'), { recursive: true });
    app = await startInference({ models: { repository: repo }, batching: { policy: 'fixed', maxBatchSize: 64, maxDelayMs: 5, maxQueue: 16_384 }, cache: { policy: 'off' } });
  });
  afterAll(() => app?.close());

  it('reports the rows waiting in a batcher while its only instance is busy, and 0 once they ran', async () => {
    const labels = { model: 'mlp-bench', version: '1' };
    const batcher = app.app.get(ModelBatchers).for(app.app.get(ModelRegistry).resolve('mlp-bench'));
    // A blocker of 8,192 rows holds the model's single instance for about a second; 5 rows queue behind it.
    const rows = 8192;
    const blocker = batcher.submit({ rows, input: { input: { datatype: 'FP32', dims: [rows, 784], data: new Float32Array(rows * 784).fill(0.5) } }, deadline: Infinity, groupKey: '' });
    await until(() => batcher.stats().inFlight > 0, 'the blocker to run', 10_000, 1);
    const waiting = Array.from({ length: 5 }, (_, i) => request(app.url).post('/v1/models/mlp-bench:predict').send({ instances: [mlpRow(i)] }).then((r) => r.status));
    await until(() => batcher.stats().queuedRows === 5, '5 rows queued', 10_000, 1);
    expect(valueOf(await scrape(app.url), 'modelgate_batch_pending_rows', labels)).toBe(5);
    await blocker;
    expect(await Promise.all(waiting)).toEqual([200, 200, 200, 200, 200]);
    expect(valueOf(await scrape(app.url), 'modelgate_batch_pending_rows', labels)).toBe(0);
  });
});
