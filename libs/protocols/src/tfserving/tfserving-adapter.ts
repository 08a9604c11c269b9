import { Injectable } from '@nestjs/common';
import type { CacheOutcome } from '@app/caching';
import { DataPlane, InferProtocol, InferRequest, InferResult } from '@app/dataplane';
import { InvalidInputError, ModelNotFoundError, ModelNotReadyError } from '@app/errors';
import { ModelVersion } from '@app/models';
import { rowToJson, tensorToJson } from '../json/json-tensor';
import { TfServingTarget } from './predict-target';
import { classificationLabels, classifyResults, decodeExamples, DecodedExamples, regressionOutput, regressResults } from './tfserving-classify';
import { decodeTfServingRequest } from './tfserving-request';

export interface TfServingAnswer {
  /** `{"predictions": [...]}` or `{"outputs": ...}`, as TF Serving answers. */
  body: Record<string, unknown>;
  model: string;
  version: number;
  /** How the prediction cache answered (X-Cache); absent when the model's cache is off. */
  cache?: CacheOutcome;
}

export interface TfServingOptions {
  protocol?: InferProtocol;
  /** 1..10, 10 first (queued jobs). */
  priority?: number;
  /** Milliseconds; the server's requestTimeoutMs by default. */
  timeoutMs?: number;
}

/** modelgate's extension fields in a :predict body; TF Serving clients never send them. */
const EXTRA_FIELDS = ['top_k'];

/** TF Serving's REST API on the data plane: :predict (row or columnar), :classify and :regress; decode, infer, encode. */
@Injectable()
export class TfServingAdapter {
  constructor(private readonly dataplane: DataPlane) {}

  async predict(name: string, version: number | undefined, body: unknown, options: TfServingOptions = {}): Promise<TfServingAnswer> {
    const servable = this.dataplane.model(name, version);
    const decoded = decodeTfServingRequest(body, servable.signature.inputs, EXTRA_FIELDS);
    const result = await this.dataplane.infer({ ...this.request(servable, decoded, options), topK: topKOf(body as Record<string, unknown>) });
    return { body: encode(result, decoded.format), model: servable.name, version: servable.version, cache: result.cache };
  }

  /** :classify: `{"examples": [...]}` -> `{"results": [[[label, score], ...], ...]}`, every class, highest first. */
  async classify(target: TfServingTarget, body: unknown, options: TfServingOptions = {}): Promise<TfServingAnswer> {
    const servable = this.servable(target);
    const labels = classificationLabels(servable);
    const decoded = decodeExamples(body, servable.signature.inputs, 'classify');
    const result = await this.dataplane.infer({ ...this.request(servable, decoded, options), topK: labels.length });
    return { body: classifyResults(result, labels), model: servable.name, version: servable.version, cache: result.cache };
  }

  /** :regress: `{"examples": [...]}` -> `{"results": [v, ...]}`, for models with one output value per example. */
  async regress(target: TfServingTarget, body: unknown, options: TfServingOptions = {}): Promise<TfServingAnswer> {
    const servable = this.servable(target);
    const output = regressionOutput(servable);
    const decoded = decodeExamples(body, servable.signature.inputs, 'regress');
    const result = await this.dataplane.infer(this.request(servable, decoded, options));
    return { body: regressResults(result, output), model: servable.name, version: servable.version, cache: result.cache };
  }

  /**
   * The version a label (model.json `versionLabels`) names, when it can serve: 404 for a label the model does
   * not declare, 503 while the version it names is not available (loading, failed, absent or outside the
   * version policy), so a client retries as it does for a model that is loading.
   */
  labelledVersion(name: string, label: string): number {
    return this.labelled(name, label).version;
  }

  /** Checks a body against the model's signature without running it (the jobs API, at submit time). */
  check(name: string, version: number | undefined, body: unknown): ModelVersion {
    const servable = this.dataplane.model(name, version);
    decodeTfServingRequest(body, servable.signature.inputs, EXTRA_FIELDS);
    topKOf(body as Record<string, unknown>);
    return servable;
  }

  private servable(target: TfServingTarget): ModelVersion {
    return target.label === undefined ? this.dataplane.model(target.model, target.version) : this.labelled(target.model, target.label);
  }

  private labelled(name: string, label: string): ModelVersion {
    const version = this.dataplane.registry.labelVersion(name, label);
    try {
      return this.dataplane.model(name, version);
    } catch (error) {
      if (!(error instanceof ModelNotFoundError || error instanceof ModelNotReadyError)) throw error;
      const why = error instanceof ModelNotReadyError ? error.message : `the repository does not serve version ${version}`;
      throw new ModelNotReadyError(`label '${label}' of model '${name}' names version ${version}, which is not available: ${why}`);
    }
  }

  private request(servable: ModelVersion, decoded: Pick<DecodedExamples, 'tensors' | 'rows'>, options: TfServingOptions): InferRequest {
    return {
      servable,
      inputs: decoded.tensors,
      rows: decoded.rows,
      protocol: options.protocol ?? 'tfserving',
      priority: options.priority,
      timeoutMs: options.timeoutMs,
    };
  }
}

function topKOf(body: Record<string, unknown>): number | undefined {
  const k = body.top_k;
  if (k === undefined) return undefined;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new InvalidInputError(`top_k must be an integer >= 1, got ${JSON.stringify(k)}`, 'top_k');
  return k;
}

function encode(result: InferResult, format: 'row' | 'columnar'): Record<string, unknown> {
  const key = format === 'row' ? 'predictions' : 'outputs';
  if (result.classifications) return { [key]: result.classifications };
  const names = result.request.servable.signature.outputs.map((o) => o.name);
  const { outputs } = result;
  if (format === 'columnar') {
    if (names.length === 1) return { outputs: tensorToJson(outputs[names[0]]) };
    return { outputs: Object.fromEntries(names.map((n) => [n, tensorToJson(outputs[n])])) };
  }
  const rows = outputs[names[0]].dims[0];
  const predictions = new Array(rows);
  for (let r = 0; r < rows; r++) {
    predictions[r] = names.length === 1 ? rowToJson(outputs[names[0]], r) : Object.fromEntries(names.map((n) => [n, rowToJson(outputs[n], r)]));
  }
  return { predictions };
}
