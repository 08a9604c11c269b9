import { readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import request from 'supertest';
import { constantClassModel, IRIS_ROW, readModelJson, tempRepository, writeModelJson, writeVersion } from './support/model-repo';
import { until } from './support/poll';
import { RunningApp, startInference } from './support/test-app';
import { MODELS_DIR } from './support/test-config';

const ADMIN = 'admin-key-for-repository-tests';

async function labelOf(app: RunningApp, path = '/v1/models/iris:predict'): Promise<string> {
  const res = await request(app.url).post(path).send({ instances: [IRIS_ROW] }).expect(200);
  return res.body.predictions[0].label;
}

function states(body: { model_version_status: { version: string; state: string }[] }): Record<string, string> {
  return Object.fromEntries(body.model_version_status.map((v) => [v.version, v.state]));
}

function logText(app: RunningApp): string {
  return readdirSync(app.config.logging.dir)
    .map((f) => readFileSync(join(app.config.logging.dir, f), 'utf8'))
    .join('');
}

describe('model repository: versions and version policies', () => {
  let repo: string;
  let app: RunningApp;

  beforeAll(async () => {
    repo = tempRepository(['iris']);
    writeVersion(repo, 'iris', 2, constantClassModel(2)); // always virginica
  });
  afterEach(() => app?.close());

  it('serves the latest version by default and lists every version with its state', async () => {
    app = await startInference({ models: { repository: repo } });
    expect(await labelOf(app)).toBe('virginica');
    expect(await labelOf(app, '/v1/models/iris/versions/2:predict')).toBe('virginica');
    const status = await request(app.url).get('/v1/models/iris').expect(200);
    expect(states(status.body)).toEqual({ '2': 'AVAILABLE', '1': 'END' });
    const res = await request(app.url).post('/v1/models/iris/versions/1:predict').send({ instances: [IRIS_ROW] });
    expect(res.status).toBe(404);
  });

  it('serves only the versions a specific policy names', async () => {
    writeModelJson(repo, 'iris', { ...readModelJson(join(MODELS_DIR), 'iris'), versionPolicy: { specific: [1] } });
    app = await startInference({ models: { repository: repo } });
    expect(await labelOf(app)).toBe('setosa');
    expect(states((await request(app.url).get('/v1/models/iris')).body)).toEqual({ '1': 'AVAILABLE', '2': 'END' });
  });

  it('serves every version under the all policy, each on its own route', async () => {
    writeModelJson(repo, 'iris', { ...readModelJson(join(MODELS_DIR), 'iris'), versionPolicy: { all: true } });
    app = await startInference({ models: { repository: repo } });
    expect(await labelOf(app, '/v1/models/iris/versions/1:predict')).toBe('setosa');
    expect(await labelOf(app, '/v1/models/iris/versions/2:predict')).toBe('virginica');
    expect(await labelOf(app)).toBe('virginica');
  });
});

describe('model repository: hot reload', () => {
  let repo: string;
  let app: RunningApp;

  beforeEach(async () => {
    repo = tempRepository(['iris']);
    app = await startInference({ models: { repository: repo, watch: true, pollIntervalSeconds: 0 } });
  });
  afterEach(() => app.close());

  it('picks up a new version folder without a restart, and drops a removed one', async () => {
    expect(await labelOf(app)).toBe('setosa');
    writeVersion(repo, 'iris', 2, constantClassModel(1));
    await until(async () => (await labelOf(app)) === 'versicolor', 'version 2 to serve');
    // Version 1 drains what it holds (UNLOADING) before it ends.
    await until(async () => {
      expect(states((await request(app.url).get('/v1/models/iris')).body)).toEqual({ '2': 'AVAILABLE', '1': 'END' });
      return true;
    }, 'version 1 to end');
    rmSync(join(repo, 'iris', '2'), { recursive: true });
    await until(async () => (await labelOf(app)) === 'setosa', 'version 1 to serve again');
  });

  it('reloads a version whose model.json changed', async () => {
    const json = readModelJson(repo, 'iris');
    writeModelJson(repo, 'iris', { ...json, postprocess: { ...(json.postprocess as object), labels: ['Setosa', 'Versicolor', 'Virginica'] } });
    await until(async () => (await labelOf(app)) === 'Setosa', 'the new labels');
  });

  it('keeps the serving version when a new version file is corrupt, and shows the error', async () => {
    writeVersion(repo, 'iris', 2, Buffer.from('this is not an onnx file'));
    const status = await until(async () => {
      const res = await request(app.url).get('/v1/models/iris');
      const v2 = res.body.model_version_status.find((v: { version: string }) => v.version === '2');
      return v2?.status.error_code === 'UNKNOWN' ? res.body : undefined;
    }, 'the load error of version 2');
    const v2 = status.model_version_status.find((v: { version: string }) => v.version === '2');
    expect(v2.state).toBe('END');
    expect(v2.status.error_message).toMatch(/iris@2: cannot load model\.onnx/);
    expect(await labelOf(app)).toBe('setosa');
    await until(() => /iris@2: cannot load model\.onnx/.test(logText(app)), 'the error in the log');
  });

  it('keeps the previous load when a reloaded file has the wrong signature', async () => {
    writeVersion(repo, 'iris', 1, constantClassModel(2, 'features', 3, 'scores')); // model.json declares 'probabilities'
    const status = await until(async () => {
      const res = await request(app.url).get('/v1/models/iris');
      return res.body.model_version_status[0].status.error_message ? res.body : undefined;
    }, 'the signature error');
    expect(status.model_version_status[0].state).toBe('AVAILABLE');
    expect(status.model_version_status[0].status.error_message).toMatch(/declared output 'probabilities' is not an ONNX output/);
    expect(await labelOf(app)).toBe('setosa');
  });

  it('refuses a version whose class count does not match its labels', async () => {
    writeVersion(repo, 'iris', 2, constantClassModel(0, 'features', 4));
    const status = await until(async () => {
      const res = await request(app.url).get('/v1/models/iris');
      const v2 = res.body.model_version_status.find((v: { version: string }) => v.version === '2');
      return v2?.status.error_message ? v2 : undefined;
    }, 'the label mismatch');
    expect(status.status.error_message).toMatch(/declared \[-1,3\] but the ONNX file says \[-1,4\]|4 classes but 3 labels/);
    expect(await labelOf(app)).toBe('setosa');
  });

  it('answers every request while a version is replaced and another added under load', async () => {
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const client = async () => {
      while (!stop) {
        const res = await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW] });
        if (res.status === 200) ok++;
        else failures.push(`${res.status} ${res.text}`);
      }
    };
    const clients = Array.from({ length: 6 }, client);
    await until(() => ok > 50, 'traffic to flow');
    writeVersion(repo, 'iris', 1, constantClassModel(1)); // replace the serving file in place
    await until(async () => (await labelOf(app)) === 'versicolor', 'the reloaded version 1');
    writeVersion(repo, 'iris', 2, constantClassModel(2)); // and add a newer version
    await until(async () => (await labelOf(app)) === 'virginica', 'version 2');
    const before = ok;
    await until(() => ok > before + 50, 'more traffic after the reloads');
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(100);
  });
});

