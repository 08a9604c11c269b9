import { cpSync, mkdtempSync, rmSync } from 'fs';
import { basename, dirname, join } from 'path';
import request from 'supertest';
import { runOnnxDirect } from './support/direct-onnx';
import { holdout } from './support/holdout';
import { tempRepository, writeVersion } from './support/model-repo';
import { RunningApp, startAllInOne, startInference } from './support/test-app';
import { MODELS_DIR, ROOT } from './support/test-config';

const IRIS_LABELS = ['setosa', 'versicolor', 'virginica'];
const IRIS_ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.0, 5.2, 2.3],
];
const VERSION = (require(join(ROOT, 'package.json')) as { version: string }).version;

const irisInfer = (rows: number[][] = IRIS_ROWS, extra: Record<string, unknown> = {}) => ({
  inputs: [{ name: 'features', shape: [rows.length, 4], datatype: 'FP32', data: rows.flat() }],
  ...extra,
});
const textInfer = (name: string, texts: string[]) => ({ inputs: [{ name, shape: [texts.length], datatype: 'BYTES', data: texts }] });

interface V2Output {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}
const outputOf = (body: { outputs: V2Output[] }, name: string) => body.outputs.find((o) => o.name === name)!;

/** Every V2 error is `{"error": "..."}` (plus our stable code), as the protocol's error objects say. */
function expectError(res: request.Response, status: number, message: RegExp, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(typeof res.body.error).toBe('string');
  expect(res.body.error).toMatch(message);
  if (code) expect(res.body.code).toBe(code);
}

/** A binary tensor data body: the JSON request, then the tensors' bytes (Triton's extension). */
function binaryBody(header: object, ...tensors: Buffer[]): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header));
  return { body: Buffer.concat([json, ...tensors]), headerLength: json.length };
}
const float32Bytes = (values: number[]) => Buffer.from(Float32Array.from(values).buffer);
const stringBytes = (values: string[]) =>
  Buffer.concat(values.flatMap((s) => [Buffer.from(Uint32Array.of(Buffer.byteLength(s)).buffer), Buffer.from(s, 'utf8')]));

