import { Metadata, status } from '@grpc/grpc-js';
import { cpSync, readFileSync } from 'fs';
import { ModelBatchers } from '@app/dataplane';
import { ModelRegistry } from '@app/models';
import { join } from 'path';
import request from 'supertest';
import { call, GrpcOutcome, grpcAddress, healthClient, InferenceClient, inferenceClient, rawInfer, rawOutputs, reflectionClient, withKey } from './support/grpc-client';
import { scrape, valueOf } from './support/metrics';
import { ensureMlpBench, mlpRow } from './support/mlp-bench';
import { int64SumModel, tempRepository, writeModelJson, writeVersion } from './support/model-repo';
import { until } from './support/poll';
import { RunningApp, startInference } from './support/test-app';

const FIXTURES = join(__dirname, 'fixtures/triton-grpc');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const IRIS_ROWS = [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3];
const f32 = (values: number[]) => Buffer.from(new Float32Array(values).buffer);
const i64 = (values: number[]) => Buffer.from(new BigInt64Array(values.map(BigInt)).buffer);
const bytesTensor = (strings: string[]) =>
  Buffer.concat(strings.flatMap((s) => [Buffer.from(Uint32Array.of(Buffer.byteLength(s)).buffer), Buffer.from(s)]));

function expectStatus(outcome: GrpcOutcome, code: status, details?: RegExp): void {
  expect(outcome.error?.code).toBe(code);
  if (details) expect(outcome.error?.details).toMatch(details);
  expect(outcome.error?.details).not.toMatch(/\n\s+at /); // never a stack trace
}

