import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { load as parseYaml } from 'js-yaml';
import { Socket } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import { loadConfig } from '@app/config';
import { inferenceAppSpec } from '../apps/inference/src/inference-app';
import { tempRepository } from './support/model-repo';
import { RunningApp, startApp } from './support/test-app';
import { CONFIG_DIR, MODELS_DIR, REDIS_URL, ROOT } from './support/test-config';

/**
 * modelgate under KServe: the app is started with the env of deploy/kserve/servingruntime.yaml (the name
 * template filled with the InferenceService's name, as KServe's controller does), on what KServe's storage
 * initializer leaves in /mnt/models for deploy/kserve/inferenceservice.yaml's storageUri (a folder holding
 * model.onnx and model.json), and called the way KServe's peers call it: the kubelet's probes of the
 * runtime's container, and the InferenceGraph router (cmd/router), a Go net/http client that POSTs the body
 * with the headers it was told to propagate, Content-Type: application/json when none was, and Go's own
 * User-Agent and Accept-Encoding: gzip.
 */
interface Container {
  env: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  ports: Array<{ name: string; containerPort: number }>;
  readinessProbe: { httpGet: { path: string; port: number } };
  livenessProbe: { httpGet: { path: string; port: number } };
  startupProbe: { httpGet: { path: string; port: number } };
}
const runtime = parseYaml(readFileSync(join(ROOT, 'deploy/kserve/servingruntime.yaml'), 'utf8')) as {
  kind: string;
  spec: { supportedModelFormats: Array<{ name: string }>; protocolVersions: string[]; containers: Container[] };
};
const isvc = parseYaml(readFileSync(join(ROOT, 'deploy/kserve/inferenceservice.yaml'), 'utf8')) as {
  metadata: { name: string };
  spec: { predictor: { model: { modelFormat: { name: string }; runtime: string; protocolVersion: string } } };
};
const container = runtime.spec.containers[0];
const NAME = isvc.metadata.name;
const PREDICT_KEY = 'kserve-router-key-0123456789';

/** The container's env as KServe renders it for this InferenceService (values from Secrets left out). */
function renderedEnv(mountPath: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env) if (e.value !== undefined) env[e.name] = e.value.replace('{{.Name}}', NAME);
  expect(env.MODEL_REPOSITORY).toBe('/mnt/models');
  env.MODEL_REPOSITORY = mountPath;
  return env;
}

async function startAsKServe(mountPath: string): Promise<RunningApp> {
  const unique = `mgtest-kserve-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  // Only what a test must change: its own ports, logs and Redis namespace (the runtime's REDIS_URL names a cluster Service).
  const config = loadConfig({
    configDir: CONFIG_DIR,
    env: renderedEnv(mountPath),
    overrides: {
      server: { port: 0, host: '127.0.0.1' },
      grpc: { port: 0 },
      redis: { url: REDIS_URL, keyPrefix: unique, embedded: false },
      logging: { dir: mkdtempSync(join(tmpdir(), 'modelgate-logs-')), level: 'info', accessLog: true },
      auth: { apiKeys: { [PREDICT_KEY]: ['predict'] } },
    },
  });
  return startApp(inferenceAppSpec, config);
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 exchange with exactly these request bytes (no client library adding its own headers). */
function exchange(app: RunningApp, head: string[], body = ''): Promise<RawAnswer> {
  const port = Number(new URL(app.url).port);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let data = Buffer.alloc(0);
    const done = (answer: RawAnswer) => (socket.destroy(), resolve(answer));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      const answer = parseAnswer(data);
      if (answer) done(answer);
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed before a whole answer: ${data.toString('latin1').slice(0, 200)}`)));
    socket.connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body, 'utf8')])));
  });
}

