import request from 'supertest';
import { constantClassModel, halfPlusShiftModel, IRIS_ROW, readModelJson, tempRepository, writeModelJson, writeVersion } from './support/model-repo';
import { RunningApp, startInference } from './support/test-app';

const VIRGINICA_ROW = [6.7, 3.0, 5.2, 2.3];

function expectError(res: request.Response, status: number, code: string, message: RegExp): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.body.error).toMatch(message);
}

describe('TF Serving version labels (model.json versionLabels, real models)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    const repo = tempRepository(['iris']);
    // iris@1 is the trained model; iris@2 always answers virginica, so an answer tells which version served it.
    writeVersion(repo, 'iris', 2, constantClassModel(2));
    writeModelJson(repo, 'iris', { ...readModelJson(repo, 'iris'), versionPolicy: { all: true }, versionLabels: { stable: 1, canary: 2, next: 3 } });
    writeVersion(repo, 'linear', 1, halfPlusShiftModel());
    writeModelJson(repo, 'linear', { versionLabels: { stable: 1 } });
    app = await startInference({ models: { repository: repo } });
  });
  afterAll(() => app?.close());

  it('predicts with the version each label names', async () => {
    const stable = await request(app.url).post('/v1/models/iris/labels/stable:predict').send({ instances: [IRIS_ROW] }).expect(200);
    expect(stable.body.predictions[0].label).toBe('setosa');
    const canary = await request(app.url).post('/v1/models/iris/labels/canary:predict').send({ instances: [IRIS_ROW] }).expect(200);
    expect(canary.body.predictions[0].label).toBe('virginica');
  });

  it('classifies and regresses through a label', async () => {
    const stable = await request(app.url).post('/v1/models/iris/labels/stable:classify').send({ examples: [{ features: VIRGINICA_ROW }] }).expect(200);
    expect(stable.body.results[0][0][0]).toBe('virginica');
    const canary = await request(app.url).post('/v1/models/iris/labels/canary:classify').send({ examples: [{ features: IRIS_ROW }] }).expect(200);
    expect(canary.body.results[0][0][0]).toBe('virginica');
    const regress = await request(app.url).post('/v1/models/linear/labels/stable:regress').send({ examples: [{ x: 2, shift: 3 }] }).expect(200);
    expect(regress.body).toEqual({ results: [4] });
  });

  it('answers GET /v1/models/{name}/labels/{label} with the status of the version the label names, and its metadata', async () => {
    const canary = await request(app.url).get('/v1/models/iris/labels/canary').expect(200);
    expect(canary.body).toEqual({ model_version_status: [{ version: '2', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] });
    const stable = await request(app.url).get('/v1/models/iris/labels/stable').expect(200);
    expect(stable.body.model_version_status.map((v: { version: string }) => v.version)).toEqual(['1']);
    const metadata = await request(app.url).get('/v1/models/iris/labels/canary/metadata').expect(200);
    expect(metadata.body.model_spec).toEqual({ name: 'iris', signature_name: '', version: '2' });
  });

  it('queues a labelled :predict for the version the label names when the client prefers respond-async', async () => {
    const res = await request(app.url).post('/v1/models/iris/labels/canary:predict').set('Prefer', 'respond-async').send({ instances: [IRIS_ROW] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ model: 'iris', version: 2, state: 'queued' });
  });

  it('answers 404 NOT_FOUND for a label the model does not declare, on every labelled route', async () => {
    const predict = { instances: [IRIS_ROW] };
    expectError(await request(app.url).post('/v1/models/iris/labels/beta:predict').send(predict), 404, 'NOT_FOUND', /model 'iris' has no version label 'beta'/);
    // Outside the label pattern: the whole-segment route answers the same.
    expectError(await request(app.url).post('/v1/models/iris/labels/Beta:predict').send(predict), 404, 'NOT_FOUND', /no version label 'Beta'/);
    const classify = { examples: [{ features: IRIS_ROW }] };
    expectError(await request(app.url).post('/v1/models/iris/labels/beta:classify').send(classify), 404, 'NOT_FOUND', /no version label 'beta'/);
    expectError(await request(app.url).post('/v1/models/linear/labels/beta:regress').send({ examples: [{ x: 1, shift: 1 }] }), 404, 'NOT_FOUND', /its labels: stable/);
    expectError(await request(app.url).get('/v1/models/iris/labels/beta'), 404, 'NOT_FOUND', /no version label 'beta' \(its labels: stable, canary, next\)/);
    expectError(await request(app.url).get('/v1/models/iris/labels/beta/metadata'), 404, 'NOT_FOUND', /no version label 'beta'/);
    expectError(await request(app.url).post('/v1/models/nope/labels/stable:predict').send({ instances: [IRIS_ROW] }), 404, 'MODEL_NOT_FOUND', /Model 'nope' not found/);
  });

  it('answers 503 MODEL_NOT_READY with Retry-After for a label on a version that is not available', async () => {
    const predict = await request(app.url).post('/v1/models/iris/labels/next:predict').send({ instances: [IRIS_ROW] });
    expectError(predict, 503, 'MODEL_NOT_READY', /label 'next' of model 'iris' names version 3, which is not available/);
    expect(Number(predict.headers['retry-after'])).toBeGreaterThan(0);
    const classify = await request(app.url).post('/v1/models/iris/labels/next:classify').send({ examples: [{ features: IRIS_ROW }] });
    expectError(classify, 503, 'MODEL_NOT_READY', /version 3/);
    expectError(await request(app.url).get('/v1/models/iris/labels/next/metadata'), 503, 'MODEL_NOT_READY', /version 3/);
    // The status route reports versions: one the repository does not have is a 404, as GET .../versions/3 is.
    expectError(await request(app.url).get('/v1/models/iris/labels/next'), 404, 'MODEL_NOT_FOUND', /Version 3 of model 'iris' not found/);
  });
});

describe('TF Serving version labels: a bad versionLabels in model.json', () => {
  let app: RunningApp;
  afterAll(() => app?.close());

  it('fails the model load with an error naming the field, for a bad version and a bad label name', async () => {
    const repo = tempRepository(['iris']);
    writeModelJson(repo, 'iris', { ...readModelJson(repo, 'iris'), versionLabels: { stable: 0 } });
    writeVersion(repo, 'linear', 1, halfPlusShiftModel());
    writeModelJson(repo, 'linear', { versionLabels: { 'Bad Label': 1 } });
    app = await startInference({ models: { repository: repo } });
    expectError(
      await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW] }),
      503,
      'MODEL_NOT_READY',
      /model\.json: versionLabels\.stable must be an integer from 1 to \d+, got 0/,
    );
    expectError(
      await request(app.url).post('/v1/models/linear:regress').send({ examples: [{ x: 1, shift: 1 }] }),
      503,
      'MODEL_NOT_READY',
      /model\.json: versionLabels: label "Bad Label" must be 1 to 64 of a-z, 0-9, '_' and '-'/,
    );
    const status = await request(app.url).get('/v1/models/iris').expect(200);
    expect(status.body.model_version_status).toEqual([]);
  });
});
