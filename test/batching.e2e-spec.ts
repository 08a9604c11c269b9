import { cpSync, mkdirSync } from 'fs';
import { join } from 'path';
import request from 'supertest';
import { ModelBatchers } from '@app/dataplane';
import { ModelRegistry } from '@app/models';
import { OnnxGraphBuilder } from '../scripts/onnx/onnx-graph-builder';
import { runOnnxDirect } from './support/direct-onnx';
import { scrape, valueOf } from './support/metrics';
import { ensureMlpBench, mlpRow } from './support/mlp-bench';
import { tempRepository, writeModelJson, writeVersion } from './support/model-repo';
import { RunningApp, startInference } from './support/test-app';

/** Many single-row requests at once, as clients would send them. */
function burst(app: RunningApp, model: string, rows: unknown[], extra: Record<string, unknown> = {}) {
  return Promise.all(rows.map((row) => request(app.url).post(`/v1/models/${model}:predict`).send({ instances: [row], ...extra })));
}

describe('dynamic batching over HTTP (mlp-bench, real worker threads)', () => {
  let repo: string;
  let expected: number[][];
  const rows = Array.from({ length: 48 }, (_, i) => mlpRow(i));

  beforeAll(async () => {
    repo = tempRepository();
    cpSync(ensureMlpBench(), join(repo, 'mlp-bench'), { recursive: true });
    const direct = await runOnnxDirect(join(repo, 'mlp-bench/1/model.onnx'), { input: { data: rows.flat(), dims: [rows.length, 784] } });
    expected = rows.map((_, i) => direct.probabilities.slice(i * 10, i * 10 + 10));
  });

  function expectCorrect(res: request.Response, i: number): void {
    expect(res.status).toBe(200);
    const got = res.body.predictions[0] as number[];
    got.forEach((p, c) => expect(p).toBeCloseTo(expected[i][c], 5));
  }

  describe('under concurrent load', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startInference({ models: { repository: repo }, batching: { policy: 'fixed', maxBatchSize: 32, maxDelayMs: 5 } });
    });
    afterAll(() => app.close());

    it('gathers concurrent requests into batches and answers each caller its own row', async () => {
      // An idle batcher dispatches at once, so on a loaded machine single-row requests that trickle in
      // can each run alone. A long request first keeps the only instance busy (mlp-bench has one), so
      // the burst queues behind it, as it would behind real traffic, and must come out batched.
      // Distinct rows (the first 11 values spell r in binary), so the per-row cache cannot shrink it.
      const blockerRows = Array.from({ length: 2048 }, (_, r) => Array.from({ length: 784 }, (_, i) => (i < 11 ? (r >> i) & 1 : (i + r) % 2)));
      const batcher = app.app.get(ModelBatchers).for(app.app.get(ModelRegistry).resolve('mlp-bench'));
      let answered = false;
      const blocker = request(app.url).post('/v1/models/mlp-bench:predict').send({ instances: blockerRows }).then((res) => ((answered = true), res));
      while (batcher.stats().inFlight === 0 && !answered) await new Promise((resolve) => setTimeout(resolve, 1));
      const [blocked, responses] = await Promise.all([blocker, burst(app, 'mlp-bench', rows)]);
      expect(blocked.status).toBe(200);
      expect(blocked.body.predictions).toHaveLength(blockerRows.length);
      responses.forEach((res, i) => expectCorrect(res, i));
      const samples = await scrape(app.url);
      const labels = { model: 'mlp-bench', version: '1' };
      const burstBatches = valueOf(samples, 'modelgate_batch_size_rows_count', labels) - 1;
      const batchedRows = valueOf(samples, 'modelgate_batch_size_rows_sum', labels);
      expect(batchedRows).toBe(rows.length + blockerRows.length); // warmup runs on the pool directly, not through the batcher
      expect(burstBatches).toBeLessThan(rows.length / 2);
      expect(valueOf(samples, 'modelgate_batch_size_rows_bucket', { ...labels, le: '1' })).toBeLessThan(burstBatches);
    });

    it('reports batch limits, queue wait and compute time per model in /metrics', async () => {
      const samples = await scrape(app.url);
      expect(valueOf(samples, 'modelgate_batch_limit_rows', { model: 'mlp-bench', version: '1' })).toBe(32);
      expect(valueOf(samples, 'modelgate_batch_queue_wait_seconds_count', { model: 'mlp-bench' })).toBeGreaterThan(0);
      expect(valueOf(samples, 'modelgate_batch_compute_seconds_count', { model: 'mlp-bench' })).toBeGreaterThan(0);
      expect(valueOf(samples, 'modelgate_model_version_state', { model: 'mlp-bench', version: '1', state: 'AVAILABLE' })).toBe(1);
    });
  });

  describe('overload', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startInference({ models: { repository: repo }, batching: { policy: 'fixed', maxBatchSize: 1, maxQueue: 1 } });
    });
    afterAll(() => app.close());

    it('refuses what the bounded queue cannot hold with 503 and Retry-After, and every 200 is correct', async () => {
      const responses = await burst(app, 'mlp-bench', [...rows, ...rows, ...rows]);
      const refused = responses.filter((r) => r.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      for (const res of refused) {
        expect(res.body.code).toBe('OVERLOADED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      responses.forEach((res, i) => res.status === 200 && expectCorrect(res, i % rows.length));
      expect(responses.filter((r) => r.status === 200).length + refused.length).toBe(responses.length);
      const samples = await scrape(app.url);
      expect(valueOf(samples, 'modelgate_requests_rejected_total', { model: 'mlp-bench', reason: 'queue_full' })).toBe(refused.length);
      await request(app.url).get('/health/live').expect(200);
    });
  });

  describe('deadlines', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startInference({ models: { repository: repo }, batching: { policy: 'fixed', maxBatchSize: 1 }, server: { requestTimeoutMs: 3 } });
    });
    afterAll(() => app.close());

    it('answers 504 for requests whose deadline passes while queued, and never runs them', async () => {
      const responses = await burst(app, 'mlp-bench', rows);
      const late = responses.filter((r) => r.status === 504);
      expect(late.length).toBeGreaterThan(0);
      for (const res of late) expect(res.body).toEqual({ error: expect.stringMatching(/deadline/i), code: 'DEADLINE_EXCEEDED' });
      responses.forEach((res, i) => res.status === 200 && expectCorrect(res, i));
      const samples = await scrape(app.url);
      const ran = valueOf(samples, 'modelgate_batch_size_rows_sum', { model: 'mlp-bench' });
      expect(ran).toBe(responses.length - late.length);
    });
  });
});

