import { CliError } from '../cli-error';
import { errorText, HttpAnswer, HttpClient, TransportError, unreachable } from './http-client';

export interface TensorSpecView {
  name: string;
  datatype: string;
  shape: number[];
}

/** What the server says about one model: all a test needs, so it runs against any server, local or not. */
export interface ModelInfo {
  name: string;
  version: string;
  inputs: TensorSpecView[];
  outputs: TensorSpecView[];
  labels?: string[];
  description?: string;
  reference?: Record<string, unknown> & { classDistribution?: Record<string, number>; holdoutAccuracy?: number };
  /** model.json `examples`: rows with their expected answers, as a data file's rows. */
  examples?: Record<string, unknown>[];
  /** model.json `sloP99Ms`. */
  sloP99Ms?: number;
}

/**
 * Reads the model's V2 metadata (signature in V2 datatypes) and its TF Serving metadata (labels and the
 * model.json reference, modelgate's addition). Every way this can fail is one clear CliError.
 */
export async function fetchModelInfo(client: HttpClient, model: string): Promise<ModelInfo> {
  const encoded = encodeURIComponent(model);
  const v2 = await get(client, `/v2/models/${encoded}`);
  if (v2.status === 404) throw await unknownModel(client, model);
  checkAccess(v2, client.baseUrl);
  if (v2.status !== 200) throw new CliError(`GET /v2/models/${model} answered ${v2.status}: ${errorText(v2)}`);
  const tf = await get(client, `/v1/models/${encoded}/metadata`);
  checkAccess(tf, client.baseUrl);
  if (tf.status === 503) throw new CliError(`model '${model}' is not ready on ${client.baseUrl}: ${errorText(tf)}`);
  if (tf.status !== 200) throw new CliError(`GET /v1/models/${model}/metadata answered ${tf.status}: ${errorText(tf)}`);
  const meta = v2.json as { inputs?: TensorSpecView[]; outputs?: TensorSpecView[] };
  const extra = (tf.json as { model_spec?: { version?: string }; modelgate?: Record<string, unknown> }) ?? {};
  if (!Array.isArray(meta?.inputs) || !extra.modelgate) {
    throw new CliError(`${client.baseUrl} does not answer as a modelgate server (GET /v2/models/${model} and /v1/models/${model}/metadata)`);
  }
  const mg = extra.modelgate;
  return {
    name: model,
    version: extra.model_spec?.version ?? '',
    inputs: meta.inputs,
    outputs: meta.outputs ?? [],
    labels: Array.isArray(mg.labels) ? (mg.labels as string[]) : undefined,
    description: typeof mg.description === 'string' ? mg.description : undefined,
    reference: mg.reference && typeof mg.reference === 'object' ? (mg.reference as ModelInfo['reference']) : undefined,
    examples: Array.isArray(mg.examples) ? (mg.examples as Record<string, unknown>[]) : undefined,
    sloP99Ms: typeof mg.sloP99Ms === 'number' ? mg.sloP99Ms : undefined,
  };
}

async function get(client: HttpClient, path: string): Promise<HttpAnswer> {
  try {
    return await client.request(path, { timeoutMs: 10_000 });
  } catch (error) {
    throw error instanceof TransportError ? unreachable(error) : error;
  }
}

/** 401 and 403 stop everything at once: no test means anything without access. */
export function checkAccess(answer: HttpAnswer, baseUrl: string): void {
  if (answer.status === 401) {
    throw new CliError(`the server at ${baseUrl} refused the request (401: ${errorText(answer)}); pass a key with predict scope with --key or MODELGATE_API_KEY`);
  }
  if (answer.status === 403) throw new CliError(`the server at ${baseUrl} refused the API key (403: ${errorText(answer)}); it needs the predict scope`);
}

async function unknownModel(client: HttpClient, model: string): Promise<CliError> {
  const list = await get(client, '/v1/models');
  checkAccess(list, client.baseUrl);
  const models = (list.json as { models?: { name: string }[] } | undefined)?.models;
  if (list.status !== 200 || !Array.isArray(models)) {
    return new CliError(`model '${model}' is not served by ${client.baseUrl}, which does not list its models (GET /v1/models answered ${list.status})`);
  }
  const names = models.map((m) => m.name);
  return new CliError(`model '${model}' is not served by ${client.baseUrl}; it serves: ${names.length ? names.join(', ') : '(no models)'}`);
}