describe('KServe V2 over gRPC', () => {
  let app: RunningApp;
  let client: InferenceClient;
  let repo: string;

  beforeAll(async () => {
    repo = tempRepository(['iris', 'name-gender']);
    writeVersion(repo, 'int64-sum', 1, int64SumModel());
    writeModelJson(repo, 'int64-sum', { description: 'int64 ids -> their sum' });
    app = await startInference({ models: { repository: repo }, grpc: { maxMessageBytes: 1 << 20 } });
    client = inferenceClient(grpcAddress(app));
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  describe('health and metadata', () => {
    it('answers ServerLive, ServerReady and ServerMetadata with the extensions REST reports', async () => {
      expect((await call(client, 'ServerLive', {})).answer).toEqual({ live: true });
      expect((await call(client, 'ServerReady', {})).answer).toEqual({ ready: true });
      const meta = (await call(client, 'ServerMetadata', {})).answer;
      const rest = (await request(app.url).get('/v2').expect(200)).body;
      expect(meta).toEqual({ name: 'modelgate', version: rest.version, extensions: rest.extensions });
    });

    it('answers ModelReady true for a served model and version, NOT_FOUND for an unknown one', async () => {
      expect((await call(client, 'ModelReady', { name: 'iris' })).answer).toEqual({ ready: true });
      expect((await call(client, 'ModelReady', { name: 'iris', version: '1' })).answer).toEqual({ ready: true });
      expectStatus(await call(client, 'ModelReady', { name: 'iris', version: '9' }), status.NOT_FOUND, /Version 9 of model 'iris' not found/);
      expectStatus(await call(client, 'ModelReady', { name: 'nope' }), status.NOT_FOUND, /Model 'nope' not found/);
    });

    it('answers ModelMetadata as REST does: inputs, outputs with the label output, versions, platform', async () => {
      const grpc = (await call(client, 'ModelMetadata', { name: 'iris' })).answer;
      const rest = (await request(app.url).get('/v2/models/iris').expect(200)).body;
      expect(grpc).toEqual(rest);
      expect(grpc.outputs.map((o: { name: string }) => o.name)).toEqual(['probabilities', 'label']);
    });

    it('reports SERVING on grpc.health.v1.Health for the server and for the inference service', async () => {
      const health = healthClient(grpcAddress(app));
      const check = (service: string) => new Promise<any>((resolve, reject) => health.check({ service }, (e: Error | null, r: any) => (e ? reject(e) : resolve(r))));
      expect(await check('')).toEqual({ status: 'SERVING' });
      expect(await check('inference.GRPCInferenceService')).toEqual({ status: 'SERVING' });
      health.close();
    });

    it('lists its services through server reflection (what grpcurl list asks)', async () => {
      const reflection = reflectionClient(grpcAddress(app));
      const stream = reflection.ServerReflectionInfo();
      const answer = await new Promise<any>((resolve, reject) => {
        stream.on('data', resolve);
        stream.on('error', reject);
        stream.write({ list_services: '' });
      });
      stream.end();
      reflection.close();
      const names = answer.list_services_response.service.map((s: { name: string }) => s.name);
      expect(names).toContain('inference.GRPCInferenceService');
    });
  });

  describe('ModelInfer', () => {
    it('answers the exact bytes tritonclient.grpc sends (raw FP32, one requested output) with raw FP32 outputs and the id', async () => {
      const { answer } = await rawInfer(client, fixture('infer-iris-fp32-raw.bin'));
      expect(answer).toMatchObject({ model_name: 'iris', model_version: '1', id: 'triton-1' });
      const outputs = rawOutputs(answer);
      expect(Object.keys(outputs)).toEqual(['probabilities']);
      expect(outputs.probabilities.shape).toEqual([2, 3]);
      const rest = (
        await request(app.url)
          .post('/v2/models/iris/infer')
          .send({ inputs: [{ name: 'features', datatype: 'FP32', shape: [2, 4], data: IRIS_ROWS }], outputs: [{ name: 'probabilities' }] })
          .expect(200)
      ).body;
      const restValues: number[] = rest.outputs[0].data;
      outputs.probabilities.values.forEach((v, i) => expect(v as number).toBeCloseTo(restValues[i], 6));
    });

    it("answers the bytes KServe's python client sends with typed fp32_contents the same as raw contents", async () => {
      const typed = rawOutputs((await rawInfer(client, fixture('infer-iris-fp32-typed.bin'))).answer);
      const raw = rawOutputs((await rawInfer(client, fixture('infer-iris-fp32-raw.bin'))).answer);
      expect(typed).toEqual(raw);
    });

    it("answers tritonclient's raw BYTES request with every output, the labels as a raw BYTES tensor", async () => {
      const outputs = rawOutputs((await rawInfer(client, fixture('infer-name-gender-bytes-raw.bin'))).answer);
      expect(Object.keys(outputs)).toEqual(['probabilities', 'label']);
      expect(outputs.label).toEqual({ datatype: 'BYTES', shape: [2], values: ['female', 'male'] });
    });

    it('takes typed bytes_contents and answers only the requested label output', async () => {
      const { answer } = await call(client, 'ModelInfer', {
        model_name: 'name-gender',
        inputs: [{ name: 'name', datatype: 'BYTES', shape: [2], contents: { bytes_contents: [Buffer.from('Maria'), Buffer.from('John')] } }],
        outputs: [{ name: 'label' }],
      });
      expect(rawOutputs(answer)).toEqual({ label: { datatype: 'BYTES', shape: [2], values: ['female', 'male'] } });
    });

    it('runs INT64 inputs from raw and from typed int64_contents, and answers INT64 outputs raw', async () => {
      const raw = await call(client, 'ModelInfer', {
        model_name: 'int64-sum',
        model_version: '1',
        inputs: [{ name: 'ids', datatype: 'INT64', shape: [2, 2] }],
        raw_input_contents: [i64([1, 2, 40, 2])],
      });
      expect(rawOutputs(raw.answer).sum_int).toEqual({ datatype: 'INT64', shape: [2, 1], values: [3, 42] });
      expect(rawOutputs(raw.answer).sum.values).toEqual([3, 42]);
      const typed = await call(client, 'ModelInfer', {
        model_name: 'int64-sum',
        inputs: [{ name: 'ids', datatype: 'INT64', shape: [2, 2], contents: { int64_contents: [1, 2, 40, 2] } }],
      });
      expect(rawOutputs(typed.answer)).toEqual(rawOutputs(raw.answer));
    });

    it('answers INVALID_ARGUMENT naming the field for a request that does not fit the signature', async () => {
      const features = (over: object) => ({ name: 'features', datatype: 'FP32', shape: [1, 4], ...over });
      const infer = (req: object) => call(client, 'ModelInfer', { model_name: 'iris', ...req });
      expectStatus(await infer({ inputs: [features({ datatype: 'INT64' })], raw_input_contents: [i64([1, 2, 3, 4])] }), status.INVALID_ARGUMENT, /inputs\[0\]\.datatype: input 'features' is FP32, got INT64/);
      expectStatus(await infer({ inputs: [features({ shape: [1, 5] })], raw_input_contents: [f32([1, 2, 3, 4, 5])] }), status.INVALID_ARGUMENT, /inputs\[0\]\.shape/);
      expectStatus(await infer({ inputs: [features({})], raw_input_contents: [f32([1, 2, 3])] }), status.INVALID_ARGUMENT, /binary_data_size|bytes/);
      expectStatus(await infer({ inputs: [features({}), features({ name: 'extra' })], raw_input_contents: [f32([1, 2, 3, 4])] }), status.INVALID_ARGUMENT, /raw_input_contents has 1 entries for 2 inputs/);
      expectStatus(await infer({ inputs: [features({ name: 'petals' })], raw_input_contents: [f32([1, 2, 3, 4])] }), status.INVALID_ARGUMENT, /unknown input 'petals'/);
      expectStatus(await infer({ inputs: [features({})] }), status.INVALID_ARGUMENT, /contents\.fp32_contents is required/);
      expectStatus(await infer({ inputs: [features({})], raw_input_contents: [f32([1, 2, 3, 4])], outputs: [{ name: 'petals' }] }), status.INVALID_ARGUMENT, /outputs\[0\]: unknown output 'petals'/);
      expectStatus(await infer({ model_version: 'latest', inputs: [features({})], raw_input_contents: [f32([1, 2, 3, 4])] }), status.INVALID_ARGUMENT, /version must be a positive integer/);
      expectStatus(await call(client, 'ModelInfer', { inputs: [] }), status.INVALID_ARGUMENT, /model_name is required/);
    });

    it('answers NOT_FOUND for an unknown model or version', async () => {
      const body = { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4] }], raw_input_contents: [f32([1, 2, 3, 4])] };
      expectStatus(await call(client, 'ModelInfer', { model_name: 'nope', ...body }), status.NOT_FOUND, /Model 'nope' not found/);
      expectStatus(await call(client, 'ModelInfer', { model_name: 'iris', model_version: '7', ...body }), status.NOT_FOUND, /Version 7 of model 'iris'/);
    });

    it('answers RESOURCE_EXHAUSTED for a message over grpc.maxMessageBytes, and keeps serving', async () => {
      const rows = 70_000; // 70,000 x 4 floats = 1.1 MB > 1 MiB
      const outcome = await call(client, 'ModelInfer', {
        model_name: 'iris',
        inputs: [{ name: 'features', datatype: 'FP32', shape: [rows, 4] }],
        raw_input_contents: [Buffer.alloc(rows * 16)],
      });
      expectStatus(outcome, status.RESOURCE_EXHAUSTED);
      expect((await call(client, 'ServerLive', {})).answer).toEqual({ live: true });
    });

    it('answers DEADLINE_EXCEEDED when parameters.timeout passes before the batch runs', async () => {
      // 1 microsecond: the deadline is gone by the time the batcher looks at the request.
      const outcome = await call(client, 'ModelInfer', {
        model_name: 'iris',
        parameters: { timeout: { int64_param: 1 } },
        inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4] }],
        raw_input_contents: [f32([1, 2, 3, 4])],
      });
      expectStatus(outcome, status.DEADLINE_EXCEEDED, /deadline/i);
      expect(outcome.error?.metadata.get('modelgate-code')).toEqual(['DEADLINE_EXCEEDED']);
    });
  });

  describe('ModelStreamInfer', () => {
    it('answers a stream of 100 requests, each once with its id, a bad one with error_message, and ends when the client does', async () => {
      const stream = client.ModelStreamInfer();
      const answers: any[] = [];
      const done = new Promise<void>((resolve, reject) => {
        stream.on('data', (m: any) => answers.push(m));
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      for (let i = 0; i < 100; i++) {
        const bad = i === 37;
        stream.write({
          model_name: 'iris',
          id: `req-${i}`,
          inputs: [{ name: 'features', datatype: 'FP32', shape: [1, bad ? 3 : 4] }],
          raw_input_contents: [f32(bad ? [1, 2, 3] : [IRIS_ROWS[0] + i / 100, 3.5, 1.4, 0.2])],
        });
      }
      stream.end();
      await done;
      expect(answers).toHaveLength(100);
      const failed = answers.filter((a) => a.error_message !== '');
      expect(failed).toHaveLength(1);
      expect(failed[0].error_message).toMatch(/inputs\[0\]\.shape/);
      const ids = answers.filter((a) => a.error_message === '').map((a) => a.infer_response.id);
      expect(new Set(ids).size).toBe(99);
      expect([...ids].sort()).toEqual(Array.from({ length: 100 }, (_, i) => `req-${i}`).filter((id) => id !== 'req-37').sort());
    });
  });

  describe('observability', () => {
    it('counts calls by method and status code, and predictions by protocol, in /metrics', async () => {
      await call(client, 'ServerLive', {});
      await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROWS.slice(0, 4)] }).expect(200);
      const samples = await scrape(app.url);
      const predictions = (protocol: string) => valueOf(samples, 'modelgate_predictions_total', { model: 'iris', version: '1', protocol, outcome: 'success' });
      expect(predictions('grpc')).toBeGreaterThan(0);
      expect(predictions('v2')).toBeGreaterThan(0);
      expect(predictions('tfserving')).toBeGreaterThan(0);
      expect(valueOf(samples, 'modelgate_predictions_total', { model: 'iris', protocol: 'grpc', outcome: 'DEADLINE_EXCEEDED' })).toBe(1);
      expect(valueOf(samples, 'modelgate_grpc_requests_total', { method: 'ServerLive', code: '0' })).toBeGreaterThan(0);
      expect(valueOf(samples, 'modelgate_grpc_requests_total', { method: 'ModelInfer', code: String(status.INVALID_ARGUMENT) })).toBeGreaterThan(0);
    });

    it('finishes a stream in flight when the app shuts down, refuses new calls meanwhile, then stops listening', async () => {
      const other = await startInference({ models: { repository: repo } });
      const otherClient = inferenceClient(grpcAddress(other));
      const stream = otherClient.ModelStreamInfer();
      const answers: any[] = [];
      const next = () => new Promise<void>((resolve) => stream.once('data', (m: any) => (answers.push(m), resolve())));
      const ended = new Promise<void>((resolve, reject) => (stream.on('end', resolve), stream.on('error', reject)));
      const request = (id: string) => ({ model_name: 'iris', id, inputs: [{ name: 'features', datatype: 'FP32', shape: [2, 4] }], raw_input_contents: [f32(IRIS_ROWS)] });
      stream.write(request('before'));
      await next();
      const closed = other.close();
      await new Promise((r) => setTimeout(r, 100)); // the server is draining now
      expect((await call(otherClient, 'ServerLive', {})).error?.code).toBe(status.UNAVAILABLE);
      stream.write(request('during'));
      await next();
      stream.end();
      await ended;
      await closed;
      expect(answers.map((a) => [a.error_message, a.infer_response?.id])).toEqual([['', 'before'], ['', 'during']]);
      await until(async () => (await call(otherClient, 'ServerLive', {}, new Metadata(), 500)).error?.code === status.UNAVAILABLE, 'the closed server to refuse calls', 5000);
      otherClient.close();
    });
  });
});