describe('model repository: control API and its limits', () => {
  let repo: string;
  let app: RunningApp;

  beforeAll(async () => {
    repo = tempRepository(['iris', 'name-gender']);
    app = await startInference({ models: { repository: repo }, auth: { apiKeys: { [ADMIN]: ['admin'] } } });
  });
  afterAll(() => app.close());

  it('unloads a model until it is loaded again', async () => {
    await request(app.url).post('/v2/repository/models/iris/unload').set('Authorization', `Bearer ${ADMIN}`).expect(200);
    const res = await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW] });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/unloaded/);
    await request(app.url).post('/v2/repository/models/iris/load').set('X-API-Key', ADMIN).expect(200);
    expect(await labelOf(app)).toBe('setosa');
  });

  it('loads a model folder added to the repository on request', async () => {
    const spam = join(repo, 'spam');
    require('fs').cpSync(join(MODELS_DIR, 'spam'), spam, { recursive: true });
    await request(app.url).post('/v2/repository/models/spam/load').set('X-API-Key', ADMIN).expect(200);
    await request(app.url).post('/v1/models/spam:predict').send({ instances: ['cheap meds'] }).expect(200);
  });

  it('refuses names outside the pattern and folders outside the repository', async () => {
    const bad = await request(app.url).post('/v2/repository/models/..%2F..%2Fetc/load').set('X-API-Key', ADMIN);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/model name .* is invalid/);
    symlinkSync(MODELS_DIR, join(repo, 'escape'));
    const escape = await request(app.url).post('/v2/repository/models/escape/load').set('X-API-Key', ADMIN);
    expect(escape.status).toBe(400);
    expect(escape.body.error).toMatch(/outside the model repository/);
    const missing = await request(app.url).post('/v2/repository/models/ghost/load').set('X-API-Key', ADMIN);
    expect(missing.status).toBe(404);
  });

  it('answers 401 without a key and 403 for a key without the admin scope', async () => {
    await request(app.url).post('/v2/repository/index').expect(401);
    await request(app.url).post('/v2/repository/index').set('X-API-Key', 'unknown-key-0123456789').expect(401);
  });
});

