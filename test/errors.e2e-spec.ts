import request from 'supertest';
import { RunningApp, startInference } from './support/test-app';

/** Every error is `{"error", "code"}` with the design page's status: nothing else, never a stack trace. */
function expectError(res: request.Response, status: number, code: string, message: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(Object.keys(res.body).sort()).toEqual(['code', 'error']);
  expect(res.body.code).toBe(code);
  expect(res.body.error).toMatch(message);
  expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

describe('errors are part of the interface', () => {
  let running: RunningApp;
  const predict = (body: unknown, path = '/v1/models/iris:predict') => request(running.url).post(path).send(body as object);

  beforeAll(async () => {
    running = await startInference({ server: { bodyLimitBytes: 64 * 1024 } });
  });
  afterAll(() => running.close());

  it('answers 400 naming the instance for a wrong shape', async () => {
    expectError(await predict({ instances: [[5.1, 3.5, 1.4, 0.2], [1, 2, 3]] }), 400, 'INVALID_INPUT', /^instances\[1\]: expected a list of 4 values, got 3 values$/);
  });

  it('answers 400 naming the element for a wrong type', async () => {
    expectError(await predict({ instances: [[5.1, 'wide', 1.4, 0.2]] }), 400, 'INVALID_INPUT', /^instances\[0\]\[1\]: expected a finite number \(FP32\), got "wide"$/);
    expectError(await predict({ instances: [[5.1, null, 1.4, 0.2]] }), 400, 'INVALID_INPUT', /got null/);
    expectError(await predict({ instances: ['Maria'] }), 400, 'INVALID_INPUT', /instances\[0\]/);
    expectError(await predict({ instances: [5] }, '/v1/models/name-gender:predict'), 400, 'INVALID_INPUT', /^instances\[0\]: expected a string/);
  });

  it('answers 400 for a number JSON cannot hold as a float (1e999 is Infinity)', async () => {
    const res = await request(running.url).post('/v1/models/iris:predict').set('content-type', 'application/json').send('{"instances":[[1e999,3.5,1.4,0.2]]}');
    expectError(res, 400, 'INVALID_INPUT', /instances\[0\]\[0\]: expected a finite number \(FP32\), got Infinity/);
  });

  it('answers 400 for a missing, empty or doubled payload and for unknown fields', async () => {
    expectError(await predict({}), 400, 'INVALID_INPUT', /must have "instances" \(row format\) or "inputs"/);
    expectError(await predict({ instances: [] }), 400, 'INVALID_INPUT', /instances must be a non-empty list/);
    expectError(await predict({ instances: [[1, 2, 3, 4]], inputs: [[1, 2, 3, 4]] }), 400, 'INVALID_INPUT', /either "instances" or "inputs", not both/);
    expectError(await predict({ instance: [[1, 2, 3, 4]] }), 400, 'INVALID_INPUT', /unknown field 'instance'/);
    expectError(await predict({ instances: [{ feature: [1, 2, 3, 4] }] }), 400, 'INVALID_INPUT', /missing input 'features'/);
    expectError(await predict({ instances: [[1, 2, 3, 4]], top_k: 0 }), 400, 'INVALID_INPUT', /top_k must be an integer >= 1/);
    expectError(await predict([1, 2, 3]), 400, 'INVALID_INPUT', /must be a JSON object/);
  });

  it('answers 400 for a body that is not JSON, and for an empty one', async () => {
    const bad = await request(running.url).post('/v1/models/iris:predict').set('content-type', 'application/json').send('{"instances": [[1,2');
    expectError(bad, 400, 'INVALID_INPUT', /not valid JSON/);
    const empty = await request(running.url).post('/v1/models/iris:predict').set('content-type', 'application/json').send('');
    expectError(empty, 400, 'INVALID_INPUT', /empty/);
  });

  it('answers 404 for an unknown model, version, route or method', async () => {
    expectError(await predict({ instances: [[1, 2, 3, 4]] }, '/v1/models/nope:predict'), 404, 'MODEL_NOT_FOUND', /^Model 'nope' not found$/);
    expectError(await predict({ instances: [[1, 2, 3, 4]] }, '/v1/models/iris/versions/7:predict'), 404, 'MODEL_NOT_FOUND', /Version 7 of model 'iris' not found/);
    expectError(await request(running.url).get('/v1/models/nope'), 404, 'MODEL_NOT_FOUND', /nope/);
    expectError(await request(running.url).get('/v1/models/iris/versions/9'), 404, 'MODEL_NOT_FOUND', /Version 9/);
    expectError(await request(running.url).get('/nowhere'), 404, 'NOT_FOUND', /no route GET \/nowhere/);
    expectError(await predict({ instances: [[1, 2, 3, 4]] }, '/v1/models/iris:explain'), 404, 'NOT_FOUND', /':explain'/);
    expectError(await predict({ instances: [[1, 2, 3, 4]] }, '/v1/models/iris'), 404, 'NOT_FOUND', /append a method/);
  });

  it('answers 400 for a malformed version', async () => {
    expectError(await predict({ instances: [[1, 2, 3, 4]] }, '/v1/models/iris/versions/latest:predict'), 400, 'INVALID_INPUT', /version must be a positive integer/);
  });

  it('answers 413 for a body over the limit', async () => {
    const rows = Array.from({ length: 5000 }, () => [5.1, 3.5, 1.4, 0.2]);
    expectError(await predict({ instances: rows }), 413, 'PAYLOAD_TOO_LARGE', /larger than the server accepts/);
  });

  it('answers 415 with a hint for a content type it cannot read', async () => {
    const res = await request(running.url).post('/v1/models/iris:predict').set('content-type', 'application/xml').send('<x/>');
    expectError(res, 415, 'INVALID_INPUT', /send JSON with Content-Type: application\/json/);
  });
});
