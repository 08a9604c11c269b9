import request from 'supertest';
import { halfPlusShiftModel, int64SumModel, IRIS_ROW, tempRepository, writeVersion } from './support/model-repo';
import { RunningApp, startInference } from './support/test-app';

const VIRGINICA_ROW = [6.7, 3.0, 5.2, 2.3];
const IRIS_LABELS = ['setosa', 'versicolor', 'virginica'];

function expectError(res: request.Response, status: number, code: string, message: RegExp): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.body.error).toMatch(message);
}

describe('TF Serving :classify and :regress (inference app, real models)', () => {
  let app: RunningApp;
  const classify = (body: unknown, path = '/v1/models/iris:classify') => request(app.url).post(path).send(body as object);
  const regress = (body: unknown, path = '/v1/models/linear:regress') => request(app.url).post(path).send(body as object);

  beforeAll(async () => {
    const repo = tempRepository(['iris', 'name-gender']);
    writeVersion(repo, 'linear', 1, halfPlusShiftModel()); // y = 0.5 * x + shift
    writeVersion(repo, 'sums', 1, int64SumModel()); // two outputs
    app = await startInference({ models: { repository: repo } });
  });
  afterAll(() => app?.close());

  it(':classify answers every class of each example as [label, score], highest first, with the scores :predict gives', async () => {
    const res = await classify({ examples: [{ features: IRIS_ROW }, { features: VIRGINICA_ROW }] }).expect(200);
    expect(Object.keys(res.body)).toEqual(['results']);
    expect(res.body.results).toHaveLength(2);
    const predicted = await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW, VIRGINICA_ROW] }).expect(200);
    res.body.results.forEach((classes: [string, number][], i: number) => {
      expect(classes.map(([label]) => label).sort()).toEqual(IRIS_LABELS);
      const scores = classes.map(([, score]) => score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const [label, score] of classes) expect(score).toBeCloseTo(predicted.body.predictions[i].probabilities[label], 6);
    });
    expect(res.body.results.map((classes: [string, number][]) => classes[0][0])).toEqual(['setosa', 'virginica']);
  });

  it(':classify merges context into each example, the example\'s own feature winning', async () => {
    const res = await classify({ context: { features: IRIS_ROW }, examples: [{}, { features: VIRGINICA_ROW }] }).expect(200);
    expect(res.body.results.map((classes: [string, number][]) => classes[0][0])).toEqual(['setosa', 'virginica']);
  });

  it(':classify serves a given version, a text model and TF Serving\'s signature names', async () => {
    const version = await classify({ signature_name: 'serving_default', examples: [{ features: VIRGINICA_ROW }] }, '/v1/models/iris/versions/1:classify').expect(200);
    expect(version.body.results[0][0][0]).toBe('virginica');
    const names = await classify({ signature_name: 'tensorflow/serving/classify', examples: [{ name: 'Maria' }, { name: ['John'] }] }, '/v1/models/name-gender:classify').expect(200);
    expect(names.body.results.map((classes: [string, number][]) => classes[0][0])).toEqual(['female', 'male']);
  });

  it(':classify parses the body as JSON whatever the content type, as TF Serving does (curl -d)', async () => {
    const res = await request(app.url)
      .post('/v1/models/iris:classify')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(JSON.stringify({ examples: [{ features: VIRGINICA_ROW }] }))
      .expect(200);
    expect(res.body.results[0][0][0]).toBe('virginica');
  });

  it(':regress answers one value per example, features as values or one-value lists', async () => {
    const res = await regress({ examples: [{ x: 1, shift: 3 }, { x: [2], shift: [3] }] }).expect(200);
    expect(res.body).toEqual({ results: [3.5, 4] });
    const versioned = await regress({ signature_name: 'tensorflow/serving/regress', examples: [{ x: 4, shift: 0 }] }, '/v1/models/linear/versions/1:regress').expect(200);
    expect(versioned.body).toEqual({ results: [2] });
  });

  it(':regress merges context into each example, the example\'s own feature winning', async () => {
    const res = await regress({ context: { shift: 3 }, examples: [{ x: 1 }, { x: 2 }, { x: 2, shift: 10 }] }).expect(200);
    expect(res.body).toEqual({ results: [3.5, 4, 11] });
  });

  it('answers 400 naming why for a model that does not fit the method', async () => {
    expectError(await regress({ examples: [{ features: IRIS_ROW }] }, '/v1/models/iris:regress'), 400, 'INVALID_INPUT', /model 'iris' is a classification model \('probabilities' \[-1,3\]\); :regress needs .* one value per example/);
    expectError(await regress({ examples: [{ ids: [1, 2] }] }, '/v1/models/sums:regress'), 400, 'INVALID_INPUT', /model 'sums' is not a regression model: .* it has 'sum' \[-1,1\], 'sum_int' \[-1,1\]/);
    expectError(await classify({ examples: [{ x: 1, shift: 1 }] }, '/v1/models/linear:classify'), 400, 'INVALID_INPUT', /model 'linear' is not a classification model: :classify needs .*labels/);
  });

  it('answers 400 for a body without examples, or with examples that are not feature maps', async () => {
    expectError(await classify({ instances: [IRIS_ROW] }), 400, 'INVALID_INPUT', /unknown field 'instances' \(a :classify body holds signature_name, context, examples\)/);
    expectError(await classify({}), 400, 'INVALID_INPUT', /:classify needs "examples"/);
    expectError(await regress({ examples: [] }), 400, 'INVALID_INPUT', /examples must be a non-empty list/);
    expectError(await classify({ examples: [{ features: IRIS_ROW }, [5.1, 3.5, 1.4, 0.2]] }), 400, 'INVALID_INPUT', /examples\[1\] must be an object of features \('features'\)/);
    expectError(await regress({ context: [1], examples: [{ x: 1, shift: 1 }] }), 400, 'INVALID_INPUT', /context must be an object/);
    expectError(await classify({ signature_name: 'predict_images', examples: [{ features: IRIS_ROW }] }), 400, 'INVALID_INPUT', /signature_name 'predict_images' not found/);
  });

  it('answers 400 naming the feature for a bad feature value', async () => {
    expectError(await classify({ examples: [{ features: IRIS_ROW }, { features: [1, 2, 3] }] }), 400, 'INVALID_INPUT', /^examples\[1\]\.features: input 'features' takes 4 values per example \(shape \[4\], FP32\), got 3$/);
    expectError(await classify({ examples: [{ features: [5.1, 'wide', 1.4, 0.2] }] }), 400, 'INVALID_INPUT', /^examples\[0\]\.features\[1\]: expected a finite number \(FP32\), got "wide"$/);
    expectError(await classify({ examples: [{ features: [IRIS_ROW] }] }), 400, 'INVALID_INPUT', /examples\[0\]\.features\[0\]: a feature is a value or a flat list of values, not a nested list/);
    expectError(await regress({ context: { shift: 'up' }, examples: [{ x: 1 }] }), 400, 'INVALID_INPUT', /^context\.shift: expected a finite number \(FP32\), got "up"$/);
    expectError(await regress({ examples: [{ x: 1, shift: 1 }, { x: 2 }] }), 400, 'INVALID_INPUT', /^examples\[1\]: missing feature 'shift' \(in the example or in context\)$/);
  });

  it('answers 400 naming an unknown feature, in an example or in context', async () => {
    expectError(await classify({ examples: [{ features: IRIS_ROW }, { features: IRIS_ROW, petal_width: 0.2 }] }), 400, 'INVALID_INPUT', /^examples\[1\]: unknown feature 'petal_width' \(the model takes 'features'\)$/);
    expectError(await regress({ context: { z: 1 }, examples: [{ x: 1, shift: 1 }] }), 400, 'INVALID_INPUT', /^context: unknown feature 'z' \(the model takes 'x', 'shift'\)$/);
  });

  it('answers 404 for an unknown model or version, and for a method TF Serving does not have', async () => {
    expectError(await classify({ examples: [{ features: IRIS_ROW }] }, '/v1/models/nope:classify'), 404, 'MODEL_NOT_FOUND', /Model 'nope' not found/);
    expectError(await regress({ examples: [{ x: 1, shift: 1 }] }, '/v1/models/linear/versions/9:regress'), 404, 'MODEL_NOT_FOUND', /Version 9 of model 'linear' not found/);
    expectError(await classify({ examples: [] }, '/v1/models/iris:explain'), 404, 'NOT_FOUND', /method ':explain' is not served; modelgate serves :predict, :classify and :regress/);
  });

  it('lists each method as its own operation in the OpenAPI document', async () => {
    const doc = await request(app.url).get('/docs-json').expect(200);
    for (const path of [
      '/v1/models/{name}:classify',
      '/v1/models/{name}/versions/{version}:classify',
      '/v1/models/{name}/labels/{label}:classify',
      '/v1/models/{name}:regress',
      '/v1/models/{name}/versions/{version}:regress',
      '/v1/models/{name}/labels/{label}:regress',
      '/v1/models/{name}/labels/{label}:predict',
    ]) {
      expect(doc.body.paths[path]?.post?.requestBody).toBeDefined();
    }
    expect(doc.body.paths['/v1/models/{name}/labels/{target}']).toBeUndefined();
    const example = doc.body.paths['/v1/models/{name}:classify'].post.requestBody.content['application/json'].examples.rows.value;
    const res = await classify(example).expect(200);
    expect(res.body.results.map((classes: [string, number][]) => classes[0][0])).toEqual(['setosa', 'virginica']);
  });
});