describe('KServe V2 over gRPC with API keys', () => {
  const ADMIN = 'grpc-admin-key-0123456789';
  const PREDICT = 'grpc-predict-key-0123456789';
  let app: RunningApp;
  let client: InferenceClient;
  const iris = { model_name: 'iris', inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4] }], raw_input_contents: [f32([5.1, 3.5, 1.4, 0.2])] };

  beforeAll(async () => {
    app = await startInference({ models: { repository: tempRepository(['iris']) }, auth: { apiKeys: { [ADMIN]: ['predict', 'admin'], [PREDICT]: ['predict'] } } });
    client = inferenceClient(grpcAddress(app));
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  it('answers UNAUTHENTICATED without a key or with an unknown one, and keeps health and server metadata open', async () => {
    expectStatus(await call(client, 'ModelInfer', iris), status.UNAUTHENTICATED);
    expectStatus(await call(client, 'ModelInfer', iris, withKey('not-a-key-0123456789')), status.UNAUTHENTICATED);
    expectStatus(await call(client, 'ModelMetadata', { name: 'iris' }), status.UNAUTHENTICATED);
    expect((await call(client, 'ServerReady', {})).answer).toEqual({ ready: true });
    expect((await call(client, 'ServerMetadata', {})).answer.name).toBe('modelgate');
  });

  it('takes the key as authorization: Bearer or as x-api-key metadata', async () => {
    expect((await call(client, 'ModelInfer', iris, withKey(PREDICT))).answer.model_name).toBe('iris');
    expect((await call(client, 'ModelInfer', iris, withKey(PREDICT, 'x-api-key'))).answer.model_name).toBe('iris');
  });

  it('answers PERMISSION_DENIED on repository RPCs for a key without the admin scope', async () => {
    expectStatus(await call(client, 'RepositoryIndex', {}, withKey(PREDICT)), status.PERMISSION_DENIED);
    expectStatus(await call(client, 'RepositoryModelUnload', { model_name: 'iris' }, withKey(PREDICT)), status.PERMISSION_DENIED);
  });

  it('indexes the repository as REST does, and unloads and loads a model with the admin key', async () => {
    const index = (await call(client, 'RepositoryIndex', {}, withKey(ADMIN))).answer;
    const rest = (await request(app.url).post('/v2/repository/index').set('authorization', `Bearer ${ADMIN}`).expect(200)).body;
    expect(index.models).toEqual(rest);
    expect((await call(client, 'RepositoryModelUnload', { model_name: 'iris' }, withKey(ADMIN))).answer).toEqual({});
    const unloaded = await call(client, 'ModelInfer', iris, withKey(PREDICT));
    expectStatus(unloaded, status.UNAVAILABLE, /no available version/);
    expect(Number(unloaded.error?.metadata.get('retry-after')[0])).toBeGreaterThanOrEqual(1);
    expect((await call(client, 'ModelReady', { name: 'iris' })).answer).toEqual({ ready: false });
    expect((await call(client, 'RepositoryIndex', { ready: true }, withKey(ADMIN))).answer.models).toEqual([]);
    expect((await call(client, 'RepositoryModelLoad', { model_name: 'iris' }, withKey(ADMIN))).answer).toEqual({});
    expect((await call(client, 'ModelInfer', iris, withKey(PREDICT))).answer.model_name).toBe('iris');
    expectStatus(await call(client, 'RepositoryModelLoad', { model_name: '../etc' }, withKey(ADMIN)), status.INVALID_ARGUMENT, /model name/);
    expectStatus(await call(client, 'RepositoryModelLoad', { model_name: 'absent' }, withKey(ADMIN)), status.NOT_FOUND);
  });
});