/** A whole answer once its body is in (Content-Length or chunked), gunzipped as Go's transport does. */
function parseAnswer(data: Buffer): RawAnswer | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.toString('latin1', 0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  let rest = data.subarray(end + 4);
  let body: Buffer;
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd < 0) return undefined;
      const size = parseInt(rest.toString('latin1', 0, lineEnd), 16);
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) break;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    body = Buffer.concat(parts);
  } else {
    const length = Number(headers['content-length'] ?? 0);
    if (rest.length < length) return undefined;
    body = rest.subarray(0, length);
  }
  if (headers['content-encoding'] === 'gzip') body = gunzipSync(body);
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') };
}

/** The kubelet's HTTP probe (prober/http.go): a GET with its User-Agent, Accept (any type) and Connection: close. */
const kubeletProbe = (app: RunningApp, path: string) =>
  exchange(app, [`GET ${path} HTTP/1.1`, `Host: 10.244.1.17:${container.readinessProbe.httpGet.port}`, 'User-Agent: kube-probe/1.31', 'Accept: */*', 'Connection: close']);

/** A GET from a Go client (the router's health checks of a step, `curl`-free readiness gates). */
const goGet = (app: RunningApp, path: string) =>
  exchange(app, [`GET ${path} HTTP/1.1`, `Host: ${NAME}-predictor.default.svc.cluster.local`, 'User-Agent: Go-http-client/1.1', 'Accept-Encoding: gzip']);

/**
 * The router's callService: POST to the step's serviceUrl with the propagated headers (PROPAGATE_HEADERS,
 * here Authorization and Traceparent), Content-Type: application/json added when the client sent none,
 * then what Go's transport adds: Host, User-Agent, Content-Length, Accept-Encoding: gzip.
 */
const routerPost = (app: RunningApp, path: string, body: object, propagated: Record<string, string>) => {
  const text = JSON.stringify(body);
  return exchange(
    app,
    [
      `POST ${path} HTTP/1.1`,
      `Host: ${NAME}-predictor.default.svc.cluster.local`,
      'User-Agent: Go-http-client/1.1',
      `Content-Length: ${Buffer.byteLength(text)}`,
      ...Object.entries(propagated).map(([k, v]) => `${k}: ${v}`),
      'Content-Type: application/json',
      'Accept-Encoding: gzip',
    ],
    text,
  );
};

const IRIS_ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.0, 5.2, 2.3],
  [5.9, 3.0, 4.2, 1.5],
];
const inferBody = { id: 'graph-step-1', inputs: [{ name: 'features', shape: [IRIS_ROWS.length, 4], datatype: 'FP32', data: IRIS_ROWS.flat() }] };
const ROUTER_HEADERS = { Authorization: `Bearer ${PREDICT_KEY}`, Traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };

