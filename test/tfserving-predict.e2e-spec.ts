import { join } from 'path';
import request from 'supertest';
import { runOnnxDirect } from './support/direct-onnx';
import { holdout } from './support/holdout';
import { RunningApp, startAllInOne } from './support/test-app';
import { MODELS_DIR } from './support/test-config';

const IRIS_LABELS = ['setosa', 'versicolor', 'virginica'];

/** What the model file itself computes for these rows, straight from onnxruntime in this process. */
async function irisDirect(rows: number[][]): Promise<number[]> {
  const out = await runOnnxDirect(join(MODELS_DIR, 'iris/1/model.onnx'), { features: { data: rows.flat(), dims: [rows.length, 4] } });
  return out.probabilities;
}

describe('TF Serving :predict (all-in-one app, real models, real Redis)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startAllInOne();
  });
  afterAll(() => running.close());

  it('answers the README curl with the classification form of each instance', async () => {
    const res = await request(running.url)
      .post('/v1/models/iris:predict')
      .set('content-type', 'application/json')
      .send({ instances: [[5.1, 3.5, 1.4, 0.2]] })
      .expect(200);
    expect(res.body.predictions).toHaveLength(1);
    const [p] = res.body.predictions;
    expect(p.label).toBe('setosa');
    expect(Object.keys(p.probabilities).sort()).toEqual([...IRIS_LABELS].sort());
    expect(p.score).toBe(Math.max(...(Object.values(p.probabilities) as number[])));
  });

  it('computes what onnxruntime computes on the model file for the hold-out rows', async () => {
    const rows = holdout<{ features: number[]; label: string }>('iris');
    const res = await request(running.url).post('/v1/models/iris:predict').send({ instances: rows.map((r) => r.features) }).expect(200);
    const direct = await irisDirect(rows.map((r) => r.features));
    res.body.predictions.forEach((p: { label: string; probabilities: Record<string, number> }, i: number) => {
      IRIS_LABELS.forEach((label, c) => expect(p.probabilities[label]).toBeCloseTo(direct[i * 3 + c], 6));
      const best = IRIS_LABELS[[0, 1, 2].reduce((a, b) => (direct[i * 3 + b] > direct[i * 3 + a] ? b : a))];
      expect(p.label).toBe(best);
    });
    const correct = res.body.predictions.filter((p: { label: string }, i: number) => p.label === rows[i].label).length;
    expect(correct / rows.length).toBeGreaterThanOrEqual(0.9);
  });

  it('answers the columnar format with outputs, and an explicit version', async () => {
    const res = await request(running.url)
      .post('/v1/models/iris/versions/1:predict')
      .send({ inputs: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]] })
      .expect(200);
    expect(res.body.outputs.map((o: { label: string }) => o.label)).toEqual(['setosa', 'virginica']);
  });

  it('accepts the named-instance form and keeps only top_k classes when asked', async () => {
    const res = await request(running.url)
      .post('/v1/models/iris:predict')
      .send({ instances: [{ features: [6.7, 3.0, 5.2, 2.3] }], top_k: 1 })
      .expect(200);
    expect(res.body.predictions[0].label).toBe('virginica');
    expect(Object.keys(res.body.predictions[0].probabilities)).toEqual(['virginica']);
  });

  it('parses the body as JSON whatever the content type, as TF Serving does (curl -d)', async () => {
    const res = await request(running.url)
      .post('/v1/models/iris:predict')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('{"instances":[[5.1,3.5,1.4,0.2]]}')
      .expect(200);
    expect(res.body.predictions[0].label).toBe('setosa');
  });

  it('serves the text models with string instances', async () => {
    const names = await request(running.url).post('/v1/models/name-gender:predict').send({ instances: ['Maria', 'John'] }).expect(200);
    expect(names.body.predictions.map((p: { label: string }) => p.label)).toEqual(['female', 'male']);
    const spam = await request(running.url)
      .post('/v1/models/spam:predict')
      .send({ instances: ['WIN a FREE iPhone now!!! Click here to claim your $1000 prize', 'Hi Tom, are we still meeting for lunch tomorrow at noon?'] })
      .expect(200);
    expect(spam.body.predictions.map((p: { label: string }) => p.label)).toEqual(['spam', 'ham']);
  });

  it('reports model status and metadata as TF Serving does', async () => {
    const status = await request(running.url).get('/v1/models/iris').expect(200);
    expect(status.body).toEqual({ model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] });
    await request(running.url).get('/v1/models/iris/versions/1').expect(200);
    const meta = await request(running.url).get('/v1/models/iris/metadata').expect(200);
    expect(meta.body.model_spec).toEqual({ name: 'iris', signature_name: '', version: '1' });
    const sig = meta.body.metadata.signature_def.signature_def.serving_default;
    expect(sig.inputs.features.dtype).toBe('DT_FLOAT');
    expect(sig.inputs.features.tensor_shape.dim.map((d: { size: string }) => d.size)).toEqual(['-1', '4']);
    expect(sig.outputs.probabilities.tensor_shape.dim.map((d: { size: string }) => d.size)).toEqual(['-1', '3']);
    expect(meta.body.modelgate.labels).toEqual(IRIS_LABELS);
    const textMeta = await request(running.url).get('/v1/models/name-gender/metadata').expect(200);
    expect(textMeta.body.metadata.signature_def.signature_def.serving_default.inputs.name.dtype).toBe('DT_STRING');
  });

  it('lists the models it serves', async () => {
    const res = await request(running.url).get('/v1/models').expect(200);
    expect(res.body.models.map((m: { name: string }) => m.name)).toEqual(['iris', 'name-gender', 'spam']);
  });

  it('echoes a given X-Request-Id and makes one when none is sent', async () => {
    const given = await request(running.url).get('/health/live').set('X-Request-Id', 'trace-abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-abc-123');
    const made = await request(running.url).get('/health/live').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await request(running.url).get('/health/live').set('X-Request-Id', 'x'.repeat(500)).expect(200);
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Swagger UI at /docs and an OpenAPI document with the colon routes at /docs-json', async () => {
    await request(running.url).get('/docs').expect(200).expect('content-type', /html/);
    const doc = await request(running.url).get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/models/{name}:predict', '/v1/models/{name}/versions/{version}:predict', '/health/ready']));
    const predict = doc.body.paths['/v1/models/{name}:predict'].post;
    expect(predict.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['name']));
    expect(predict.parameters.map((p: { name: string }) => p.name)).not.toContain('target');
    expect(predict.requestBody).toBeDefined();
  });
});