describe('KServe V2 over gRPC under a rate limit', () => {
  it('answers RESOURCE_EXHAUSTED with retry-after once a client has used its burst', async () => {
    const app = await startInference({ models: { repository: tempRepository(['iris']) }, auth: { rateLimitPerSecond: 0.5, rateLimitBurst: 2 } });
    const client = inferenceClient(grpcAddress(app));
    const iris = { model_name: 'iris', inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4] }], raw_input_contents: [f32([5.1, 3.5, 1.4, 0.2])] };
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await call(client, 'ModelInfer', iris));
    expect(outcomes.slice(0, 2).map((o) => o.answer?.model_name)).toEqual(['iris', 'iris']);
    expectStatus(outcomes[2], status.RESOURCE_EXHAUSTED);
    expect(Number(outcomes[2].error?.metadata.get('retry-after')[0])).toBeGreaterThanOrEqual(1);
    client.close();
    await app.close();
  });
});

describe('gRPC and REST on one batcher (mlp-bench)', () => {
  let app: RunningApp;
  let client: InferenceClient;
  const labels = { model: 'mlp-bench', version: '1' };
  // A blocker of 8,192 rows holds the model's single instance for about a second. It goes to the version's
  // batcher in process, so the main thread is free at once (a message that large would keep it busy
  // decoding while the instance ran); what arrives meanwhile over REST and gRPC queues behind it.
  const blockerRows = 8192;
  const blockerData = Float32Array.from({ length: blockerRows * 784 }, (_, i) => ((Math.floor(i / 784) >> i % 13) & 1) + (i % 784) / 784);
  /** Resolves once the blocker runs; `running` settles when it is done (an object, so awaiting this does not wait for it). */
  async function blocker(): Promise<{ running: Promise<unknown> }> {
    const batcher = app.app.get(ModelBatchers).for(app.app.get(ModelRegistry).resolve('mlp-bench'));
    const input = { input: { datatype: 'FP32' as const, dims: [blockerRows, 784], data: blockerData.slice() } };
    const running = batcher.submit({ rows: blockerRows, input, deadline: Infinity, groupKey: '' });
    await until(() => batcher.stats().inFlight > 0, 'the blocker to run', 10_000, 1);
    return { running };
  }

  beforeAll(async () => {
    const repo = tempRepository([]);
    cpSync(ensureMlpBench(), join(repo, 'mlp-bench'), { recursive: true });
    app = await startInference({ models: { repository: repo }, batching: { policy: 'fixed', maxBatchSize: 64, maxDelayMs: 5, maxQueue: 16_384 }, cache: { policy: 'off' } });
    client = inferenceClient(grpcAddress(app));
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  it('puts concurrent REST and gRPC requests into shared batches (a batch larger than either protocol sent)', async () => {
    const perProtocol = 24;
    const { running } = await blocker();
    const rest = Array.from({ length: perProtocol }, (_, i) => request(app.url).post('/v1/models/mlp-bench:predict').send({ instances: [mlpRow(i)] }));
    const grpc = Array.from({ length: perProtocol }, (_, i) =>
      call(client, 'ModelInfer', { model_name: 'mlp-bench', inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 784] }], raw_input_contents: [f32(mlpRow(100 + i))] }),
    );
    const [blocked, restAnswers, grpcAnswers] = await Promise.all([running, Promise.all(rest), Promise.all(grpc)]);
    expect((blocked as Record<string, { dims: number[] }>).probabilities.dims).toEqual([blockerRows, 10]);
    expect(restAnswers.every((r) => r.status === 200)).toBe(true);
    expect(grpcAnswers.every((g) => g.answer?.model_name === 'mlp-bench')).toBe(true);
    const samples = await scrape(app.url);
    const batches = valueOf(samples, 'modelgate_batch_size_rows_count', labels);
    const upTo32 = valueOf(samples, 'modelgate_batch_size_rows_bucket', { ...labels, le: '32' });
    // Alone, neither protocol could fill a batch of more than 24 rows: a batch above 32 held both.
    expect(batches - upTo32 - 1).toBeGreaterThanOrEqual(1); // minus the blocker's batch
    const stats = (await call(client, 'ModelStatistics', { name: 'mlp-bench' })).answer.model_stats[0];
    expect(stats.batch_stats.some((b: { batch_size: number }) => b.batch_size > perProtocol && b.batch_size <= 2 * perProtocol)).toBe(true);
  });

  it("takes the call's gRPC deadline as the request's: it expires in the batcher, and the request never runs", async () => {
    const before = valueOf(await scrape(app.url), 'modelgate_requests_rejected_total', { ...labels, reason: 'deadline' });
    const { running } = await blocker();
    const late = await call(
      client,
      'ModelInfer',
      { model_name: 'mlp-bench', inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 784] }], raw_input_contents: [f32(mlpRow(7))] },
      new Metadata(),
      100,
    );
    expectStatus(late, status.DEADLINE_EXCEEDED);
    await running;
    const after = valueOf(await scrape(app.url), 'modelgate_requests_rejected_total', { ...labels, reason: 'deadline' });
    expect(after - before).toBe(1);
  });
});
