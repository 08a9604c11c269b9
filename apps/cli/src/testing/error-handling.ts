import { ErrorCase, ErrorHandlingResult } from '../report/report-types';
import { errorText, HttpClient, RequestOptions, TransportError } from '../server/http-client';
import { ModelInfo, TensorSpecView } from '../server/model-info';
import { predictPath } from './predictions';

interface Probe {
  name: string;
  method?: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
  sent: string;
  refusedEarly?: boolean;
}

/**
 * Error-handling testing: requests made wrong from the model's own signature (wrong shape, wrong type,
 * missing and unknown fields, empty, oversized, broken JSON, wrong datatype on V2, an unknown version).
 * Every answer must be a 4xx with the JSON `{"error": ...}` body and none a 5xx; afterwards the server
 * must still be live and still answer a good request.
 */
export async function runErrorHandling(
  client: HttpClient,
  model: ModelInfo,
  goodInstance: unknown,
  bodyLimitBytes: number,
  onProgress?: (done: number) => void,
): Promise<ErrorHandlingResult> {
  const probes = probesFor(model, goodInstance, bodyLimitBytes);
  const cases: ErrorCase[] = [];
  for (const probe of probes) {
    cases.push(await send(client, probe));
    onProgress?.(cases.length);
  }
  const live = await client.request('/v2/health/live', { timeoutMs: 5000 }).catch(() => undefined);
  const good = await client.postJson(predictPath(model.name), { instances: [goodInstance] }, 10_000).catch(() => undefined);
  const liveAfter = live?.status === 200;
  const servesAfter = good?.status === 200;
  const failed = cases.filter((c) => c.verdict === 'fail');
  const problems = [
    ...failed.map((c) => `${c.name}: ${c.problem}`),
    ...(liveAfter ? [] : [`GET /v2/health/live answered ${live?.status ?? 'nothing'} afterwards`]),
    ...(servesAfter ? [] : [`a good request answered ${good?.status ?? 'nothing'} afterwards`]),
  ];
  return {
    kind: 'errors',
    verdict: problems.length ? 'fail' : 'pass',
    reason: problems.length ? problems.join('; ') : `${cases.length} wrong requests answered 4xx with an error body; the server is live and serving`,
    cases,
    liveAfter,
    servesAfter,
  };
}

export function probeCount(model: ModelInfo): number {
  return probesFor(model, null, 1024).length;
}

async function send(client: HttpClient, probe: Probe): Promise<ErrorCase> {
  const options: RequestOptions = { method: probe.method ?? 'POST', body: probe.body, timeoutMs: 30_000, refusedEarly: probe.refusedEarly };
  if (probe.body !== undefined) options.headers = { 'content-type': probe.contentType ?? 'application/json' };
  const base = { name: probe.name, method: options.method!, path: probe.path, sent: probe.sent };
  try {
    const answer = await client.request(probe.path, options);
    const body = answer.json as { error?: unknown } | undefined;
    const hasError = !!body && typeof body.error === 'string' && body.error.length > 0;
    let problem: string | undefined;
    if (answer.status >= 500) problem = `answered ${answer.status} (a server error) to a client mistake: ${errorText(answer)}`;
    else if (answer.status < 400) problem = `answered ${answer.status}: the wrong request was accepted`;
    else if (!hasError) problem = `answered ${answer.status} without a JSON {"error": ...} body: ${answer.text.slice(0, 80) || '(empty)'}`;
    return { ...base, status: answer.status, error: hasError ? (body!.error as string) : undefined, verdict: problem ? 'fail' : 'pass', problem };
  } catch (error) {
    const message = error instanceof TransportError ? error.message : (error as Error).message;
    return { ...base, status: 0, verdict: 'fail', problem: `no answer: ${message}` };
  }
}