describe('model repository: instances, execution providers', () => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('starts the instances model.json asks for and reports the plan', async () => {
    const repo = tempRepository(['iris']);
    writeModelJson(repo, 'iris', { ...readModelJson(repo, 'iris'), instances: 2 });
    app = await startInference({ models: { repository: repo } });
    const meta = await request(app.url).get('/v1/models/iris/metadata').expect(200);
    expect(meta.body.modelgate.instances).toBe(2);
    await until(() => /plan iris@1: 2 instance\(s\) x 1 thread\(s\)/.test(logText(app!)), 'the plan in the log');
    await until(() => /plan total: 2 of at most \d+ instances/.test(logText(app!)), 'the plan total in the log');
  });

  it('refuses to start with more instances than 2 x cores + 1', async () => {
    const repo = tempRepository(['iris']);
    writeModelJson(repo, 'iris', { ...readModelJson(repo, 'iris'), instances: 64 });
    await expect(startInference({ models: { repository: repo } })).rejects.toThrow(/64 instances in total exceed the limit of \d+ \(2 x \d+ cores \+ 1/);
  });

  it('fails a cuda model clearly on a machine without CUDA, and runs it on CPU when fallback allows', async () => {
    const repo = tempRepository(['iris', 'name-gender']);
    writeModelJson(repo, 'iris', { ...readModelJson(repo, 'iris'), executionProvider: 'cuda' });
    writeModelJson(repo, 'name-gender', { ...readModelJson(repo, 'name-gender'), executionProvider: 'cuda', fallback: 'cpu' });
    app = await startInference({ models: { repository: repo } });
    const iris = await request(app.url).get('/v1/models/iris').expect(200);
    expect(iris.body.model_version_status[0].status.error_message).toMatch(/CUDA execution provider is not available.*set "fallback": "cpu"/);
    const res = await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW] });
    expect(res.status).toBe(503);
    const meta = await request(app.url).get('/v1/models/name-gender/metadata').expect(200);
    expect(meta.body.modelgate.executionProvider).toBe('cpu');
    await request(app.url).post('/v1/models/name-gender:predict').send({ instances: ['Maria'] }).expect(200);
    await until(() => /falling back to CPU as model\.json allows/.test(logText(app!)), 'the fallback warning');
  });

  it('refuses an invalid model.json with a message naming the file and the field', async () => {
    const repo = tempRepository(['iris']);
    writeFileSync(join(repo, 'iris', 'model.json'), JSON.stringify({ batching: { maxBatchSize: 0 }, instanceCount: 2 }));
    app = await startInference({ models: { repository: repo } });
    const res = await request(app.url).get('/v1/models/iris');
    expect(res.status).toBe(200);
    const ready = await request(app.url).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toMatch(/not serving: iris/);
    await until(() => /model\.json: unknown field 'instanceCount'/.test(logText(app!)), 'the model.json error in the log');
  });
});