describe('free dimensions of different sizes', () => {
  /** x [batch, 1, length] -> sum over the length: trailing zeros change nothing, so padding is safe. */
  function sumModel(): Uint8Array {
    return new OnnxGraphBuilder('sum_pool', 'sum of a variable-length row')
      .input('x', ['batch', 1, 'length'])
      .output('sum', ['batch', 1, 1])
      .globalLpPool('x', 'sum', 1)
      .build();
  }

  async function sums(mode: 'group' | 'pad'): Promise<{ results: number[]; batches: number }> {
    const repo = tempRepository();
    mkdirSync(join(repo, 'summer'));
    writeVersion(repo, 'summer', 1, sumModel());
    writeModelJson(repo, 'summer', { batching: { freeDims: mode, policy: 'fixed', maxBatchSize: 64, maxDelayMs: 20 } });
    const app = await startInference({ models: { repository: repo } });
    try {
      const inputs = Array.from({ length: 12 }, (_, i) => [Array.from({ length: 2 + (i % 3) }, (_, k) => k + 1)]);
      const responses = await burst(app, 'summer', inputs);
      const results = responses.map((r) => {
        expect(r.status).toBe(200);
        return r.body.predictions[0][0][0] as number;
      });
      return { results, batches: valueOf(await scrape(app.url), 'modelgate_batch_size_rows_count', { model: 'summer' }) };
    } finally {
      await app.close();
    }
  }

  it('keeps requests of different lengths in separate batches by default, answering each correctly', async () => {
    const { results, batches } = await sums('group');
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => [3, 6, 10][i % 3]));
    expect(batches).toBeGreaterThanOrEqual(3);
  });

  it('pads requests of different lengths into shared batches when model.json asks for it', async () => {
    const { results } = await sums('pad');
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => [3, 6, 10][i % 3]));
  });
});