/** A binary tensor data answer (read with responseType('blob')), as a Triton client reads it: the JSON, then each binary output's bytes. */
function readBinaryAnswer(res: request.Response): { json: { outputs: Array<V2Output & { parameters?: { binary_data_size: number } }> }; values: Record<string, unknown[]> } {
  expect(res.headers['content-type']).toBe('application/octet-stream');
  const body = res.body as Buffer;
  const jsonLength = Number(res.headers['inference-header-content-length']);
  const json = JSON.parse(body.toString('utf8', 0, jsonLength));
  const values: Record<string, unknown[]> = {};
  let at = jsonLength;
  for (const output of json.outputs) {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) continue;
    const bytes = body.subarray(at, at + size);
    at += size;
    if (output.datatype === 'FP32') values[output.name] = Array.from({ length: size / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    else if (output.datatype === 'BYTES') {
      const strings: string[] = [];
      for (let p = 0; p < size; ) {
        const n = bytes.readUInt32LE(p);
        strings.push(bytes.toString('utf8', p + 4, p + 4 + n));
        p += 4 + n;
      }
      values[output.name] = strings;
    }
  }
  expect(at).toBe(body.length);
  return { json, values };
}

describe('KServe V2 protocol (all-in-one app, real models, real Redis)', () => {
  let running: RunningApp;
  const infer = (body: unknown, path = '/v2/models/iris/infer') => request(running.url).post(path).send(body as object);

  beforeAll(async () => {
    running = await startAllInOne();
  });
  afterAll(() => running.close());

  it('answers server metadata with its name, the package version and the model_repository extension', async () => {
    const res = await request(running.url).get('/v2').expect(200);
    expect(res.body).toEqual({ name: 'modelgate', version: VERSION, extensions: expect.arrayContaining(['model_repository', 'binary_tensor_data']) });
  });

  it('answers server live and server ready with 200 and a true body', async () => {
    expect((await request(running.url).get('/v2/health/live').expect(200)).body).toEqual({ live: true });
    expect((await request(running.url).get('/v2/health/ready').expect(200)).body).toEqual({ ready: true });
  });

  it('answers model metadata with versions, platform and the signature, plus the BYTES label output', async () => {
    const expected = {
      name: 'iris',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        { name: 'label', datatype: 'BYTES', shape: [-1] },
      ],
    };
    expect((await request(running.url).get('/v2/models/iris').expect(200)).body).toEqual(expected);
    expect((await request(running.url).get('/v2/models/iris/versions/1').expect(200)).body).toEqual(expected);
    const text = await request(running.url).get('/v2/models/name-gender').expect(200);
    expect(text.body.inputs).toEqual([{ name: 'name', datatype: 'BYTES', shape: [-1] }]);
  });

  it('answers 404 for the metadata of an unknown model or version, and 400 for a malformed version', async () => {
    expectError(await request(running.url).get('/v2/models/nope'), 404, /Model 'nope' not found/, 'MODEL_NOT_FOUND');
    expectError(await request(running.url).get('/v2/models/iris/versions/9'), 404, /Version 9 of model 'iris' not found/, 'MODEL_NOT_FOUND');
    expectError(await request(running.url).get('/v2/models/iris/versions/v1'), 400, /version must be a positive integer/, 'INVALID_INPUT');
  });

  it('answers model ready with 200 {name, ready: true} for a serving model and version', async () => {
    expect((await request(running.url).get('/v2/models/iris/ready').expect(200)).body).toEqual({ name: 'iris', ready: true });
    expect((await request(running.url).get('/v2/models/spam/versions/1/ready').expect(200)).body).toEqual({ name: 'spam', ready: true });
  });

  it('answers model ready with 404 for an unknown model or version', async () => {
    expectError(await request(running.url).get('/v2/models/nope/ready'), 404, /not found/, 'MODEL_NOT_FOUND');
    expectError(await request(running.url).get('/v2/models/iris/versions/2/ready'), 404, /Version 2 of model 'iris' not found/);
  });

  it('infers with flat data and answers what onnxruntime computes on the model file, plus the top label per row', async () => {
    const rows = holdout<{ features: number[]; label: string }>('iris').map((r) => r.features);
    const res = await infer(irisInfer(rows)).expect(200);
    expect(res.body.model_name).toBe('iris');
    expect(res.body.model_version).toBe('1');
    expect(res.body).not.toHaveProperty('id');
    expect(res.body.outputs.map((o: V2Output) => o.name)).toEqual(['probabilities', 'label']);
    const probabilities = outputOf(res.body, 'probabilities');
    expect(probabilities).toMatchObject({ datatype: 'FP32', shape: [rows.length, 3] });
    const direct = (await runOnnxDirect(join(MODELS_DIR, 'iris/1/model.onnx'), { features: { data: rows.flat(), dims: [rows.length, 4] } })).probabilities;
    expect(probabilities.data).toHaveLength(direct.length);
    (probabilities.data as number[]).forEach((p, i) => expect(p).toBeCloseTo(direct[i], 6));
    const label = outputOf(res.body, 'label');
    expect(label).toMatchObject({ datatype: 'BYTES', shape: [rows.length] });
    const best = rows.map((_, r) => IRIS_LABELS[[0, 1, 2].reduce((a, b) => (direct[r * 3 + b] > direct[r * 3 + a] ? b : a))]);
    expect(label.data).toEqual(best);
  });

  it('infers the same from nested data as from flat data', async () => {
    const flat = await infer(irisInfer()).expect(200);
    const nested = await infer({ inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: IRIS_ROWS }] }).expect(200);
    expect(nested.body.outputs).toEqual(flat.body.outputs);
    expect(outputOf(nested.body, 'label').data).toEqual(['setosa', 'virginica']);
  });

  it('echoes the request id and answers only the requested outputs, in the order asked', async () => {
    const onlyLabel = await infer(irisInfer(IRIS_ROWS, { id: 'req-42', outputs: [{ name: 'label' }] })).expect(200);
    expect(onlyLabel.body.id).toBe('req-42');
    expect(onlyLabel.body.outputs).toEqual([{ name: 'label', datatype: 'BYTES', shape: [2], data: ['setosa', 'virginica'] }]);
    const both = await infer(irisInfer(IRIS_ROWS, { outputs: [{ name: 'label' }, { name: 'probabilities' }] })).expect(200);
    expect(both.body.outputs.map((o: V2Output) => o.name)).toEqual(['label', 'probabilities']);
  });

  it('answers binary outputs after the JSON (binary tensor data extension), byte for byte the floats of the JSON answer', async () => {
    const json = await infer(irisInfer()).expect(200);
    const all = await request(running.url).post('/v2/models/iris/infer').send(irisInfer(IRIS_ROWS, { parameters: { binary_data_output: true } })).responseType('blob').expect(200);
    const { json: head, values } = readBinaryAnswer(all);
    expect(head.outputs).toEqual([
      { name: 'probabilities', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } },
      { name: 'label', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 4 + 6 + 4 + 9 } },
    ]);
    expect(values.probabilities).toEqual((outputOf(json.body, 'probabilities').data as number[]).map(Math.fround));
    expect(values.label).toEqual(['setosa', 'virginica']);
    expect(all.headers['x-cache']).toBe('hit');

    // An output's own binary_data picks it alone; the others stay JSON data.
    const mixed = await request(running.url)
      .post('/v2/models/iris/infer')
      .send(irisInfer(IRIS_ROWS, { outputs: [{ name: 'label' }, { name: 'probabilities', parameters: { binary_data: true } }] }))
      .responseType('blob')
      .expect(200);
    const split = readBinaryAnswer(mixed);
    expect(split.json.outputs[0]).toEqual({ name: 'label', datatype: 'BYTES', shape: [2], data: ['setosa', 'virginica'] });
    expect(split.values.probabilities).toEqual(values.probabilities);
  });

  it('reports the prediction cache in X-Cache: miss when the model ran, hit when the same rows come again', async () => {
    const rows = [[4.4, 2.9, 1.4, 0.2 + Math.random() / 1000]];
    const first = await infer(irisInfer(rows)).expect(200);
    expect(first.headers['x-cache']).toBe('miss');
    const second = await infer(irisInfer(rows, { id: 'again', outputs: [{ name: 'probabilities' }] })).expect(200);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body.outputs).toEqual([outputOf(first.body, 'probabilities')]);
  });

  it('answers 400 for a requested output the model does not have', async () => {
    const res = await infer(irisInfer(IRIS_ROWS, { outputs: [{ name: 'logits' }] }));
    expectError(res, 400, /^outputs\[0\]: unknown output 'logits' \(the model gives 'probabilities', 'label'\)$/, 'INVALID_INPUT');
  });

  it('serves the text models with BYTES inputs', async () => {
    const names = await infer(textInfer('name', ['Maria', 'John']), '/v2/models/name-gender/infer').expect(200);
    expect(outputOf(names.body, 'label').data).toEqual(['female', 'male']);
    expect(outputOf(names.body, 'probabilities').shape).toEqual([2, 2]);
    const spam = await infer(
      textInfer('text', ['WIN a FREE iPhone now!!! Click here to claim your $1000 prize', 'Hi Tom, are we still meeting for lunch tomorrow at noon?']),
      '/v2/models/spam/versions/1/infer',
    ).expect(200);
    expect(spam.body.model_version).toBe('1');
    expect(outputOf(spam.body, 'label').data).toEqual(['spam', 'ham']);
  });

  it('answers 400 naming the field when the data length does not match the shape', async () => {
    const body = { inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }] };
    expectError(await infer(body), 400, /^inputs\[0\]\.data has 4 values but shape \[2,4\] needs 8$/, 'INVALID_INPUT');
  });

  it('answers 400 when the shape does not fit the signature or the datatype is not the declared one', async () => {
    const wide = { inputs: [{ name: 'features', shape: [1, 5], datatype: 'FP32', data: [1, 2, 3, 4, 5] }] };
    expectError(await infer(wide), 400, /^inputs\[0\]\.shape: input 'features' has shape \[-1,4\]/);
    const fp64 = { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP64', data: IRIS_ROWS[0] }] };
    expectError(await infer(fp64), 400, /^inputs\[0\]\.datatype: input 'features' is FP32, got FP64$/);
    const strings = { inputs: [{ name: 'name', shape: [1], datatype: 'BYTES', data: [5] }] };
    expectError(await infer(strings, '/v2/models/name-gender/infer'), 400, /^inputs\[0\]\.data\[0\]: expected a string/);
  });

  it('answers 400 for a missing or unknown input, and for a body that is not an inference request', async () => {
    expectError(await infer({ inputs: [] }), 400, /^inputs must be a non-empty list/);
    expectError(await infer({ inputs: [{ name: 'petals', shape: [1, 4], datatype: 'FP32', data: IRIS_ROWS[0] }] }), 400, /unknown input 'petals'/);
    expectError(await infer({ instances: IRIS_ROWS }), 400, /unknown field 'instances'/);
    const notJson = await request(running.url).post('/v2/models/iris/infer').set('content-type', 'application/json').send('{"inputs": [');
    expectError(notJson, 400, /not valid JSON/);
  });

  it('answers 404 for inference on an unknown model or version', async () => {
    expectError(await infer(irisInfer(), '/v2/models/nope/infer'), 404, /Model 'nope' not found/, 'MODEL_NOT_FOUND');
    expectError(await infer(irisInfer(), '/v2/models/iris/versions/3/infer'), 404, /Version 3 of model 'iris' not found/, 'MODEL_NOT_FOUND');
  });

  it('accepts request parameters, with parameters.timeout in microseconds, and refuses a malformed timeout', async () => {
    const res = await infer(irisInfer(IRIS_ROWS, { parameters: { timeout: 5_000_000, custom: 'kept out of the answer' } })).expect(200);
    expect(outputOf(res.body, 'label').data).toEqual(['setosa', 'virginica']);
    expectError(await infer(irisInfer(IRIS_ROWS, { parameters: { timeout: -5 } })), 400, /parameters\.timeout must be an integer number of microseconds/);
    expectError(await infer(irisInfer(IRIS_ROWS, { parameters: { nested: { a: 1 } } })), 400, /parameters\.nested must be a string, number or boolean/);
  });

  it('reads binary tensor data (application/octet-stream with Inference-Header-Content-Length) as Triton clients send it', async () => {
    const { body, headerLength } = binaryBody(
      {
        inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', parameters: { binary_data_size: 32 } }],
        outputs: [{ name: 'label', parameters: { binary_data: true } }],
      },
      float32Bytes(IRIS_ROWS.flat()),
    );
    const res = await request(running.url)
      .post('/v2/models/iris/infer')
      .set('content-type', 'application/octet-stream')
      .set('Inference-Header-Content-Length', String(headerLength))
      .send(body)
      .responseType('blob')
      .expect(200);
    expect(readBinaryAnswer(res).values).toEqual({ label: ['setosa', 'virginica'] });

    const strings = stringBytes(['Maria', 'John']);
    const text = binaryBody({ inputs: [{ name: 'name', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: strings.length } }] }, strings);
    const names = await request(running.url)
      .post('/v2/models/name-gender/infer')
      .set('content-type', 'application/octet-stream')
      .set('Inference-Header-Content-Length', String(text.headerLength))
      .send(text.body)
      .expect(200);
    expect(outputOf(names.body, 'label').data).toEqual(['female', 'male']);
  });

  it('answers 400 for a binary body without Inference-Header-Content-Length, and reads an octet-stream :predict body as the JSON it is not (400)', async () => {
    const header = { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }] };
    const { body } = binaryBody(header, float32Bytes(IRIS_ROWS[0]));
    const noHeader = await request(running.url).post('/v2/models/iris/infer').set('content-type', 'application/octet-stream').send(body);
    expectError(noHeader, 400, /needs Inference-Header-Content-Length/, 'INVALID_INPUT');
    const tf = await request(running.url).post('/v1/models/iris:predict').set('content-type', 'application/octet-stream').send(body);
    expectError(tf, 400, /not valid JSON/, 'INVALID_INPUT');
  });

  it('treats a model name with a slash or dots as a name to look up, never as a path', async () => {
    expectError(await infer(irisInfer(), '/v2/models/..%2Fmodels%2Firis/infer'), 404, /not found/);
    expectError(await request(running.url).get('/v2/models/a%2Fb'), 404, /not found/);
    expectError(await request(running.url).get('/v2/models/..%2F..%2Fetc/ready'), 404, /not found/);
  });

  it('documents the V2 routes in the OpenAPI document with request examples', async () => {
    const doc = await request(running.url).get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v2',
        '/v2/health/live',
        '/v2/health/ready',
        '/v2/models/{name}',
        '/v2/models/{name}/versions/{version}',
        '/v2/models/{name}/ready',
        '/v2/models/{name}/infer',
        '/v2/models/{name}/versions/{version}/infer',
      ]),
    );
    const body = doc.body.paths['/v2/models/{name}/infer'].post.requestBody.content['application/json'];
    expect(body.schema.$ref).toMatch(/V2InferRequestDto$/);
    expect(Object.keys(body.examples)).toEqual(['iris', 'irisNested', 'nameGender', 'spam']);
    // What "Try it out" sends must work as shown.
    const modelOf: Record<string, string> = { iris: 'iris', irisNested: 'iris', nameGender: 'name-gender', spam: 'spam' };
    for (const [key, example] of Object.entries(body.examples as Record<string, { value: object }>)) {
      await infer(example.value, `/v2/models/${modelOf[key]}/infer`).expect(200);
    }
    expect(doc.body.components.schemas.V2RequestInputDto.properties.data.example).toEqual([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]);
  });
});

