import { bodyExamples, OpenApiDocument, probeTargets, TryItOut } from './support/swagger-try-it-out';
import { linearModel, tempRepository, writeModelJson, writeVersion } from './support/model-repo';
import { RunningApp, startInference } from './support/test-app';

const ADMIN_KEY = 'openapi-examples-admin-key-0001';
const PREDICT_KEY = 'openapi-examples-predict-key-01';
/** What Swagger UI sends after "Authorize" with the bearer scheme. */
const AS_SWAGGER_UI = { authorization: `Bearer ${ADMIN_KEY}`, accept: 'application/json' };

async function send(base: string, request: Pick<TryItOut, 'method' | 'path' | 'headers' | 'body'>, headers: Record<string, string> = {}) {
  const hasBody = request.body !== undefined;
  const response = await fetch(`${base}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
    body: hasBody ? JSON.stringify(request.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

const documented = (document: OpenApiDocument, method: string, template: string): string[] =>
  Object.keys(document.paths[template]?.[method.toLowerCase()]?.responses ?? {});

describe('The OpenAPI document (/docs-json) run as Swagger UI runs it', () => {
  let app: RunningApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    // The default models, and the regression model the :regress examples are written for.
    const repository = tempRepository(['iris', 'name-gender', 'spam']);
    writeVersion(repository, 'linear', 1, linearModel());
    writeModelJson(repository, 'linear', { description: 'y = 2x + 1', versionLabels: { stable: 1 } });
    app = await startInference({ models: { repository }, auth: { apiKeys: { [ADMIN_KEY]: ['predict', 'admin'] } } });
    document = (await (await fetch(`${app.url}/docs-json`)).json()) as OpenApiDocument;
  });
  afterAll(() => app?.close());

  it("answers every request-body example with a 2xx its operation documents, sent as Try it out sends it with Swagger UI's bearer key", async () => {
    const requests = bodyExamples(document);
    expect(requests.map((r) => r.name)).toEqual(
      expect.arrayContaining(['POST /v1/models/{name}:predict (Row format)', 'POST /v1/models/{name}:predict (Columnar format)', 'POST /v2/models/{name}/infer (iris)']),
    );
    const failures: string[] = [];
    for (const request of requests) {
      const answer = await send(app.url, request, AS_SWAGGER_UI);
      if (!request.success.includes(answer.status)) {
        failures.push(`${request.name} -> ${answer.status} ${answer.text.slice(0, 200)} (documented: ${request.success.join(', ') || 'no 2xx'})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("makes Swagger UI's default :predict body the row form alone, which predicts setosa", async () => {
    const [predict] = bodyExamples(document).filter((r) => r.name.startsWith('POST /v1/models/{name}:predict'));
    expect(predict.body).toEqual(expect.objectContaining({ instances: [[5.1, 3.5, 1.4, 0.2]] }));
    expect(predict.body).not.toHaveProperty('inputs');
    const answer = await send(app.url, predict, AS_SWAGGER_UI);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).predictions[0].label).toBe('setosa');
  });

  it('queues the :predict example as a job with Prefer: respond-async, the 202 + Location the document lists', async () => {
    const predict = bodyExamples(document).find((r) => r.name.startsWith('POST /v1/models/{name}:predict'))!;
    const accepted = document.paths['/v1/models/{name}:predict'].post.responses['202'];
    expect(accepted.headers).toHaveProperty('Location');
    const answer = await send(app.url, predict, { ...AS_SWAGGER_UI, prefer: 'respond-async' });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('location')).toMatch(/^\/v1\/jobs\/iris~/);
  });

  it('documents the binary tensor data extension on V2 infer: an application/octet-stream body sized by Inference-Header-Content-Length', () => {
    for (const path of ['/v2/models/{name}/infer', '/v2/models/{name}/versions/{version}/infer']) {
      const infer = document.paths[path].post;
      expect(Object.keys(infer.requestBody.content)).toEqual(['application/json', 'application/octet-stream']);
      expect(infer.requestBody.content['application/octet-stream'].schema).toMatchObject({ type: 'string', format: 'binary' });
      expect(infer.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Inference-Header-Content-Length' })]));
    }
  });
});

describe('The OpenAPI document lists the statuses the HTTP layer and the key guard answer', () => {
  let app: RunningApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await startInference({
      auth: { apiKeys: { [ADMIN_KEY]: ['predict', 'admin'], [PREDICT_KEY]: ['predict'] }, rateLimitPerSecond: 0.001, rateLimitBurst: 1 },
      server: { bodyLimitBytes: 1024 },
    });
    document = (await (await fetch(`${app.url}/docs-json`)).json()) as OpenApiDocument;
  });
  afterAll(() => app?.close());

  it('documents each 401, 403, 413, 415 and 429 a route answers to no key, a predict-only key, a body over the limit, an image/png body and a client over the rate limit', async () => {
    const probed = new Set([401, 403, 413, 415, 429]);
    const seen = new Set<number>();
    const undocumented: string[] = [];
    for (const target of probeTargets(document)) {
      const json = target.hasBody ? { body: {} } : {};
      const probes: [string, Parameters<typeof send>[1], Record<string, string>][] = [
        ['no key', { ...target, ...json }, {}],
        ['predict-only key', { ...target, ...json }, { authorization: `Bearer ${PREDICT_KEY}` }],
      ];
      if (target.hasBody) probes.push(['body over the limit', { ...target, body: { padding: 'x'.repeat(2048) } }, { authorization: `Bearer ${ADMIN_KEY}` }]);
      for (const [probe, request, headers] of probes) {
        const { status } = await send(app.url, request, headers);
        seen.add(status);
        if (probed.has(status) && !documented(document, target.method, target.template).includes(String(status))) {
          undocumented.push(`${target.method} ${target.template}: ${status} to ${probe}`);
        }
      }
      if (target.hasBody) {
        const response = await fetch(`${app.url}${target.path}`, { method: target.method, headers: { 'content-type': 'image/png', authorization: `Bearer ${ADMIN_KEY}` }, body: 'png' });
        seen.add(response.status);
        if (probed.has(response.status) && !documented(document, target.method, target.template).includes(String(response.status))) {
          undocumented.push(`${target.method} ${target.template}: ${response.status} to an image/png body`);
        }
      }
    }
    expect(undocumented).toEqual([]);
    expect([...probed].filter((s) => !seen.has(s))).toEqual([]);
  });
});
