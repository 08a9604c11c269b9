import { Metadata } from '@grpc/grpc-js';
import request from 'supertest';
import { call, grpcAddress, InferenceClient, inferenceClient } from './support/grpc-client';
import { tempRepository, writeModelJson, readModelJson } from './support/model-repo';
import { RunningApp, startInference } from './support/test-app';

const IRIS_ROW = [5.1, 3.5, 1.4, 0.2];
const duration = { count: expect.any(Number), ns: expect.any(Number) };

/** Triton's model configuration and statistics extensions, field by field as Triton's protocol pages define them. */
describe("Triton's model configuration and statistics extensions", () => {
  let app: RunningApp;
  let client: InferenceClient;

  beforeAll(async () => {
    const repo = tempRepository(['iris', 'name-gender']);
    writeModelJson(repo, 'iris', { ...readModelJson(repo, 'iris'), batching: { maxBatchSize: 16, maxDelayMs: 3 } });
    app = await startInference({ models: { repository: repo } });
    client = inferenceClient(grpcAddress(app));
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  it('advertises both extensions in GET /v2', async () => {
    const res = await request(app.url).get('/v2').expect(200);
    expect(res.body.extensions).toEqual(expect.arrayContaining(['model_configuration', 'statistics']));
  });

  it("answers GET /v2/models/{name}/config with Triton's model configuration: types, dims without the batch dimension, batching, instances", async () => {
    const res = await request(app.url).get('/v2/models/iris/config').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      name: 'iris',
      platform: 'onnxruntime_onnx',
      backend: 'onnxruntime',
      version_policy: { latest: { num_versions: 1 } },
      max_batch_size: 16,
      input: [{ name: 'features', data_type: 'TYPE_FP32', dims: [4] }],
      output: [
        { name: 'probabilities', data_type: 'TYPE_FP32', dims: [3] },
        { name: 'label', data_type: 'TYPE_STRING', dims: [] },
      ],
      dynamic_batching: { preferred_batch_size: [16], max_queue_delay_microseconds: 3000 },
      instance_group: [{ name: 'iris', kind: 'KIND_CPU', count: 1 }],
      default_model_filename: 'model.onnx',
    });
    await request(app.url).get('/v2/models/iris/versions/1/config').expect(200, res.body);
    const bytes = (await request(app.url).get('/v2/models/name-gender/config').expect(200)).body;
    expect(bytes.input).toEqual([{ name: 'name', data_type: 'TYPE_STRING', dims: [] }]);
  });

  it('answers 404 with the JSON error body for the config of an unknown model or version', async () => {
    expect((await request(app.url).get('/v2/models/nope/config').expect(404)).body).toEqual({ error: "Model 'nope' not found", code: 'MODEL_NOT_FOUND' });
    expect((await request(app.url).get('/v2/models/iris/versions/5/config').expect(404)).body.code).toBe('MODEL_NOT_FOUND');
  });

  it('answers ModelConfig over gRPC with the same configuration as REST', async () => {
    const rest = (await request(app.url).get('/v2/models/iris/config').expect(200)).body;
    const { answer } = await call(client, 'ModelConfig', { name: 'iris' });
    expect(answer.config).toMatchObject({ ...rest, dynamic_batching: expect.objectContaining(rest.dynamic_batching) });
    expect(answer.config.scheduling_choice).toBe('dynamic_batching');
  });

  it('counts statistics from the real request path: they move with REST and gRPC requests, batches and cache hits', async () => {
    const before = (await request(app.url).get('/v2/models/iris/stats').expect(200)).body.model_stats[0];
    expect(before).toEqual({
      name: 'iris',
      version: '1',
      last_inference: expect.any(Number),
      inference_count: expect.any(Number),
      execution_count: expect.any(Number),
      inference_stats: {
        success: duration,
        fail: duration,
        queue: duration,
        compute_input: duration,
        compute_infer: duration,
        compute_output: duration,
        cache_hit: duration,
        cache_miss: duration,
      },
      batch_stats: expect.any(Array),
    });
    const row = [IRIS_ROW[0] + Math.random(), ...IRIS_ROW.slice(1)];
    await request(app.url).post('/v1/models/iris:predict').send({ instances: [row, row.map((x) => x + 1)] }).expect(200);
    await request(app.url).post('/v1/models/iris:predict').send({ instances: [row] }).expect(200); // a cache hit
    const raw = Buffer.from(new Float32Array(row.map((x) => x + 2)).buffer);
    await call(client, 'ModelInfer', { model_name: 'iris', inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4] }], raw_input_contents: [raw] });
    await request(app.url).post('/v2/models/iris/infer').send({ inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] }).expect(400);

    const after = (await request(app.url).get('/v2/models/iris/versions/1/stats').expect(200)).body.model_stats[0];
    const s0 = before.inference_stats;
    const s1 = after.inference_stats;
    expect(after.inference_count - before.inference_count).toBe(4); // rows: 2 + 1 + 1
    expect(s1.success.count - s0.success.count).toBe(3);
    expect(s1.cache_hit.count - s0.cache_hit.count).toBe(1);
    expect(s1.cache_miss.count - s0.cache_miss.count).toBe(2);
    expect(after.execution_count - before.execution_count).toBe(2); // the hit never reached the model
    expect(s1.compute_infer.count - s0.compute_infer.count).toBe(2);
    expect(s1.queue.count - s0.queue.count).toBe(2);
    expect(s1.success.ns).toBeGreaterThan(s0.success.ns);
    expect(after.last_inference).toBeGreaterThanOrEqual(Date.now() - 60_000);
    const sizes = after.batch_stats.map((b: { batch_size: number }) => b.batch_size);
    expect(sizes).toEqual(expect.arrayContaining([1, 2]));
    // A request that fails decoding never reaches the version, so it counts nowhere (as in Triton).
    expect(s1.fail.count).toBe(s0.fail.count);
  });

  it('answers GET /v2/models/stats for every available model, and ModelStatistics over gRPC the same', async () => {
    const all = (await request(app.url).get('/v2/models/stats').expect(200)).body.model_stats;
    expect(all.map((s: { name: string }) => s.name)).toEqual(['iris', 'name-gender']);
    const { answer } = await call(client, 'ModelStatistics', { name: 'iris' }, new Metadata());
    const rest = (await request(app.url).get('/v2/models/iris/stats').expect(200)).body;
    expect(answer.model_stats[0].inference_count).toBe(rest.model_stats[0].inference_count);
    expect(answer.model_stats[0].inference_stats.success.count).toBe(rest.model_stats[0].inference_stats.success.count);
    expect((await call(client, 'ModelStatistics', {})).answer.model_stats).toHaveLength(2);
  });

  it('answers 404 for the statistics of an unknown model', async () => {
    expect((await request(app.url).get('/v2/models/nope/stats').expect(404)).body.code).toBe('MODEL_NOT_FOUND');
  });
});