const ADMIN = 'admin-key-for-kserve-v2-tests';
const PREDICT = 'predict-key-for-kserve-v2-tests';

describe('KServe V2 access and the repository extension (inference app with API keys)', () => {
  let repo: string;
  let outside: string;
  let running: RunningApp;
  const as = (key: string | undefined, req: request.Test) => (key ? req.set('Authorization', `Bearer ${key}`) : req);
  const post = (path: string, key?: string, body?: object) => as(key, request(running.url).post(path)).send(body);
  const get = (path: string, key?: string) => as(key, request(running.url).get(path));

  beforeAll(async () => {
    repo = tempRepository(['iris', 'name-gender']);
    // A valid model folder right beside the repository: reachable only through a path, which names must never be.
    outside = mkdtempSync(join(dirname(repo), 'modelgate-outside-'));
    cpSync(join(MODELS_DIR, 'iris'), join(outside, 'iris'), { recursive: true });
    running = await startInference({
      models: { repository: repo },
      auth: { apiKeys: { [ADMIN]: ['admin'], [PREDICT]: ['predict'] } },
    });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(repo, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('needs a predict key for inference and model metadata once predict keys are configured', async () => {
    expectError(await post('/v2/models/iris/infer', undefined, irisInfer()), 401, /./, 'UNAUTHENTICATED');
    expectError(await get('/v2/models/iris'), 401, /./, 'UNAUTHENTICATED');
    await post('/v2/models/iris/infer', PREDICT, irisInfer()).expect(200);
    await get('/v2/models/iris', PREDICT).expect(200);
  });

  it('keeps server metadata and the health routes open, as probes need', async () => {
    await get('/v2').expect(200);
    await get('/v2/health/live').expect(200);
    await get('/v2/health/ready').expect(200);
    await get('/v2/models/iris/ready').expect(200);
  });

  it('answers the repository index with 401 without a key, 403 with a predict-only key and 200 with an admin key', async () => {
    expectError(await post('/v2/repository/index'), 401, /./, 'UNAUTHENTICATED');
    expectError(await post('/v2/repository/index', PREDICT), 403, /./, 'FORBIDDEN');
    const index = await post('/v2/repository/index', ADMIN).expect(200);
    expect(index.body).toEqual([
      { name: 'iris', version: '1', state: 'READY', reason: '' },
      { name: 'name-gender', version: '1', state: 'READY', reason: '' },
    ]);
    const ready = await post('/v2/repository/index', ADMIN, { ready: true }).expect(200);
    expect(ready.body.map((e: { name: string }) => e.name)).toEqual(['iris', 'name-gender']);
  });

  it('needs an admin key to load or unload a model', async () => {
    expectError(await post('/v2/repository/models/iris/unload'), 401, /./, 'UNAUTHENTICATED');
    expectError(await post('/v2/repository/models/iris/unload', PREDICT), 403, /./, 'FORBIDDEN');
    await get('/v2/models/iris/ready').expect(200);
  });

  it('unloads a model: ready turns false (400), inference answers 503 with Retry-After, and load brings it back', async () => {
    await post('/v2/repository/models/iris/unload', ADMIN).expect(200);

    const notReady = await get('/v2/models/iris/ready');
    expect(notReady.status).toBe(400);
    expect(notReady.body).toEqual({ name: 'iris', ready: false });
    expect((await get('/v2/models/iris/versions/1/ready')).status).toBe(400);
    const refused = await post('/v2/models/iris/infer', PREDICT, irisInfer());
    expectError(refused, 503, /unloaded/, 'MODEL_NOT_READY');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    const index = await post('/v2/repository/index', ADMIN).expect(200);
    expect(index.body).toContainEqual({ name: 'iris', version: '1', state: 'UNAVAILABLE', reason: 'unloaded' });
    expect((await post('/v2/repository/index', ADMIN, { ready: true })).body.map((e: { name: string }) => e.name)).toEqual(['name-gender']);
    // Unloaded on purpose: the server stays ready and the other models serve.
    await get('/v2/health/ready').expect(200);
    await post('/v2/models/name-gender/infer', PREDICT, textInfer('name', ['Maria'])).expect(200);

    await post('/v2/repository/models/iris/load', ADMIN).expect(200);
    expect((await get('/v2/models/iris/ready').expect(200)).body).toEqual({ name: 'iris', ready: true });
    const back = await post('/v2/models/iris/infer', PREDICT, irisInfer()).expect(200);
    expect(outputOf(back.body, 'label').data).toEqual(['setosa', 'virginica']);
  });

  it('answers 404 for loading or unloading a model the repository does not hold', async () => {
    expectError(await post('/v2/repository/models/nope/load', ADMIN), 404, /not found/, 'MODEL_NOT_FOUND');
    expectError(await post('/v2/repository/models/nope/unload', ADMIN), 404, /not found/, 'MODEL_NOT_FOUND');
  });

  it('refuses model names that are paths with 400 and never loads anything from outside the repository', async () => {
    const sneaky = `..%2F${basename(outside)}%2Firis`;
    for (const name of [sneaky, '..%2Fetc', 'a%2Fb', '%2E%2E', '.hidden']) {
      expectError(await post(`/v2/repository/models/${name}/load`, ADMIN), 400, /^model name '.*' is invalid/, 'INVALID_INPUT');
      expectError(await post(`/v2/repository/models/${name}/unload`, ADMIN), 400, /^model name '.*' is invalid/, 'INVALID_INPUT');
    }
    const index = await post('/v2/repository/index', ADMIN).expect(200);
    expect(index.body.map((e: { name: string }) => e.name)).toEqual(['iris', 'name-gender']);
    expect((await get(`/v2/models/${sneaky}/ready`)).status).toBe(404);
  });
});

describe('KServe V2 readiness while a model cannot serve (inference app, a repository with a broken model)', () => {
  let repo: string;
  let running: RunningApp;

  beforeAll(async () => {
    repo = tempRepository(['iris']);
    writeVersion(repo, 'broken', 1, Buffer.from('this is not an ONNX file'));
    running = await startInference({ models: { repository: repo } });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(repo, { recursive: true, force: true });
  });

  it('answers server ready with 400 and ready false, naming the part that is down', async () => {
    const res = await request(running.url).get('/v2/health/ready');
    expect(res.status).toBe(400);
    expect(res.body.ready).toBe(false);
    expect(res.body.error).toMatch(/models: not serving: broken/);
    await request(running.url).get('/v2/health/live').expect(200);
  });

  it('answers model ready false (400) for the broken model and true for the others, and 503 for its inference', async () => {
    const broken = await request(running.url).get('/v2/models/broken/ready');
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ name: 'broken', ready: false });
    await request(running.url).get('/v2/models/iris/ready').expect(200);
    const res = await request(running.url)
      .post('/v2/models/broken/infer')
      .send({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] });
    expectError(res, 503, /no available version/, 'MODEL_NOT_READY');
  });
});