function probesFor(model: ModelInfo, good: unknown, bodyLimitBytes: number): Probe[] {
  const name = encodeURIComponent(model.name);
  const path = predictPath(model.name);
  const inputs = model.inputs;
  const first = inputs[0];
  const single = inputs.length === 1;
  // The good instance with its first input replaced: the value alone (one input) or in the named object.
  const withFirst = (value: unknown) => (single ? value : { ...(good as Record<string, unknown>), [first.name]: value });
  const json = (value: unknown) => JSON.stringify(value);
  const probes: Probe[] = [];
  const wrongShape = wrongShapeValue(first);
  probes.push({ name: 'wrong shape', path, body: json({ instances: [withFirst(wrongShape.value)] }), sent: `input '${first.name}' ${wrongShape.what}` });
  const wrongType = first.datatype === 'BYTES' ? 42 : fill(first, 'not a number');
  probes.push({
    name: 'wrong type',
    path,
    body: json({ instances: [withFirst(wrongType)] }),
    sent: first.datatype === 'BYTES' ? `input '${first.name}' as the number 42` : `input '${first.name}' as strings`,
  });
  probes.push({ name: 'missing input', path, body: json({ instances: [{}] }), sent: '{"instances": [{}]}' });
  probes.push({
    name: 'unknown input',
    path,
    body: json({ instances: [{ ...(single ? { [first.name]: good } : (good as object)), not_an_input: 1 }] }),
    sent: `an instance with an extra input 'not_an_input'`,
  });
  probes.push({ name: 'unknown body field', path, body: json({ instances: [good], not_a_field: true }), sent: `{"instances": [...], "not_a_field": true}` });
  probes.push({ name: 'empty instances', path, body: json({ instances: [] }), sent: '{"instances": []}' });
  probes.push({ name: 'empty body', path, body: '', sent: 'no body (Content-Type: application/json)' });
  probes.push({ name: 'not an object', path, body: json([good]), sent: 'a JSON list instead of an object' });
  probes.push({ name: 'broken JSON', path, body: `{"instances": [${json(good)}`, sent: 'JSON cut off before its end' });
  probes.push({
    name: 'oversized body',
    path,
    body: oversized(good, bodyLimitBytes),
    sent: `${bodyLimitBytes + 1024} bytes (server.bodyLimitBytes is ${bodyLimitBytes})`,
    refusedEarly: true,
  });
  const v2Datatype = first.datatype === 'BYTES' ? 'FP32' : first.datatype === 'INT64' ? 'FP32' : 'INT64';
  probes.push({
    name: 'wrong datatype (V2)',
    path: `/v2/models/${name}/infer`,
    body: json({ inputs: inputs.map((spec) => ({ name: spec.name, shape: concrete(spec), datatype: spec === first ? v2Datatype : spec.datatype, data: flat(spec) })) }),
    sent: `V2 infer with input '${first.name}' declared ${v2Datatype} (it is ${first.datatype})`,
  });
  probes.push({ name: 'unknown version', path: `/v1/models/${name}/versions/987654321:predict`, body: json({ instances: [good] }), sent: 'version 987654321' });
  return probes;
}

/** One element more in the first fixed dimension; a nested list where a scalar is taken. */
function wrongShapeValue(spec: TensorSpecView): { value: unknown; what: string } {
  const dims = spec.shape.slice(1).map((d) => (d === -1 ? 2 : d));
  if (dims.length === 0) return { value: [element(spec), element(spec)], what: 'as a list of two where one value is taken' };
  const fixed = spec.shape.slice(1).findIndex((d) => d !== -1);
  if (fixed >= 0) {
    dims[fixed] += 1;
    return { value: nested(dims, element(spec)), what: `with ${dims[fixed]} values where ${dims[fixed] - 1} are taken` };
  }
  return { value: nested([...dims, 1], element(spec)), what: 'with one dimension too many' };
}

function element(spec: TensorSpecView): unknown {
  return spec.datatype === 'BYTES' ? 'x' : spec.datatype === 'BOOL' ? false : 0;
}

function fill(spec: TensorSpecView, value: unknown): unknown {
  return nested(spec.shape.slice(1).map((d) => (d === -1 ? 1 : d)), value);
}

function nested(dims: number[], value: unknown): unknown {
  if (dims.length === 0) return value;
  return Array.from({ length: dims[0] }, () => nested(dims.slice(1), value));
}

function concrete(spec: TensorSpecView): number[] {
  return spec.shape.map((d) => (d === -1 ? 1 : d));
}

function flat(spec: TensorSpecView): unknown[] {
  const n = concrete(spec).reduce((a, b) => a * b, 1);
  return new Array(n).fill(spec.datatype === 'BYTES' ? 'x' : 1);
}

/** Valid JSON, just past the server's limit: the limit is what is tested, not the parser. */
function oversized(good: unknown, limit: number): Buffer {
  const head = Buffer.from(`{"instances": [${JSON.stringify(good)}], "padding": "`);
  const tail = Buffer.from('"}');
  const pad = Buffer.alloc(Math.max(0, limit + 1024 - head.length - tail.length), 'a');
  return Buffer.concat([head, pad, tail]);
}
