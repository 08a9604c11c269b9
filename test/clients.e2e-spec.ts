import { request as httpRequest } from 'http';
import { Socket } from 'net';
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'zlib';
import { tempRepository } from './support/model-repo';
import { RunningApp, startInference } from './support/test-app';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with exactly these headers (Node adds none but Host and Connection), as another client sends it. */
function send(app: RunningApp, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<RawAnswer> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: body ? { 'content-length': String(body.length), ...headers } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (answer: RawAnswer) => JSON.parse(answer.body.toString('utf8'));
const IRIS = { inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }] };
// What tritonclient.http's geventhttpclient puts on the wire besides the body: no Content-Type at all.
const TRITON_HEADERS = { 'user-agent': 'python/gevent-http-client-1.5.5' };

/** Triton's binary tensor request: the JSON header, then the raw tensor bytes, and the header's length in a header. */
function tritonBinaryInfer(): { body: Buffer; headerLength: number } {
  const head = Buffer.from(JSON.stringify({ inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', parameters: { binary_data_size: 32 } }], outputs: [{ name: 'probabilities', parameters: { binary_data: true } }] }));
  return { body: Buffer.concat([head, Buffer.from(new Float32Array(IRIS.inputs[0].data).buffer)]), headerLength: head.length };
}

describe('request bodies as real clients send them', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startInference({ models: { repository: tempRepository(['iris']) }, auth: { apiKeys: { 'clients-admin-key-0123456789': ['admin'] } } });
  });
  afterAll(() => app.close());

  it("answers tritonclient.http's V2 infer with no Content-Type and a plain JSON body", async () => {
    const answer = await send(app, 'POST', '/v2/models/iris/infer', TRITON_HEADERS, Buffer.from(JSON.stringify(IRIS)));
    expect(answer.status).toBe(200);
    expect(json(answer).outputs.map((o: { name: string }) => o.name)).toEqual(['probabilities', 'label']);
  });

  it("answers tritonclient.http's V2 infer with no Content-Type and JSON followed by binary tensors, and answers in binary", async () => {
    const { body, headerLength } = tritonBinaryInfer();
    const answer = await send(app, 'POST', '/v2/models/iris/infer', { ...TRITON_HEADERS, 'inference-header-content-length': String(headerLength) }, body);
    expect(answer.status).toBe(200);
    const jsonLength = Number(answer.headers['inference-header-content-length']);
    const head = JSON.parse(answer.body.subarray(0, jsonLength).toString());
    expect(head.outputs).toEqual([{ name: 'probabilities', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } }]);
    const probabilities = new Float32Array(new Uint8Array(answer.body.subarray(jsonLength)).buffer);
    expect(probabilities[0]).toBeGreaterThan(0.9); // row 1 is a setosa
  });

  it("loads and unloads a model for tritonclient.http's load_model and unload_model (no Content-Type, empty or {} body)", async () => {
    const admin = { ...TRITON_HEADERS, authorization: 'Bearer clients-admin-key-0123456789' };
    expect((await send(app, 'POST', '/v2/repository/models/iris/unload', admin, Buffer.from('{}'))).status).toBe(200);
    expect((await send(app, 'POST', '/v2/repository/models/iris/load', admin, Buffer.alloc(0))).status).toBe(200);
    expect((await send(app, 'POST', '/v2/repository/index', admin)).status).toBe(200);
  });

  it('reads a :predict body sent with no Content-Type or as application/octet-stream as JSON', async () => {
    const body = Buffer.from(JSON.stringify({ instances: [[5.1, 3.5, 1.4, 0.2]] }));
    for (const headers of [{}, { 'content-type': 'application/octet-stream' }] as Record<string, string>[]) {
      const answer = await send(app, 'POST', '/v1/models/iris:predict', headers, body);
      expect([answer.status, json(answer).predictions[0].label]).toEqual([200, 'setosa']);
    }
  });

  it('answers 415 with the JSON error body for a body of a specific type that is not JSON', async () => {
    const answer = await send(app, 'POST', '/v1/models/iris:predict', { 'content-type': 'image/png' }, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(answer.status).toBe(415);
    expect(json(answer)).toEqual({ error: expect.stringMatching(/content type/), code: 'INVALID_INPUT' });
  });

  it('answers 400 naming the header for an undecodable body on V2 infer without Inference-Header-Content-Length', async () => {
    const { body } = tritonBinaryInfer();
    const answer = await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/octet-stream' }, body);
    expect(answer.status).toBe(400);
    expect(json(answer).error).toMatch(/Inference-Header-Content-Length/);
  });

  it('inflates gzip and deflate request bodies (tritonclient request_compression_algorithm)', async () => {
    const raw = Buffer.from(JSON.stringify(IRIS));
    const gzip = await send(app, 'POST', '/v2/models/iris/infer', { ...TRITON_HEADERS, 'content-encoding': 'gzip' }, gzipSync(raw));
    const deflate = await send(app, 'POST', '/v2/models/iris/infer', { ...TRITON_HEADERS, 'content-encoding': 'deflate' }, deflateSync(raw));
    expect([gzip.status, deflate.status]).toEqual([200, 200]);
    expect(json(gzip)).toEqual(json(deflate));
    const { body, headerLength } = tritonBinaryInfer();
    const binary = await send(app, 'POST', '/v2/models/iris/infer', { ...TRITON_HEADERS, 'content-encoding': 'gzip', 'inference-header-content-length': String(headerLength) }, gzipSync(body));
    expect(binary.status).toBe(200);
  });

  it('answers 413 to a gzip body of 1 GB once inflated, with memory bounded near the body limit', async () => {
    // 64 gzip members of 16 MiB of zeros each: 1 GiB inflated from about 1 MB on the wire.
    const member = gzipSync(Buffer.alloc(16 << 20));
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.length).toBeLessThan(2 << 20);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const answer = await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, bomb);
    const grown = process.memoryUsage().rss - before;
    expect(answer.status).toBe(413);
    expect(json(answer)).toEqual({ error: expect.stringMatching(/decompressed/), code: 'PAYLOAD_TOO_LARGE' });
    expect(grown).toBeLessThan(256 << 20); // a 1 GiB inflation would show; the body limit is 8 MiB
    expect((await send(app, 'GET', '/v2/health/live', {})).status).toBe(200);
  });

  it('answers 400 to a body that is not the gzip it claims, and 415 to an unknown Content-Encoding', async () => {
    const broken = await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, Buffer.from(JSON.stringify(IRIS)));
    expect([broken.status, json(broken).code]).toEqual([400, 'INVALID_INPUT']);
    const brotli = await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/json', 'content-encoding': 'br' }, Buffer.from('{}'));
    expect([brotli.status, json(brotli).error]).toEqual([415, expect.stringMatching(/Content-Encoding 'br' is not supported/)]);
  });

  it('compresses a large answer for Accept-Encoding: gzip or deflate, as Node zlib decodes it, and leaves small ones alone', async () => {
    const rows = 200;
    const big = { inputs: [{ name: 'features', shape: [rows, 4], datatype: 'FP32', data: Array.from({ length: rows * 4 }, (_, i) => (i % 7) + 0.5) }] };
    const body = Buffer.from(JSON.stringify(big));
    const plain = await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/json' }, body);
    const gzip = await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/json', 'accept-encoding': 'gzip' }, body);
    const deflate = await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/json', 'accept-encoding': 'deflate' }, body);
    expect([gzip.headers['content-encoding'], deflate.headers['content-encoding']]).toEqual(['gzip', 'deflate']);
    expect(gzip.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toEqual(json(plain));
    expect(JSON.parse(inflateSync(deflate.body).toString())).toEqual(json(plain));
    const small = await send(app, 'GET', '/v2/health/live', { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it("answers JSON, errors included, as exactly application/json (what KServe's InferenceRESTClient reads)", async () => {
    const ok = await send(app, 'GET', '/v2/models/iris', {});
    const missing = await send(app, 'GET', '/v2/models/nope', {});
    const bad = await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/json' }, Buffer.from('{"inputs": 1}'));
    expect([ok.headers['content-type'], missing.headers['content-type'], bad.headers['content-type']]).toEqual(['application/json', 'application/json', 'application/json']);
    expect(json(missing)).toEqual({ error: "Model 'nope' not found", code: 'MODEL_NOT_FOUND' });
  });
});

describe('errors the HTTP layer raises', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startInference({ models: { repository: tempRepository(['iris']) } });
  });
  afterAll(() => app.close());

  const expectShort = (answer: RawAnswer, status: number, code: string) => {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/json');
    const body = json(answer);
    expect(body).toEqual({ error: expect.any(String), code });
    expect(body.error.length).toBeLessThan(200);
    expect(body.error).not.toMatch(/aaaa|%E0/);
  };

  it('answers 414 INVALID_INPUT for a 3,000-character model name, without repeating the URL', async () => {
    expectShort(await send(app, 'POST', `/v1/models/${'a'.repeat(3000)}:predict`, { 'content-type': 'application/json' }, Buffer.from('{}')), 414, 'INVALID_INPUT');
  });

  it('answers 400 INVALID_INPUT for a broken percent-encoding in the path', async () => {
    expectShort(await send(app, 'GET', '/v2/models/%E0%A4%A/ready', {}), 400, 'INVALID_INPUT');
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over the limit', async () => {
    expectShort(await send(app, 'POST', '/v2/models/iris/infer', { 'content-type': 'application/json' }, Buffer.alloc(9 << 20, 0x20)), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 431 INVALID_INPUT for a 20 KB URL, with the JSON body, and keeps serving', async () => {
    const { port } = new URL(app.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = new Socket();
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.connect(Number(port), '127.0.0.1', () => socket.write(`GET /v2/models/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(body)).toEqual({ error: expect.stringMatching(/larger than the server accepts/), code: 'INVALID_INPUT' });
    expect((await send(app, 'GET', '/v2/health/live', {})).status).toBe(200);
  });
});