describe('deploy/kserve manifests', () => {
  it('declare an ONNX serving runtime for the V2 protocol on REST and gRPC, which the InferenceService selects', () => {
    expect(runtime.kind).toBe('ServingRuntime');
    expect(runtime.spec.supportedModelFormats.map((f) => f.name)).toContain('onnx');
    expect(runtime.spec.protocolVersions).toEqual(['v2', 'grpc-v2']);
    expect(isvc.spec.predictor.model).toMatchObject({ modelFormat: { name: 'onnx' }, runtime: 'modelgate', protocolVersion: 'v2' });
    const env = renderedEnv('/mnt/models');
    expect(env.MODELGATE_MODELS_NAME).toBe(NAME);
    expect(container.ports.map((p) => p.containerPort)).toEqual([Number(env.PORT)]);
    expect(Number(env.MODELGATE_GRPC_PORT)).toBe(8081);
  });

  it('name only settings the README documents', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(container.env.map((e) => e.name).filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});

describe(`KServe single model directory (/mnt/models holding model.onnx + model.json, served as '${NAME}')`, () => {
  let mount: string;
  let app: RunningApp;
  beforeAll(async () => {
    // What the storage initializer writes for storageUri gs://.../iris: the folder's files, flat.
    mount = mkdtempSync(join(tmpdir(), 'modelgate-mnt-models-'));
    copyFileSync(join(MODELS_DIR, 'iris/1/model.onnx'), join(mount, 'model.onnx'));
    copyFileSync(join(MODELS_DIR, 'iris/model.json'), join(mount, 'model.json'));
    app = await startAsKServe(mount);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(mount, { recursive: true, force: true });
  });

  it("answers the kubelet's startup, liveness and readiness probes of the runtime's container with 200", async () => {
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      const res = await kubeletProbe(app, probe.httpGet.path);
      expect([probe.httpGet.path, res.status]).toEqual([probe.httpGet.path, 200]);
    }
  });

  it('is ready, and so is the model under the name KServe passed, for a Go client', async () => {
    const server = await goGet(app, '/v2/health/ready');
    expect(server.status).toBe(200);
    expect(JSON.parse(server.body)).toEqual({ ready: true });
    const model = await goGet(app, `/v2/models/${NAME}/ready`);
    expect(model.status).toBe(200);
    expect(JSON.parse(model.body)).toEqual({ name: NAME, ready: true });
    // KServe's own default name, and the folder's, are not served: only the InferenceService's.
    expect((await goGet(app, '/v2/models/model/ready')).status).toBe(404);
  });

  it("answers the router's POST /v2/models/<name>/infer with the model's V2 outputs (labels included), echoing the id", async () => {
    const res = await routerPost(app, `/v2/models/${NAME}/infer`, inferBody, ROUTER_HEADERS);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const answer = JSON.parse(res.body);
    expect(answer).toMatchObject({ model_name: NAME, model_version: '1', id: 'graph-step-1' });
    const probabilities = answer.outputs.find((o: { name: string }) => o.name === 'probabilities');
    expect(probabilities).toMatchObject({ datatype: 'FP32', shape: [3, 3] });
    expect(answer.outputs.find((o: { name: string }) => o.name === 'label').data).toEqual(['setosa', 'virginica', 'versicolor']);
  });

  it('answers a version-qualified infer, the metadata, and TF Serving :predict under the same name', async () => {
    expect((await routerPost(app, `/v2/models/${NAME}/versions/1/infer`, inferBody, ROUTER_HEADERS)).status).toBe(200);
    const metadata = await exchange(app, [`GET /v2/models/${NAME} HTTP/1.1`, 'Host: x', 'User-Agent: Go-http-client/1.1', `Authorization: Bearer ${PREDICT_KEY}`]);
    expect(JSON.parse(metadata.body)).toMatchObject({ name: NAME, versions: ['1'], platform: 'onnxruntime_onnx' });
    const predict = await routerPost(app, `/v1/models/${NAME}:predict`, { instances: [IRIS_ROWS[0]] }, ROUTER_HEADERS);
    expect(JSON.parse(predict.body).predictions[0].label).toBe('setosa');
  });

  it('refuses the router when it does not propagate the Authorization header (predict keys are configured)', async () => {
    const res = await routerPost(app, `/v2/models/${NAME}/infer`, inferBody, {});
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).code).toBe('UNAUTHENTICATED');
  });
});

describe('KServe /mnt/models holding a modelgate repository (<name>/<version>/model.onnx)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAsKServe(tempRepository(['spam', 'name-gender']));
  });
  afterAll(() => app?.close());

  it("serves every model of the repository under its folder's name; the InferenceService's name is no model then", async () => {
    expect((await goGet(app, '/v2/models/spam/ready')).status).toBe(200);
    expect((await goGet(app, '/v2/models/name-gender/ready')).status).toBe(200);
    expect((await goGet(app, `/v2/models/${NAME}/ready`)).status).toBe(404);
    const res = await routerPost(app, '/v2/models/spam/infer', { inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: ['WIN a FREE iPhone now!!! Click here'] }] }, ROUTER_HEADERS);
    expect([res.status, JSON.parse(res.body).model_name]).toEqual([200, 'spam']);
  });
});
